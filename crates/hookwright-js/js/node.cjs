'use strict';
// Node (require). Bodies of 1.5 KiB or more are hashed by node:crypto, which uses the CPU's SHA
// instructions; the headers, timestamp and secrets are still parsed and checked by the wasm core.
const crypto = require('node:crypto');
const wasm = require('./wasm-node.cjs');
const { makeApi, nodeHost } = require('./core.cjs');

const api = makeApi(wasm, nodeHost(crypto, Buffer));

module.exports = api;
module.exports.default = api;
