// Node (import) entry of hookwright/template.
import { Buffer } from 'node:buffer';
import * as wasm from './wasm-template-node.mjs';
import { makeTemplateApi } from './template-core.mjs';

// Buffer writes UTF-8 into wasm memory several times faster than TextEncoder.encodeInto.
const api = makeTemplateApi(wasm, { view: (b) => Buffer.from(b), writeText: (view, text, at, max) => view.utf8Write(text, at, max) });
export const { render, compile, compileGrafana, catalog, grafanaPayload } = api;
export default api;
