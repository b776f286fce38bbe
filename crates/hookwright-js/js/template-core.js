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

  /**
   * The exact body a Grafana webhook contact point sends for an alert group (Grafana's JSON shape:
   * receiver, status, alerts, groupLabels, …): the default payload with Title and Message
   * templates, Max Alerts truncation, or a custom payload with Vars. Returns
   * `{ body, sent, diagnostics }`; `sent` is false when Grafana would not send (an error).
   */
  function grafanaPayload(opts) {
    if (opts === null || typeof opts !== 'object' || opts.group === undefined) throw new TypeError('hookwright: group is required');
    return grafanaResult(wasm.grafanaPayload(JSON.stringify({ ...opts, vars: map(opts.vars, 'vars') })));
  }

  function compiledRequest(opts) {
    if (opts === null || typeof opts !== 'object') throw new TypeError('hookwright: expected an options object');
    if (typeof opts.template !== 'string') throw new TypeError('hookwright: template is required (a string)');
    return {
      template: opts.template,
      dialect: opts.dialect,
      env: map(opts.env, 'env'),
      vars: map(opts.vars, 'vars'),
      format: opts.format,
      sender: opts.sender,
      event: opts.event,
      limits: opts.limits,
    };
  }

  function construct(Class, request) {
    try {
      return new Class(JSON.stringify(request));
    } catch (e) {
      if (typeof e === 'string') throw new TypeError('hookwright: ' + JSON.parse(e).error);
      throw e;
    }
  }

  function parsed(text) {
    const result = JSON.parse(text);
    if (result.error !== undefined) throw new TypeError('hookwright: ' + result.error);
    return result;
  }

  // A render without diagnostics comes back as `=` and the body (61 is `=`), anything else as
  // JSON.
  function grafanaResult(text) {
    if (text.charCodeAt(0) === 61) return { body: text.slice(1), sent: true, diagnostics: [] };
    return parsed(text);
  }

  /**
   * Compiles a payload template once (`render`'s options without `data`). Returns
   * `{ render(data), free() }`: `render` gives what `render({ ...options, data })` gives, and
   * diagnostics that depend only on the template are found once. `free()` releases the wasm
   * memory now (otherwise a finalizer does it).
   */
  function compile(opts) {
    const inner = construct(wasm.CompiledTemplate, compiledRequest(opts));
    const dialect = inner.dialect;
    return {
      render(data) {
        const text = inner.render(data === undefined ? '{}' : JSON.stringify(data));
        if (text.charCodeAt(0) === 61) return { output: text.slice(1), diagnostics: [], dialect };
        return parsed(text);
      },
      free() {
        inner.free();
      },
    };
  }

  /**
   * Compiles a Grafana contact point once (`grafanaPayload`'s options without `group`).
   * Returns `{ render(group), free() }`; `render` gives what `grafanaPayload` gives.
   */
  function compileGrafana(opts) {
    if (opts === null || typeof opts !== 'object') throw new TypeError('hookwright: expected an options object');
    const { group: _group, ...rest } = opts;
    const inner = construct(wasm.CompiledGrafana, { ...rest, vars: map(opts.vars, 'vars') });
    return {
      render(group) {
        if (group === undefined) throw new TypeError('hookwright: group is required');
        return grafanaResult(inner.render(JSON.stringify(group)));
      },
      free() {
        inner.free();
      },
    };
  }

  /** The senders' catalog: events, tokens, sample events, default templates, schemes, headers. */
  function catalog() {
    if (catalogCache === null) catalogCache = JSON.parse(wasm.catalog());
    return catalogCache;
  }

  return { render, compile, compileGrafana, catalog, grafanaPayload };
}
