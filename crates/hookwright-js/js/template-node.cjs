'use strict';
// Node (require) entry of hookwright/template.
const wasm = require('./wasm-template-node.cjs');
const { makeTemplateApi } = require('./template-core.cjs');

// Buffer writes UTF-8 into wasm memory several times faster than TextEncoder.encodeInto.
const api = makeTemplateApi(wasm, { view: (b) => Buffer.from(b), writeText: (view, text, at, max) => view.utf8Write(text, at, max) });
module.exports = api;
module.exports.default = api;
