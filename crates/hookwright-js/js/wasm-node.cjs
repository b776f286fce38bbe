'use strict';
// The verifier wasm for Node (require). It imports nothing, so instantiating it is all the glue.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(__dirname, 'hookwright_bg.wasm'))), {}).exports;
