'use strict';
// Node (require) entry of hookwright/template.
const wasm = require('./wasm-template-node.cjs');
const { makeTemplateApi } = require('./template-core.cjs');

const api = makeTemplateApi(wasm);
module.exports = api;
module.exports.default = api;
