// The package in the other runtimes it promises: Bun, Deno (npm and plain ESM), Cloudflare's workerd.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Miniflare } from 'miniflare';
import { here, pkgDir } from './support.mjs';

const bin = (name) => path.resolve(here, '../node_modules/.bin', name);
const script = path.join(here, 'fixtures/runtime-check.mjs');
const expected = { ok: 'github', tampered: 'signature_mismatch', big: 'stripe' };
const run = (cmd, args) => JSON.parse(execFileSync(cmd, args, { cwd: path.resolve(here, '..'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } }));

test('Bun imports the package by name', () => {
  assert.deepEqual(run(bin('bun'), ['run', script]), expected);
});

test('Deno imports the package by name (node_modules)', () => {
  assert.deepEqual(run(bin('deno'), ['run', '--quiet', '--allow-read', '--allow-env', script]), expected);
});

test('Deno runs the browser/edge entry (inline wasm, no Node APIs), allowed to read the package only', () => {
  assert.deepEqual(run(bin('deno'), ['run', '--quiet', '--no-npm', `--allow-read=${pkgDir}`, script, new URL('file://' + path.join(pkgDir, 'index.mjs')).href]), expected);
});

test('workerd (Cloudflare Workers runtime): the workerd entry verifies inside a Worker', async () => {
  const file = (name) => fs.readFileSync(path.join(pkgDir, name));
  const worker = `
    import { verify, sign, WebhookVerificationError } from './edge.mjs';
    export default {
      async fetch(request) {
        const body = new Uint8Array(await request.arrayBuffer());
        try {
          const r = verify({ scheme: 'github', secret: "It's a Secret to Everybody", body, headers: request.headers });
          return new Response('ok ' + r.scheme);
        } catch (e) {
          if (e instanceof WebhookVerificationError) return new Response(e.code, { status: 401 });
          return new Response(String(e.stack), { status: 500 });
        }
      },
    };`;
  const mf = new Miniflare({
    modulesRoot: '/',
    modules: [
      { type: 'ESModule', path: '/worker.mjs', contents: worker },
      { type: 'ESModule', path: '/edge.mjs', contents: file('edge.mjs') },
      { type: 'ESModule', path: '/core.mjs', contents: file('core.mjs') },
      { type: 'ESModule', path: '/wasm-web.mjs', contents: file('wasm-web.mjs') },
      { type: 'CompiledWasm', path: '/hookwright_bg.wasm', contents: file('hookwright_bg.wasm') },
    ],
  });
  try {
    const headers = { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };
    const good = await mf.dispatchFetch('http://localhost/', { method: 'POST', headers, body: 'Hello, World!' });
    assert.equal(await good.text(), 'ok github');
    const bad = await mf.dispatchFetch('http://localhost/', { method: 'POST', headers, body: 'Hello, World?' });
    assert.deepEqual([bad.status, await bad.text()], [401, 'signature_mismatch']);
  } finally {
    await mf.dispose();
  }
});
