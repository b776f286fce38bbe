// hookwright/template for browsers, bundlers, Deno and edge functions: inline wasm, synchronous.
import * as wasm from './wasm-template-web.mjs';
import bytesBase64 from './wasm-template-inline.mjs';
import { makeTemplateApi } from './template-core.mjs';

const text = atob(bytesBase64);
const bytes = new Uint8Array(text.length);
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
wasm.initSync({ module: bytes });

const api = makeTemplateApi(wasm);
export const { render, catalog } = api;
export default api;
