// Signing in the playground gives exactly what the npm package's `sign` gives, in a real browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch, serveProject, screenshots } from './support/browser.mjs';
import { Playground } from './pages/playground.mjs';

const { sign } = createRequire(import.meta.url)('../crates/hookwright-js/pkg/node.cjs');

let browser, server, app;
test.before(async () => {
  server = await serveProject();
  browser = await launch();
});
test.after(async () => {
  await browser?.close();
  await server?.close();
});
test.beforeEach(async () => {
  app = new Playground(await browser.context.newPage(), server.url);
  await app.open();
});
test.afterEach(async () => {
  assert.deepEqual(app.errors, [], 'no errors in the page console');
  await app.page.close();
});

test('GitHub: the documented vector appears as the user types', async () => {
  await app.pickScheme('github');
  await app.setSecret("It's a Secret to Everybody");
  await app.setBody('Hello, World!');
  assert.equal(await app.headers(), 'X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
  const curl = await app.curl();
  assert.match(curl, /-H 'X-Hub-Signature-256: sha256=757107ea/);
  assert.match(curl, /--data-binary 'Hello, World!'$/);
  await app.shoot(path.join(screenshots, 'sign-desktop.png'));
});

test('every built-in scheme: the page signs exactly as the npm package does', async () => {
  const body = '{"text":"quotes \\" and \'single\' and ünïcode 🎉"}';
  for (const scheme of ['grafana', 'github', 'stripe', 'standard', 'svix', 'slack', 'shopify', 'dbt', 'dagu']) {
    await app.pickScheme(scheme);
    const secret = scheme === 'standard' || scheme === 'svix' ? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' : 'secret-' + scheme;
    await app.setSecret(secret);
    await app.setBody(body);
    const usesTs = ['stripe', 'standard', 'svix', 'slack'].includes(scheme);
    if (usesTs) await app.setTimestamp('1700000000');
    if (scheme === 'standard' || scheme === 'svix') await app.setId('msg_browser');
    const expected = sign({ scheme, secret, body, timestamp: 1700000000, id: 'msg_browser' });
    const lines = Object.entries(expected).map(([n, v]) => `${n}: ${v}`).join('\n');
    assert.equal(await app.headers(), lines, scheme);
  }
});

test('a bad secret shows its error code instead of headers', async () => {
  await app.pickScheme('standard');
  await app.setSecret('whsec_not*base64');
  assert.match(await app.error(), /^invalid_secret/);
  assert.equal(await app.headers(), '');
});

test('phone width: the page fits 375 px without horizontal scrolling', async () => {
  await app.page.setViewportSize({ width: 375, height: 800 });
  await app.setSecret("It's a Secret to Everybody");
  const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await app.shoot(path.join(screenshots, 'sign-phone.png'));
});
