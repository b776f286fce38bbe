/** Template dialects: Dagster+ tokens, minijinja, Go text/template (Grafana), Dagu `${WEBHOOK_PAYLOAD…}`. */
export type Dialect = 'tokens' | 'jinja' | 'go' | 'dagu';

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable code: `syntax_error`, `unknown_token`, `token_not_available`, `undefined_value`, `invalid_json_output`, `env_missing`, `limit_exceeded`, … */
  code: string;
  message: string;
  /** 1-based line in the template. */
  line: number;
  /** 1-based column (characters) in the template. */
  column: number;
  /** Byte offsets of the span in the template's UTF-8, end exclusive. */
  start: number;
  end: number;
}

export interface RenderOptions {
  template: string;
  /** Default: the sender's dialect, else `jinja`. */
  dialect?: Dialect;
  /** The event: tokens / template context. */
  data?: unknown;
  /** `{{env.NAME}}` values. */
  env?: Record<string, string>;
  /** Grafana custom payload variables (`.Vars.name`). */
  vars?: Record<string, string>;
  /** `json` escapes inserted values so the body stays valid JSON; `auto` (default) when the template starts with `{` or `[`. */
  format?: 'json' | 'text' | 'auto';
  /** Catalog sender id (`dagster`, `grafana`, …): enables token checks with did-you-mean. */
  sender?: string;
  /** Catalog event id: tokens other events offer are reported as `token_not_available`. */
  event?: string;
  /** Bounds; defaults 1,000,000 steps, depth 64, 1 MiB output. A render also stops after 1 s (`limit_exceeded`). */
  limits?: { steps?: number; depth?: number; output?: number };
}

export interface RenderResult {
  /** The rendered body, or null when an error stopped rendering. */
  output: string | null;
  diagnostics: Diagnostic[];
  dialect: Dialect;
}

/** Renders a payload template as the sender would. Never throws for template problems: see `diagnostics`. */
export function render(options: RenderOptions): RenderResult;

export interface CompiledTemplate {
  /**
   * Renders with this event data: the same result as `render({ ...options, data })`. A tokens
   * template reads only the values its tokens name, so data it does not read is never
   * serialized (nor refused, as a BigInt or a cycle there would make `render` throw).
   */
  render(data?: unknown): RenderResult;
  /** Releases the wasm memory now (a finalizer does it otherwise). */
  free(): void;
}

/** Compiles a template once (`render`'s options without `data`) to render many events fast. */
export function compile(options: Omit<RenderOptions, 'data'>): CompiledTemplate;

export interface GrafanaPayloadOptions {
  /** The alert group in Grafana's JSON shape (receiver, status, alerts, groupLabels, commonLabels, …). */
  group: unknown;
  /** Title template (default `{{ template "default.title" . }}`). */
  title?: string;
  /** Message template (default `{{ template "default.message" . }}`). */
  message?: string;
  /** Max Alerts: 0 = no limit; the rest is counted in `truncatedAlerts`. */
  maxAlerts?: number;
  /** A Go template that replaces the default payload. */
  customPayload?: string;
  /** `.Vars` of the custom payload. */
  vars?: Record<string, string>;
  orgId?: number;
  limits?: { steps?: number; depth?: number; output?: number };
}

/** The exact body a Grafana webhook contact point sends; `sent` is false when Grafana would not send. */
export function grafanaPayload(options: GrafanaPayloadOptions): { body: string; sent: boolean; diagnostics: Diagnostic[] };

export interface CompiledGrafana {
  /** The body for this alert group: the same result as `grafanaPayload({ ...options, group })`. */
  render(group: unknown): { body: string; sent: boolean; diagnostics: Diagnostic[] };
  /** Releases the wasm memory now (a finalizer does it otherwise). */
  free(): void;
}

/** Compiles a contact point once (`grafanaPayload`'s options without `group`). */
export function compileGrafana(options: Omit<GrafanaPayloadOptions, 'group'>): CompiledGrafana;

/** The senders' catalog (events, tokens, samples, default templates, signing schemes). */
export function catalog(): { senders: Array<Record<string, unknown>> };

declare const api: {
  render: typeof render;
  compile: typeof compile;
  compileGrafana: typeof compileGrafana;
  catalog: typeof catalog;
  grafanaPayload: typeof grafanaPayload;
};
export default api;
