// The receivers of the package README, served for real on 127.0.0.1 and called over HTTP.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import { sign, verify, WebhookVerificationError } from 'hookwright';

const payload = JSON.stringify({ action: 'opened', text: 'quotes " and \\ and emoji 🎉', n: 1 });

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

async function post(url, headers, body = payload) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, text: await res.text() };
}

test('Express with express.raw: accepts a signed delivery, rejects tampering and missing headers', async () => {
  const secret = 'gh-secret';
  const app = express();
  app.post('/webhooks/github', express.raw({ type: '*/*' }), (req, res) => {
    try {
      verify({ scheme: 'github', secret, body: req.body, headers: req.headers });
    } catch (e) {
      if (e instanceof WebhookVerificationError) return res.status(401).send(e.code);
      throw e;
    }
    res.status(200).send(JSON.parse(req.body).text);
  });
  const server = http.createServer(app);
  const base = await listen(server);
  try {
    const headers = sign({ scheme: 'github', secret, body: payload });
    assert.deepEqual(await post(`${base}/webhooks/github`, headers), { status: 200, text: 'quotes " and \\ and emoji 🎉' });
    assert.deepEqual(await post(`${base}/webhooks/github`, headers, payload.replace('1', '2')), { status: 401, text: 'signature_mismatch' });
    assert.deepEqual(await post(`${base}/webhooks/github`, {}), { status: 401, text: 'missing_header' });
  } finally {
    server.close();
  }
});

test('Express with express.json first: the mistake is reported, not silently mismatched', async () => {
  const app = express();
  app.post('/hook', express.json(), (req, res) => {
    try {
      verify({ scheme: 'github', secret: 's', body: req.body, headers: req.headers });
      res.sendStatus(200);
    } catch (e) {
      res.status(500).send(e.message);
    }
  });
  const server = http.createServer(app);
  const base = await listen(server);
  try {
    const r = await post(`${base}/hook`, sign({ scheme: 'github', secret: 's', body: payload }));
    assert.equal(r.status, 500);
    assert.match(r.text, /express\.raw/);
  } finally {
    server.close();
  }
});

test('Fastify with a buffer content-type parser: Stripe deliveries', async () => {
  const secret = 'whsec_stripe_test';
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => done(null, body));
  app.post('/webhooks/stripe', async (req, reply) => {
    try {
      verify({ scheme: 'stripe', secret, body: req.body, headers: req.headers });
    } catch (e) {
      if (e instanceof WebhookVerificationError) return reply.code(400).send(e.code);
      throw e;
    }
    return { received: true };
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const headers = sign({ scheme: 'stripe', secret, body: payload });
    assert.deepEqual(await post(`${base}/webhooks/stripe`, headers), { status: 200, text: '{"received":true}' });
    const old = sign({ scheme: 'stripe', secret, body: payload, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    assert.deepEqual(await post(`${base}/webhooks/stripe`, old), { status: 400, text: 'timestamp_too_old' });
    assert.deepEqual(await post(`${base}/webhooks/stripe`, { 'Stripe-Signature': 'nonsense' }), { status: 400, text: 'malformed_header' });
  } finally {
    await app.close();
  }
});

test('fetch-style handler (Request → Response) behind a real HTTP server: Standard Webhooks', async () => {
  const secret = 'whsec_' + Buffer.from('a standard secret').toString('base64');
  // The handler of the README, as a Worker/Deno/Bun would run it.
  const handler = {
    async fetch(request, env) {
      const body = new Uint8Array(await request.arrayBuffer());
      try {
        verify({ scheme: 'standard', secret: env.WEBHOOK_SECRET, body, headers: request.headers });
      } catch (e) {
        if (e instanceof WebhookVerificationError) return new Response(e.code, { status: 401 });
        throw e;
      }
      return new Response(null, { status: 204 });
    },
  };
  // Node's http server bridged to the fetch handler.
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
    const response = await handler.fetch(request, { WEBHOOK_SECRET: secret });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  const base = await listen(server);
  try {
    const headers = sign({ scheme: 'standard', secret, body: payload });
    assert.equal((await post(base, headers)).status, 204);
    assert.deepEqual(await post(base, { ...headers, 'webhook-id': 'msg_other' }), { status: 401, text: 'signature_mismatch' });
  } finally {
    server.close();
  }
});
