// The npm package's browser entry (index.mjs: inline wasm, no Node globals) in Chromium, through an
// import map, checked against the shared vectors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveProject } from './support/browser.mjs';

test('browser entry: vectors verify, tampering fails, with no Node globals', async () => {
  const server = await serveProject();
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url + '/pkg/package.json');
    await page.setContent(`<script type="importmap">{"imports":{"hookwright":"${server.url}/pkg/index.mjs"}}</script>`);
    const result = await page.evaluate(async (base) => {
      const { verify, sign, WebhookVerificationError } = await import('hookwright');
      const out = { node: typeof process !== 'undefined' || typeof Buffer !== 'undefined', checked: 0, failures: [] };
      for (const file of ['sha256_github-docs.json', 'sha256_slack-docs.json', 'sha256_standard-webhooks-libraries.json', 'hmac_node-crypto.json']) {
        const doc = await (await fetch(`${base}/vectors/${file}`)).json();
        for (const c of doc.cases) {
          const body = c.body !== undefined ? c.body : new Uint8Array(c.body_hex.match(/../g).map((h) => parseInt(h, 16)));
          const headers = Object.fromEntries(c.headers);
          const opts = { scheme: c.scheme, ...(c.options || {}), secret: c.secret };
          try {
            const signed = sign({ ...opts, body, timestamp: c.timestamp ?? 1, id: c.id, profile: c.profile });
            if (JSON.stringify(Object.entries(signed)) !== JSON.stringify(c.headers)) out.failures.push(c.name + ': sign');
            verify({ ...opts, body, headers, now: c.timestamp ?? 1 });
            try {
              verify({ ...opts, body: (typeof body === 'string' ? body : 'x') + '!', headers, now: c.timestamp ?? 1 });
              out.failures.push(c.name + ': tampered body accepted');
            } catch (e) {
              if (!(e instanceof WebhookVerificationError) || e.code !== 'signature_mismatch') out.failures.push(c.name + ': ' + e);
            }
          } catch (e) {
            out.failures.push(c.name + ': ' + e);
          }
          out.checked++;
        }
      }
      const big = new Uint8Array(1 << 20).fill(65);
      out.big = verify({ scheme: 'github', secret: 's', body: big, headers: sign({ scheme: 'github', secret: 's', body: big }) }).scheme;
      return out;
    }, server.url);
    assert.deepEqual(result.failures, []);
    assert.ok(result.checked >= 15, `checked ${result.checked}`);
    assert.equal(result.node, false, 'the page has no Node globals');
    assert.equal(result.big, 'github');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
