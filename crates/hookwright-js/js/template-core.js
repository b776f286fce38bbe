// The template API of the npm package (`hookwright/template`) over its own wasm module, so the
// verifier stays small. `cargo xtask npm` appends the export line (ESM or CJS).

/** @param {any} wasm the wasm-bindgen module of hookwright_template (exports `render`, `catalog`) */
function makeTemplateApi(wasm) {
  let catalogCache = null;

  function map(value, what) {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`hookwright: ${what} must be an object of strings`);
    return value;
  }

  /**
   * Renders a payload template. Returns `{ output, diagnostics, dialect }`: `output` is the body
   * (or null when rendering failed), `diagnostics` the problems found, each with `severity`,
   * `code`, `message`, `line`, `column` (1-based) and `start`/`end` (byte offsets in the
   * template's UTF-8).
   */
  function render(opts) {
    if (opts === null || typeof opts !== 'object') throw new TypeError('hookwright: expected an options object');
    if (typeof opts.template !== 'string') throw new TypeError('hookwright: template is required (a string)');
    const request = {
      template: opts.template,
      dialect: opts.dialect,
      data: opts.data,
      env: map(opts.env, 'env'),
      vars: map(opts.vars, 'vars'),
      format: opts.format,
      sender: opts.sender,
      event: opts.event,
      limits: opts.limits,
    };
    const result = JSON.parse(wasm.render(JSON.stringify(request)));
    if (result.error !== undefined) throw new TypeError('hookwright: ' + result.error);
    return result;
  }

  /** The senders' catalog: events, tokens, sample events, default templates, schemes, headers. */
  function catalog() {
    if (catalogCache === null) catalogCache = JSON.parse(wasm.catalog());
    return catalogCache;
  }

  return { render, catalog };
}
