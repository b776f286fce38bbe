// `cargo xtask bench`: hookwright's verify beside its peers, in one Node process.
// Prints ops/s (median of rounds) and ratios; checks nothing (speed goals are read, not asserted).
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { verify, sign } from 'hookwright';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ROUNDS, ROUND_MS, measure, measureSync, fmt } from './measure.mjs';

const SIZES = [['64 B', 64], ['1 KiB', 1024], ['16 KiB', 16384], ['1 MiB', 1 << 20]];

function jsonBody(n) {
  const pad = n - '{"data":""}'.length;
  return Buffer.from('{"data":"' + 'x'.repeat(Math.max(0, pad)) + '"}');
}

const rows = [];
function report(group, size, name, ops, base) {
  rows.push({ group, size, name, ops, ratio: ops / base });
  console.log(`${group.padEnd(9)} ${size.padEnd(7)} ${name.padEnd(28)} ${fmt(ops).padStart(8)} ops/s  ${(ops / base).toFixed(2).padStart(6)}×`);
}

console.log(`Node ${process.version}, ${ROUNDS} rounds of ${ROUND_MS} ms, median ops/s; ratio to the first row of each block\n`);

// GitHub scheme: X-Hub-Signature-256 over the body.
const ghSecret = "It's a Secret to Everybody";
for (const [label, n] of SIZES) {
  const body = jsonBody(n);
  const headers = { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/abc', 'x-github-event': 'push', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', ...sign({ scheme: 'github', secret: ghSecret, body }) };
  const sigHeader = headers['X-Hub-Signature-256'];
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const nodeCrypto = () => {
    const sig = lower['x-hub-signature-256'];
    if (!sig.startsWith('sha256=')) throw new Error('bad');
    const got = Buffer.from(sig.slice(7), 'hex');
    const mac = crypto.createHmac('sha256', ghSecret).update(body).digest();
    if (got.length !== mac.length || !crypto.timingSafeEqual(got, mac)) throw new Error('mismatch');
  };
  const base = measureSync(nodeCrypto);
  report('github', label, 'node:crypto', base, base);
  report('github', label, 'hookwright verify', measureSync(() => verify({ scheme: 'github', secret: ghSecret, body, headers: lower })), base);
  const bodyText = body.toString();
  report('github', label, '@octokit/webhooks-methods', await measure(async () => { if (!(await octokitVerify(ghSecret, bodyText, sigHeader))) throw new Error('mismatch'); }), base);
  const key = new TextEncoder().encode(ghSecret);
  report('github', label, '@noble/hashes hmac', measureSync(() => {
    const got = Buffer.from(lower['x-hub-signature-256'].slice(7), 'hex');
    const mac = hmac(sha256, key, body);
    let d = got.length ^ mac.length;
    for (let i = 0; i < mac.length; i++) d |= got[i] ^ mac[i];
    if (d) throw new Error('mismatch');
  }), base);
}
console.log('');

// Standard Webhooks: webhook-id / webhook-timestamp / webhook-signature.
const stdSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const stdKey = Buffer.from(stdSecret.slice(6), 'base64');
for (const [label, n] of SIZES) {
  const body = jsonBody(n);
  const headers = sign({ scheme: 'standard', secret: stdSecret, body, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek' });
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const svixHeaders = { 'svix-id': lower['webhook-id'], 'svix-timestamp': lower['webhook-timestamp'], 'svix-signature': lower['webhook-signature'] };
  const bodyText = body.toString();
  const nodeCrypto = () => {
    const ts = Number(lower['webhook-timestamp']);
    if (Math.abs(Date.now() / 1000 - ts) > 300) throw new Error('old');
    const mac = crypto.createHmac('sha256', stdKey).update(`${lower['webhook-id']}.${lower['webhook-timestamp']}.`).update(body).digest();
    let ok = false;
    for (const part of lower['webhook-signature'].split(' ')) {
      const [v, s] = part.split(',');
      if (v !== 'v1') continue;
      const got = Buffer.from(s, 'base64');
      if (got.length === mac.length && crypto.timingSafeEqual(got, mac)) ok = true;
    }
    if (!ok) throw new Error('mismatch');
  };
  const base = measureSync(nodeCrypto);
  const std = new StandardWebhook(stdSecret);
  const svix = new SvixWebhook(stdSecret);
  const stdOps = measureSync(() => std.verify(bodyText, lower));
  report('standard', label, 'standardwebhooks', stdOps, stdOps);
  report('standard', label, 'svix', measureSync(() => svix.verify(bodyText, svixHeaders)), stdOps);
  report('standard', label, 'node:crypto', base, stdOps);
  report('standard', label, 'hookwright verify', measureSync(() => verify({ scheme: 'standard', secret: stdSecret, body, headers: lower })), stdOps);
}

// Size of what a browser downloads for the verifier.
const pkgDir = new URL('../pkg/', import.meta.url);
const wasm = fs.readFileSync(new URL('hookwright_bg.wasm', pkgDir));
const gz = zlib.gzipSync(wasm, { level: 9 }).length;
console.log(`\nverifier wasm: ${wasm.length} bytes, ${gz} bytes gzip (goal ≤ 20480)`);

const get = (g, s, n) => rows.find((r) => r.group === g && r.size === s && r.name === n);
console.log('\ngoals');
for (const [size, goal] of [['64 B', 2.5], ['1 KiB', 1.0], ['1 MiB', 0.9]]) {
  const r = get('github', size, 'hookwright verify');
  console.log(`  verify vs node:crypto at ${size.padEnd(6)} ${r.ratio.toFixed(2)}× (goal ≥ ${goal}×) ${r.ratio >= goal ? 'met' : 'NOT met'}`);
}
for (const [size] of SIZES) {
  const r = get('standard', size, 'hookwright verify');
  console.log(`  standard vs standardwebhooks at ${size.padEnd(6)} ${r.ratio.toFixed(2)}× (goal ≥ 5×) ${r.ratio >= 5 ? 'met' : 'NOT met'}`);
}
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ rows, wasm: wasm.length, wasmGzip: gz }, null, 2));
