// Node (import) entry of hookwright/template.
import * as wasm from './wasm-template-node.mjs';
import { makeTemplateApi } from './template-core.mjs';

const api = makeTemplateApi(wasm);
export const { render, catalog } = api;
export default api;
