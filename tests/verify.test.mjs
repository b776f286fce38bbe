// The verify tab: a valid request is accepted, a tampered one is rejected with the reason.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { screenshots } from './support/browser.mjs';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();
let app;
test.beforeEach(async () => {
  app = s.app;
  await app.openVerify();
});

const std = {
  secrets: 'whsec_b2xkIHNlY3JldA==\nwhsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  headers: 'POST /webhooks HTTP/1.1\nwebhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek\nwebhook-timestamp: 1614265330\nwebhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  body: '{"test": 2432232314}',
  at: '1614265330',
};

test('a valid Standard Webhooks request: which secret matched, the timestamp and the id', async () => {
  await app.pickScheme('standard');
  await app.setReceived(std);
  const v = await app.verdict();
  assert.match(v, /^Valid/);
  assert.match(v, /secret #2 matched signature #1/);
  assert.match(v, /timestamp 1614265330/);
  assert.match(v, /message id msg_p5jXN8AQM9LWM0D4loKWxJek/);
  assert.match(v, /header webhook-signature found/);
  assert.match(v, /within 300 s/);
  await app.shoot(path.join(screenshots, 'verify-desktop.png'));
  await app.phone();
  assert.ok(await app.overflow() <= 0, `page is ${await app.overflow()}px wider than the screen`);
  await app.shoot(path.join(screenshots, 'verify-phone.png'));
});

test('tampered body, stale timestamp, missing header: each named', async () => {
  await app.pickScheme('standard');
  await app.setReceived({ ...std, body: '{"test": 2432232315}' });
  assert.match(await app.verdict(), /Rejected\s*signature_mismatch/);
  // Beside the received signature, what the given secret would have produced.
  assert.match(await app.expectedSignature(), /^v1,[A-Za-z0-9+/]+=*$/);
  assert.notEqual(await app.expectedSignature(), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  await app.setReceived({ ...std, at: String(1614265330 + 3600) });
  assert.match(await app.verdict(), /timestamp_too_old/);
  await app.setReceived({ ...std, headers: std.headers.replace(/webhook-id.*\n/, '') });
  assert.match(await app.verdict(), /missing_header\s+header webhook-id is missing/);
  await app.setReceived({ ...std, headers: 'not a header line' });
  assert.match(await app.verdict(), /malformed_header\s+line 1/);
});

test('"Use the request from the designer" carries the signed request over and it verifies', async () => {
  await app.openSign();
  await app.pickSender('custom');
  await app.setTemplate('token=abc&text=hello');
  await app.pickScheme('slack');
  await app.setSecret('8f742231b10e8888abcd99yyyzzz85a5');
  await app.openVerify();
  await app.useSignedRequest();
  assert.match(await app.verdict(), /^Valid/);
  await app.setReceived({ body: 'token=abc&text=hello!' });
  assert.match(await app.verdict(), /signature_mismatch/);
});

test('the verify tab shows only the verifier', async () => {
  assert.equal(await app.byId('sign-panel').isVisible(), false);
  assert.equal(await app.byId('verify-panel').isVisible(), true);
});
