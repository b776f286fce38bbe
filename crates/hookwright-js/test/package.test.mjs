// The package as a user installs it: `npm pack`, install the tarball into an empty project, then
// require, import and type-check it there.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { here, pkgDir } from './support.mjs';

const tsc = path.resolve(here, '../node_modules/.bin/tsc');
const quiet = { encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } };

test('npm pack → npm install → require, import and TypeScript (nodenext and bundler)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookwright-pack-'));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { ...quiet, cwd: pkgDir }));
    const files = packed[0].files.map((f) => f.path).sort();
    for (const f of ['README.md', 'core.cjs', 'core.mjs', 'edge.mjs', 'hookwright_bg.wasm', 'index.d.ts', 'index.mjs', 'node.cjs', 'node.mjs', 'package.json', 'wasm-inline.mjs', 'wasm-node.cjs', 'wasm-node.mjs', 'wasm-web.mjs',
      'hookwright_template_bg.wasm', 'template.mjs', 'template-node.cjs', 'template-node.mjs', 'template-edge.mjs', 'template.d.ts', 'template-core.mjs', 'template-core.cjs', 'wasm-template-inline.mjs']) {
      assert.ok(files.includes(f), `tarball lacks ${f}: ${files}`);
    }
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","private":true}');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, packed[0].filename)], { ...quiet, cwd: app });

    const vector = `{ scheme: 'github', secret: "It's a Secret to Everybody", body: 'Hello, World!', headers: { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' } }`;
    fs.writeFileSync(path.join(app, 'a.cjs'), `const hw = require('hookwright'); console.log(hw.verify(${vector}).scheme, typeof hw.default.verify);`);
    fs.writeFileSync(path.join(app, 'b.mjs'), `import hw, { verify } from 'hookwright'; import { render } from 'hookwright/template'; console.log(verify(${vector}).scheme, typeof hw.sign, render({ template: 'x{{a}}', dialect: 'jinja', data: { a: 1 } }).output);`);
    assert.equal(execFileSync('node', ['a.cjs'], { ...quiet, cwd: app }).trim(), 'github function');
    assert.equal(execFileSync('node', ['b.mjs'], { ...quiet, cwd: app }).trim(), 'github function x1');

    fs.writeFileSync(path.join(app, 'check.ts'), `
      import { verify, sign, WebhookVerificationError, type Verified, type ErrorCode } from 'hookwright';
      import { render, catalog, type Diagnostic } from 'hookwright/template';
      const rendered = render({ template: '{"a": "{{x}}"}', dialect: 'jinja', data: { x: 1 }, format: 'json' });
      const firstDiagnostic: Diagnostic | undefined = rendered.diagnostics[0];
      const body: string | null = rendered.output;
      console.log(firstDiagnostic, body, catalog().senders.length);
      // @ts-expect-error dialect must be one of the four
      render({ template: 'x', dialect: 'cobol' });
      const r: Verified = verify(${vector});
      const n: number = r.secretIndex;
      const h: Record<string, string> = sign({ scheme: 'stripe', secret: 's', body: new Uint8Array(1), timestamp: 1 });
      try { verify({ scheme: 'standard', secret: ['a', 'b'], body: 'x', headers: new Headers(), toleranceSeconds: 60, now: new Date() }); }
      catch (e) { if (e instanceof WebhookVerificationError) { const c: ErrorCode = e.code; console.log(c, n, h); } }
      // @ts-expect-error secret must be a string or bytes
      verify({ scheme: 'github', secret: 42, body: 'x', headers: {} });
      // @ts-expect-error encoding is hex or base64
      sign({ scheme: 'custom', header: 'X', encoding: 'base32', secret: 's', body: 'x' });
    `);
    fs.writeFileSync(path.join(app, 'check.cts'), `
      import hw = require('hookwright');
      const r: hw.Verified = hw.verify(${vector});
      console.log(r.scheme);
    `);
    const common = ['--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--lib', 'es2022,dom'];
    execFileSync(tsc, [...common, '--module', 'nodenext', '--moduleResolution', 'nodenext', 'check.ts', 'check.cts'], { ...quiet, cwd: app });
    execFileSync(tsc, [...common, '--module', 'esnext', '--moduleResolution', 'bundler', 'check.ts'], { ...quiet, cwd: app });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
