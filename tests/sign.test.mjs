// Signing in the playground gives exactly what the npm package's `sign` gives, in a real browser.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { screenshots } from './support/browser.mjs';
import { usePlayground } from './support/spec.mjs';

const { sign } = createRequire(import.meta.url)('../crates/hookwright-js/pkg/node.cjs');
const s = usePlayground();

test('GitHub: the documented vector appears as the user types', async () => {
  const { app } = s;
  await app.pickSender('github');
  await app.setTemplate('Hello, World!');
  await app.setSecret("It's a Secret to Everybody");
  assert.equal(await app.body(), 'Hello, World!');
  const headers = await app.headers();
  assert.match(headers, /^X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17$/m);
  const curl = await app.curl();
  assert.match(curl, /-H 'X-Hub-Signature-256: sha256=757107ea/);
  assert.match(curl, /--data-binary 'Hello, World!'$/);
});

test('every built-in scheme: the page signs exactly as the npm package does', async () => {
  const { app } = s;
  const body = '{"text":"quotes \\" and \'single\' and ünïcode 🎉"}';
  await app.pickSender('custom');
  await app.setTemplate(body);
  for (const scheme of ['grafana', 'github', 'stripe', 'standard', 'svix', 'slack', 'shopify', 'dbt', 'dagu']) {
    await app.pickScheme(scheme);
    const secret = scheme === 'standard' || scheme === 'svix' ? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' : 'secret-' + scheme;
    await app.setSecret(secret);
    const usesTs = ['stripe', 'standard', 'svix', 'slack'].includes(scheme);
    if (usesTs) await app.setTimestamp('1700000000');
    if (scheme === 'standard' || scheme === 'svix') await app.setId('msg_browser');
    assert.equal(await app.body(), body, scheme);
    const expected = sign({ scheme, secret, body, timestamp: 1700000000, id: 'msg_browser' });
    const got = await app.headerMap();
    for (const [name, value] of Object.entries(expected)) assert.equal(got[name], value, `${scheme}: ${name}`);
  }
});

test('a bad secret shows its error code instead of a signature', async () => {
  const { app } = s;
  await app.pickScheme('standard');
  await app.setSecret('whsec_not*base64');
  assert.match(await app.error(), /^invalid_secret/);
  assert.equal(await app.headers(), '');
});

test('screens: desktop, and 375 px wide without horizontal scrolling', async () => {
  const { app } = s;
  await app.pickSender('grafana');
  await app.setSecret('grafana-secret');
  await app.shoot(path.join(screenshots, 'sign-desktop.png'));
  await app.phone();
  assert.ok(await app.overflow() <= 0, `page is ${await app.overflow()}px wider than the screen`);
  await app.shoot(path.join(screenshots, 'sign-phone.png'));
});
