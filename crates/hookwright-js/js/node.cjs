'use strict';
// Node (require). Bodies of 1 KiB or more are hashed by node:crypto, which uses the CPU's SHA
// instructions; the headers, timestamp and secrets are still parsed and checked by the wasm core.
const crypto = require('node:crypto');
const wasm = require('./wasm-node.cjs');
const { makeApi } = require('./core.cjs');

const api = makeApi(wasm, {
  hmac(alg, key, parts) {
    const h = crypto.createHmac(alg, key);
    for (const p of parts) if (p.length !== 0) h.update(p);
    return h.digest();
  },
  equal: crypto.timingSafeEqual,
  threshold: 1024,
  // Buffer's native UTF-8 writer is several times faster than TextEncoder.encodeInto in Node.
  view: (buffer) => Buffer.from(buffer),
  writeText: (view, text, at, max) => view.utf8Write(text, at, max),
});

module.exports = api;
module.exports.default = api;
