// Cloudflare Workers (workerd) and other runtimes that forbid compiling wasm from bytes: the
// bundler (wrangler) hands the .wasm in as a compiled WebAssembly.Module.
import { instantiate } from './wasm-web.mjs';
import module from './hookwright_bg.wasm';
import { makeApi } from './core.mjs';

const api = makeApi(instantiate(module), null);

export const { sign, verify, schemes, errorCodes, HookwrightError, WebhookVerificationError, WebhookSigningError } = api;
export default api;
