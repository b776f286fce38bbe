// Node (import). See node.cjs.
import crypto from 'node:crypto';
import { Buffer } from 'node:buffer';
import wasm from './wasm-node.mjs';
import { makeApi, nodeHost } from './core.mjs';

const api = makeApi(wasm, nodeHost(crypto, Buffer));

export const { sign, verify, schemes, errorCodes, HookwrightError, WebhookVerificationError, WebhookSigningError } = api;
export default api;
