/** Signature schemes hookwright knows (`svix` is Standard Webhooks with `svix-` header names). */
export type Scheme =
  | 'grafana' | 'github' | 'stripe' | 'standard' | 'svix' | 'slack' | 'shopify' | 'dbt' | 'dagu' | 'custom';

/** Stable failure codes. */
export type ErrorCode =
  | 'missing_header' | 'malformed_header' | 'invalid_secret' | 'timestamp_too_old' | 'timestamp_too_new'
  | 'signature_mismatch' | 'unknown_scheme' | 'invalid_options';

/** A secret as text (decoded per scheme: `whsec_…` base64 for Standard Webhooks) or raw key bytes. */
export type Secret = string | Uint8Array;

/** Header names of any letter case; array values count as a repeated header. */
export type HeaderInput =
  | Headers
  | Record<string, string | string[] | number | undefined | null>;

/** Options that shape a scheme. Which apply depends on the scheme (others are refused). */
export interface SchemeOptions {
  scheme: Scheme | (string & {});
  /** Signature header name: grafana (default `X-Grafana-Alerting-Signature`), custom (required). */
  header?: string;
  /** Timestamp header name: grafana (signs `{ts}:{body}` when set), custom. */
  timestampHeader?: string;
  /** Message-id header name: custom. */
  idHeader?: string;
  /** custom: `sha256` (default), `sha512`, `sha1`; github: `sha1` adds/accepts the legacy `X-Hub-Signature`. */
  algorithm?: 'sha256' | 'sha512' | 'sha1';
  /** custom: `hex` (default) or `base64`. */
  encoding?: 'hex' | 'base64';
  /** custom: text before the encoded MAC, e.g. `sha256=`. */
  prefix?: string;
  /** custom: signed-content layout from `{id}`, `{timestamp}`, `{body}`; default `{body}`. */
  message?: string;
}

export interface VerifyOptions extends SchemeOptions {
  /** One secret, or several during a rotation. */
  secret: Secret | Secret[];
  /** The raw body exactly as received: never a re-serialized JSON object. */
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView;
  headers: HeaderInput;
  /** Accepted distance between the signed timestamp and `now`, both directions. Default 300. */
  toleranceSeconds?: number;
  /** Unix seconds (or a Date). Default: the current time. */
  now?: number | Date;
}

export interface Verified {
  scheme: string;
  /** The signed timestamp (unix seconds), for schemes that sign one. */
  timestamp?: number;
  /** The message id (Standard Webhooks, Svix, custom with `{id}`). */
  id?: string;
  /** Which of the secrets matched. */
  secretIndex: number;
}

export interface SignOptions extends SchemeOptions {
  /** The secret (the first of a list is used). */
  secret: Secret | Secret[];
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView;
  /** Unix seconds (or a Date). Default: now, for schemes that sign a timestamp. */
  timestamp?: number | Date;
  /** Message id. Default: a random `msg_…` where the scheme signs one. */
  id?: string;
  /** Dagu: sent as `X-Dagu-Profile` and included in the signature. */
  profile?: string;
}

/** Base class of every error hookwright throws on purpose. */
export class HookwrightError extends Error {
  readonly code: ErrorCode;
}
/** The request is not authentic, or cannot be checked; `code` says which step failed. */
export class WebhookVerificationError extends HookwrightError {
  readonly name: 'WebhookVerificationError';
}
/** Signing failed: bad options, or a timestamp / id the scheme needs is missing. */
export class WebhookSigningError extends HookwrightError {
  readonly name: 'WebhookSigningError';
}

/**
 * Verifies a received webhook. Header names in any case; signatures compared in constant time.
 * @throws {WebhookVerificationError} with `code` when the request is not authentic.
 * @throws {TypeError} when an argument has the wrong type (e.g. a parsed JSON body).
 */
export function verify(options: VerifyOptions): Verified;

/** Signs a body as the sender would; returns the headers to add, with the sender's spelling. */
export function sign(options: SignOptions): Record<string, string>;

export const schemes: readonly Scheme[];
export const errorCodes: readonly ErrorCode[];

declare const api: {
  sign: typeof sign;
  verify: typeof verify;
  schemes: typeof schemes;
  errorCodes: typeof errorCodes;
  HookwrightError: typeof HookwrightError;
  WebhookVerificationError: typeof WebhookVerificationError;
  WebhookSigningError: typeof WebhookSigningError;
};
export default api;
