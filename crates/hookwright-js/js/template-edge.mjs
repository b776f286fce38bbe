// hookwright/template for Cloudflare Workers (workerd): the bundler passes the compiled module.
import * as wasm from './wasm-template-web.mjs';
import module from './hookwright_template_bg.wasm';
import { makeTemplateApi } from './template-core.mjs';

wasm.initSync({ module });

const api = makeTemplateApi(wasm);
export const { render, catalog } = api;
export default api;
