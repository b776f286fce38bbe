// Shared by the Node tests: the vector folder the Rust tests read too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const pkgDir = path.resolve(here, '../pkg');
export const vectorDir = path.resolve(here, '../../hookwright/vectors');

/** Every case of every vector file, with the file name for failure messages. */
export function vectorCases() {
  const files = fs.readdirSync(vectorDir).filter((f) => f.endsWith('.json')).sort();
  const out = [];
  for (const file of files) {
    const doc = JSON.parse(fs.readFileSync(path.join(vectorDir, file), 'utf8'));
    doc.cases.forEach((c, i) => out.push({ ...c, at: `${file} case ${i} (${c.name})` }));
  }
  return out;
}

export function caseBody(c) {
  return c.body !== undefined ? c.body : Buffer.from(c.body_hex, 'hex');
}

export function caseOptions(c) {
  return { scheme: c.scheme, ...(c.options || {}), secret: c.secrets !== undefined ? c.secrets : c.secret };
}
