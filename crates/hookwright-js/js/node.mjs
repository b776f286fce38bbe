// Node (import). See node.cjs.
import crypto from 'node:crypto';
import * as wasm from './wasm-node.mjs';
import { makeApi } from './core.mjs';

const api = makeApi(wasm, {
  hmac(alg, key, parts) {
    const h = crypto.createHmac(alg, key);
    for (const p of parts) h.update(p);
    return h.digest();
  },
  equal: crypto.timingSafeEqual,
  threshold: 1024,
});

export const { sign, verify, schemes, errorCodes, HookwrightError, WebhookVerificationError, WebhookSigningError } = api;
export default api;
