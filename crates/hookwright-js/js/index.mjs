// Browsers, bundlers, Deno, Bun, edge runtimes: no Node globals, no fetch of a .wasm file. The wasm
// ships inline (base64) and is instantiated synchronously, so importing is enough.
import { instantiate } from './wasm-web.mjs';
import bytesBase64 from './wasm-inline.mjs';
import { makeApi } from './core.mjs';

const text = atob(bytesBase64);
const bytes = new Uint8Array(text.length);
for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
const api = makeApi(instantiate(bytes), null);

export const { sign, verify, schemes, errorCodes, HookwrightError, WebhookVerificationError, WebhookSigningError } = api;
export default api;
