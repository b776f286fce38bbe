// The JS surface: argument handling, header shapes, errors, bad input.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sign, verify, schemes, errorCodes, HookwrightError, WebhookVerificationError, WebhookSigningError } from 'hookwright';

const secret = "It's a Secret to Everybody";
const body = 'Hello, World!';
const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
const std = { scheme: 'standard', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', body: '{"test": 2432232314}' };
const stdHeaders = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };

const code = (c) => (e) => e instanceof WebhookVerificationError && e instanceof HookwrightError && e.code === c;

test('exports: scheme ids and error codes', () => {
  assert.deepEqual([...schemes], ['grafana', 'github', 'stripe', 'standard', 'svix', 'slack', 'shopify', 'dbt', 'dagu', 'custom']);
  assert.deepEqual([...errorCodes], ['missing_header', 'malformed_header', 'invalid_secret', 'timestamp_too_old', 'timestamp_too_new', 'signature_mismatch', 'unknown_scheme', 'invalid_options']);
});

test('headers: any letter case, fetch Headers, Node arrays, Uint8Array and ArrayBuffer bodies', () => {
  for (const headers of [{ 'X-Hub-Signature-256': sig }, { 'x-hub-signature-256': sig }, { 'X-HUB-SIGNATURE-256': sig }, new Headers({ 'X-Hub-Signature-256': sig }), { 'x-hub-signature-256': [sig] }]) {
    assert.equal(verify({ scheme: 'github', secret, body, headers }).scheme, 'github');
  }
  const bytes = new TextEncoder().encode(body);
  assert.ok(verify({ scheme: 'github', secret, body: bytes, headers: { 'x-hub-signature-256': sig } }));
  assert.ok(verify({ scheme: 'github', secret, body: bytes.buffer, headers: { 'x-hub-signature-256': sig } }));
  assert.ok(verify({ scheme: 'GitHub', secret: new TextEncoder().encode(secret), body: Buffer.from(body), headers: { 'x-hub-signature-256': sig } }));
});

test('repeated headers are malformed, whether as an array, two spellings or joined by Headers', () => {
  const other = 'sha256=' + '00'.repeat(32);
  assert.throws(() => verify({ scheme: 'github', secret, body, headers: { 'x-hub-signature-256': [sig, other] } }), code('malformed_header'));
  assert.throws(() => verify({ scheme: 'github', secret, body, headers: { 'x-hub-signature-256': sig, 'X-Hub-Signature-256': other } }), code('malformed_header'));
  const h = new Headers();
  h.append('X-Hub-Signature-256', sig);
  h.append('X-Hub-Signature-256', other);
  assert.throws(() => verify({ scheme: 'github', secret, body, headers: h }), code('malformed_header'));
  // The same value twice is harmless.
  assert.ok(verify({ scheme: 'github', secret, body, headers: { 'x-hub-signature-256': sig, 'X-Hub-Signature-256': sig } }));
});

test('time: tolerance both ways, configurable, now as a Date, milliseconds refused', () => {
  assert.ok(verify({ ...std, headers: stdHeaders, now: 1614265330 + 300 }));
  assert.ok(verify({ ...std, headers: stdHeaders, now: 1614265330 - 300 }));
  assert.throws(() => verify({ ...std, headers: stdHeaders, now: 1614265330 + 301 }), code('timestamp_too_old'));
  assert.throws(() => verify({ ...std, headers: stdHeaders, now: 1614265330 - 301 }), code('timestamp_too_new'));
  assert.throws(() => verify({ ...std, headers: stdHeaders, now: 1614265330 + 11, toleranceSeconds: 10 }), code('timestamp_too_old'));
  assert.ok(verify({ ...std, headers: stdHeaders, now: new Date(1614265330 * 1000) }));
  assert.throws(() => verify({ ...std, headers: stdHeaders, now: 1614265330000 }), /milliseconds/);
  assert.throws(() => verify({ ...std, headers: stdHeaders, toleranceSeconds: -1 }), TypeError);
  // Default now is the real clock: the 2021 vector is too old today.
  assert.throws(() => verify({ ...std, headers: stdHeaders }), code('timestamp_too_old'));
});

test('rotation: several secrets, the index of the one that matched', () => {
  const r = verify({ ...std, secret: ['whsec_' + Buffer.from('old').toString('base64'), std.secret], headers: stdHeaders, now: 1614265330 });
  assert.deepEqual(r, { scheme: 'standard', secretIndex: 1, timestamp: 1614265330, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' });
  assert.throws(() => verify({ ...std, secret: [], headers: stdHeaders, now: 1614265330 }), code('invalid_secret'));
});

test('bad secrets give invalid_secret', () => {
  for (const s of ['', 'whsec_', 'whsec_%%%', new Uint8Array(0)]) {
    assert.throws(() => verify({ ...std, secret: s, headers: stdHeaders, now: 1614265330 }), code('invalid_secret'), JSON.stringify(s));
  }
  assert.throws(() => verify({ scheme: 'github', secret: '', body, headers: { 'x-hub-signature-256': sig } }), code('invalid_secret'));
});

test('bad headers give typed errors, never a wasm trap', () => {
  const cases = [
    ['github', { 'x-hub-signature-256': sig.slice(0, 40) }, 'malformed_header'],
    ['github', { 'x-hub-signature-256': 'sha256=' + 'g'.repeat(64) }, 'malformed_header'],
    ['github', { 'x-hub-signature-256': 'sha256=' + 'a'.repeat(10000) }, 'malformed_header'],
    ['github', { 'x-hub-signature-256': '' }, 'malformed_header'],
    ['github', { 'x-hub-signature-256': 'sha256=\u0000' + sig.slice(8) }, 'malformed_header'],
    ['github', { 'x-hub-signature-256': 'sha256=é' + sig.slice(9) }, 'malformed_header'],
    ['github', {}, 'missing_header'],
    ['stripe', { 'stripe-signature': 't=1.5,v1=' + '00'.repeat(32) }, 'malformed_header'],
    ['stripe', { 'stripe-signature': 't=abc,v1=' + '00'.repeat(32) }, 'malformed_header'],
    ['stripe', { 'stripe-signature': 't=1e9,v1=' + '00'.repeat(32) }, 'malformed_header'],
    ['stripe', { 'stripe-signature': 't=' + '9'.repeat(40) + ',v1=' + '00'.repeat(32) }, 'malformed_header'],
    ['slack', { 'x-slack-signature': 'v0=' + '00'.repeat(32), 'x-slack-request-timestamp': ' 1' }, 'malformed_header'],
    ['shopify', { 'x-shopify-hmac-sha256': 'AAAA' }, 'malformed_header'],
    ['standard', { ...stdHeaders, 'webhook-signature': 'v1' }, 'malformed_header'],
    ['standard', { ...stdHeaders, 'webhook-signature': 'v1,' + 'A'.repeat(100000) }, 'malformed_header'],
  ];
  for (const [scheme, headers, want] of cases) {
    const s = scheme === 'standard' ? std.secret : 'whsec_x';
    assert.throws(() => verify({ scheme, secret: s, body: std.body, headers, now: 1614265330 }), (e) => {
      assert.ok(!/unreachable|RuntimeError/.test(e.message), e.message);
      return code(want)(e);
    }, `${scheme} ${JSON.stringify(headers).slice(0, 80)}`);
  }
});

test('messages never carry the secret or the expected signature', () => {
  const secretText = 'super-secret-value-123';
  const headers = sign({ scheme: 'github', secret: secretText, body });
  try {
    verify({ scheme: 'github', secret: secretText, body: body + '!', headers });
    assert.fail('verified a tampered body');
  } catch (e) {
    const expectedForTampered = sign({ scheme: 'github', secret: secretText, body: body + '!' })['X-Hub-Signature-256'].slice(7);
    for (const leak of [secretText, expectedForTampered, expectedForTampered.slice(0, 16)]) {
      assert.ok(!e.message.includes(leak) && !e.stack.includes(leak), 'error leaks');
    }
  }
  try {
    verify({ ...std, secret: 'whsec_not base64!', headers: stdHeaders, now: 1614265330 });
  } catch (e) {
    assert.ok(!e.message.includes('not base64!'), e.message);
  }
});

test('non-UTF-8 and huge bodies', () => {
  const bin = new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3]);
  const h = sign({ scheme: 'shopify', secret: 's', body: bin });
  assert.ok(verify({ scheme: 'shopify', secret: 's', body: bin, headers: h }));
  const huge = new Uint8Array(32 << 20).fill(7);
  const hh = sign({ scheme: 'stripe', secret: 'whsec_x', body: huge, timestamp: 1700000000 });
  assert.ok(verify({ scheme: 'stripe', secret: 'whsec_x', body: huge, headers: hh, now: 1700000000 }));
  huge[huge.length - 1] = 8;
  assert.throws(() => verify({ scheme: 'stripe', secret: 'whsec_x', body: huge, headers: hh, now: 1700000000 }), code('signature_mismatch'));
});

test('a parsed JSON body is refused with advice, not a signature mismatch', () => {
  assert.throws(() => verify({ scheme: 'github', secret, body: { hello: 'world' }, headers: { 'x-hub-signature-256': sig } }),
    (e) => e instanceof TypeError && /raw request body/.test(e.message) && /express\.raw/.test(e.message));
  assert.throws(() => verify({ scheme: 'github', secret, body: undefined, headers: { 'x-hub-signature-256': sig } }), TypeError);
  assert.throws(() => verify({ scheme: 'github', body, headers: {} }), TypeError);
  assert.throws(() => verify({ secret, body, headers: {} }), TypeError);
  assert.throws(() => verify({ scheme: 'github', secret, body }), TypeError);
});

test('scheme and option errors', () => {
  assert.throws(() => verify({ scheme: 'gitlab', secret, body, headers: {} }), code('unknown_scheme'));
  assert.throws(() => sign({ scheme: 'gitlab', secret, body }), (e) => e instanceof WebhookSigningError && e.code === 'unknown_scheme');
  assert.throws(() => sign({ scheme: 'custom', secret, body }), { code: 'invalid_options', message: /header/ });
  assert.throws(() => sign({ scheme: 'custom', header: 'X-Sig', message: '{body}{body}', secret, body }), { code: 'invalid_options' });
  assert.throws(() => sign({ scheme: 'stripe', header: 'X-Sig', secret, body }), { code: 'invalid_options', message: /header/ });
  assert.throws(() => sign({ scheme: 'standard', secret: 'whsec_AAAA', body, id: 'bad\nid' }), { code: 'invalid_options' });
  assert.throws(() => sign({ scheme: 'github', secret, body, header: 42 }), TypeError);
});

test('sign defaults: timestamp is now, Standard Webhooks gets a random message id', () => {
  const before = Math.floor(Date.now() / 1000);
  const h = sign({ scheme: 'standard', secret: std.secret, body });
  assert.match(h['webhook-id'], /^msg_[0-9a-z]+$/);
  assert.ok(Math.abs(Number(h['webhook-timestamp']) - before) <= 2);
  assert.notEqual(sign({ scheme: 'standard', secret: std.secret, body })['webhook-id'], h['webhook-id']);
  assert.ok(verify({ scheme: 'standard', secret: std.secret, body, headers: h }));
  const g = sign({ scheme: 'github', secret, body, algorithm: 'sha1' });
  assert.deepEqual(Object.keys(g), ['X-Hub-Signature-256', 'X-Hub-Signature']);
  assert.ok(verify({ scheme: 'github', algorithm: 'sha1', secret, body, headers: { 'x-hub-signature': g['X-Hub-Signature'] } }));
  const d = sign({ scheme: 'dagu', secret, body, profile: 'prod' });
  assert.ok(verify({ scheme: 'dagu', secret, body, headers: d }));
  assert.throws(() => verify({ scheme: 'dagu', secret, body, headers: { ...d, 'X-Dagu-Profile': 'dev' } }), code('signature_mismatch'));
});

test('many schemes and secrets in one process (cache eviction keeps working)', () => {
  for (let i = 0; i < 100; i++) {
    const s = 'secret-' + i;
    const h = sign({ scheme: 'slack', secret: s, body, timestamp: 1700000000 });
    assert.ok(verify({ scheme: 'slack', secret: s, body, headers: h, now: 1700000000 }));
  }
  assert.ok(verify({ scheme: 'github', secret, body, headers: { 'x-hub-signature-256': sig } }));
});

test('small and large bodies interleaved on one compiled scheme (wasm buffer reuse, node:crypto path)', () => {
  const secret = 'whsec_' + Buffer.from('interleave').toString('base64');
  const bodies = ['a', 'x'.repeat(5000), '{"n":1}', 'y'.repeat(70000), 'b'];
  const signed = bodies.map((body) => sign({ scheme: 'standard', secret, body, id: 'msg_1', timestamp: 1700000000 }));
  for (let round = 0; round < 3; round++) {
    bodies.forEach((body, i) => {
      assert.equal(verify({ scheme: 'standard', secret, body, headers: signed[i], now: 1700000000 }).id, 'msg_1');
      assert.throws(() => verify({ scheme: 'standard', secret, body, headers: signed[(i + 1) % bodies.length], now: 1700000000 }), { code: 'signature_mismatch' });
    });
  }
});
