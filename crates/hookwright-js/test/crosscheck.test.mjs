// Every scheme against an independent implementation (node:crypto) on random inputs.
import test from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sign, verify } from 'hookwright';

const hmac = (alg, key, msg, enc = 'hex') => crypto.createHmac(alg, key).update(msg).digest(enc);

// What each sender puts in its headers, written from the senders' documentation.
const expected = {
  github: ({ secret, body }) => ({ 'X-Hub-Signature-256': 'sha256=' + hmac('sha256', secret, body) }),
  stripe: ({ secret, body, ts }) => ({ 'Stripe-Signature': `t=${ts},v1=` + hmac('sha256', secret, Buffer.concat([Buffer.from(`${ts}.`), body])) }),
  standard: ({ secret, body, ts, id }) => ({
    'webhook-id': id, 'webhook-timestamp': String(ts),
    'webhook-signature': 'v1,' + hmac('sha256', Buffer.from(secret.slice(6), 'base64'), Buffer.concat([Buffer.from(`${id}.${ts}.`), body]), 'base64'),
  }),
  svix: ({ secret, body, ts, id }) => ({
    'svix-id': id, 'svix-timestamp': String(ts),
    'svix-signature': 'v1,' + hmac('sha256', Buffer.from(secret.slice(6), 'base64'), Buffer.concat([Buffer.from(`${id}.${ts}.`), body]), 'base64'),
  }),
  slack: ({ secret, body, ts }) => ({ 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': 'v0=' + hmac('sha256', secret, Buffer.concat([Buffer.from(`v0:${ts}:`), body])) }),
  shopify: ({ secret, body }) => ({ 'X-Shopify-Hmac-Sha256': hmac('sha256', secret, body, 'base64') }),
  grafana: ({ secret, body }) => ({ 'X-Grafana-Alerting-Signature': hmac('sha256', secret, body) }),
  dbt: ({ secret, body }) => ({ Authorization: hmac('sha256', secret, body) }),
  dagu: ({ secret, body }) => ({ 'X-Dagu-Signature': 'sha256=' + hmac('sha256', secret, body) }),
};

function randomText(n) {
  // Printable ASCII secrets; bodies are random bytes (often not UTF-8).
  return Array.from(crypto.randomBytes(n), (b) => String.fromCharCode(33 + (b % 94))).join('');
}

test('every scheme matches node:crypto on 200 random inputs each, and tampering fails', () => {
  for (const [scheme, make] of Object.entries(expected)) {
    for (let i = 0; i < 200; i++) {
      const body = crypto.randomBytes(crypto.randomInt(0, i < 190 ? 300 : 5000));
      const ts = crypto.randomInt(1_000_000_000, 2_000_000_000);
      const id = 'msg_' + randomText(12).replace(/[^A-Za-z0-9]/g, 'x');
      const secret = scheme === 'standard' || scheme === 'svix' ? 'whsec_' + crypto.randomBytes(crypto.randomInt(16, 64)).toString('base64') : randomText(crypto.randomInt(1, 80));
      const headers = sign({ scheme, secret, body, timestamp: ts, id });
      assert.deepEqual(headers, make({ secret, body, ts, id }), `${scheme} #${i}`);
      assert.equal(verify({ scheme, secret, body, headers, now: ts }).scheme, scheme);
      if (body.length > 0) {
        const bad = Buffer.from(body);
        bad[crypto.randomInt(0, bad.length)] ^= 1 << crypto.randomInt(0, 8);
        assert.throws(() => verify({ scheme, secret, body: bad, headers, now: ts }), { code: 'signature_mismatch' }, `${scheme} #${i}`);
      }
    }
  }
});

test('custom layouts match node:crypto for every algorithm and encoding', () => {
  for (const algorithm of ['sha256', 'sha512', 'sha1']) {
    for (const encoding of ['hex', 'base64']) {
      const opts = { scheme: 'custom', header: 'X-Signature', prefix: 'sig=', algorithm, encoding, message: '{timestamp}|{id}|{body}|end', timestampHeader: 'X-Ts', idHeader: 'X-Id' };
      const body = crypto.randomBytes(100), secret = randomText(20), ts = 1700000000, id = 'evt_1';
      const headers = sign({ ...opts, secret, body, timestamp: ts, id });
      const msg = Buffer.concat([Buffer.from(`${ts}|${id}|`), body, Buffer.from('|end')]);
      assert.deepEqual(headers, { 'X-Id': id, 'X-Ts': String(ts), 'X-Signature': 'sig=' + hmac(algorithm, secret, msg, encoding) });
      assert.ok(verify({ ...opts, secret, body, headers, now: ts }));
    }
  }
});

test('every body size path (wasm, host hash, host HMAC) agrees with node:crypto, with rotation and long keys', () => {
  // Node hashes with wasm below 768 bytes, with a one-shot host hash up to 64 KiB, with createHmac
  // beyond: each size lands on one of them, around both boundaries.
  const sizes = [0, 100, 767, 768, 769, 1024, 5000, 65535, 65536, 70000];
  for (const algorithm of ['sha256', 'sha512', 'sha1']) {
    const opts = { scheme: 'custom', header: 'X-Signature', algorithm, message: '{timestamp}.{body}.end', timestampHeader: 'X-Ts' };
    for (const n of sizes) {
      // A key longer than any hash block (hashed first) and a short one; the second one signed.
      const secrets = [randomText(200), randomText(crypto.randomInt(1, 40))];
      const ts = 1700000000;
      for (const body of [crypto.randomBytes(n), 'é€😀x'.repeat(Math.ceil(n / 4)).slice(0, n)]) {
        const msg = Buffer.concat([Buffer.from(`${ts}.`), Buffer.from(body), Buffer.from('.end')]);
        const headers = { 'X-Ts': String(ts), 'X-Signature': hmac(algorithm, secrets[1], msg) };
        const what = `${algorithm} ${n} ${typeof body}`;
        assert.equal(verify({ ...opts, secret: secrets, body, headers, now: ts }).secretIndex, 1, what);
        assert.equal(verify({ ...opts, secret: secrets[1], body, headers, now: ts }).secretIndex, 0, what);
        assert.throws(() => verify({ ...opts, secret: secrets[0], body, headers, now: ts }), { code: 'signature_mismatch' }, what);
        if (n > 0) {
          const bad = Buffer.from(body);
          bad[bad.length >> 1] ^= 4;
          assert.throws(() => verify({ ...opts, secret: secrets, body: bad, headers, now: ts }), { code: 'signature_mismatch' }, what);
        }
      }
    }
  }
});
