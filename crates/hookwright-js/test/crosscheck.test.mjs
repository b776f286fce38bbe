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
