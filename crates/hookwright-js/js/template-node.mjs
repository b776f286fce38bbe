// Node (import) entry of hookwright/template.
import * as wasm from './wasm-template-node.mjs';
import { makeTemplateApi } from './template-core.mjs';

const api = makeTemplateApi(wasm);
export const { render, compile, compileGrafana, catalog, grafanaPayload } = api;
export default api;
