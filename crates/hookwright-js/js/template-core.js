// The template API of the npm package (`hookwright/template`) over its own wasm module, so the
// verifier stays small. `cargo xtask npm` appends the export line (ESM or CJS).

/**
 * @param {any} wasm the wasm-bindgen module of hookwright_template (exports `render`, `catalog`)
 * @param {{ view?(buffer: ArrayBuffer): Uint8Array,
 *           writeText?(view: Uint8Array, text: string, at: number, max: number): number } | null} [host]
 *   a faster way to write text into wasm memory (Node's Buffer), when there is one
 */
function makeTemplateApi(wasm, host = null) {
  let catalogCache = null;
  const encoder = new TextEncoder();
  const memory = wasm.wasmMemory();
  let memView = new Uint8Array(0);
  let numView = new Float64Array(0);
  /** Views of wasm memory, renewed after the memory grew. */
  function views() {
    if (memView.buffer !== memory.buffer) {
      memView = host !== null && host.view ? host.view(memory.buffer) : new Uint8Array(memory.buffer);
      numView = new Float64Array(memory.buffer);
    }
  }
  /** Writes `text` as UTF-8 at `at` (at most `max` bytes); returns the bytes written. */
  const writeText = host !== null && host.writeText
    ? host.writeText
    : (mem, text, at, max) => encoder.encodeInto(text, mem.subarray(at, at + max)).written;

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
    return parsed(wasm.render(JSON.stringify(request)), request);
  }

  /**
   * The exact body a Grafana webhook contact point sends for an alert group (Grafana's JSON shape:
   * receiver, status, alerts, groupLabels, …): the default payload with Title and Message
   * templates, Max Alerts truncation, or a custom payload with Vars. Returns
   * `{ body, sent, diagnostics }`; `sent` is false when Grafana would not send (an error).
   */
  function grafanaPayload(opts) {
    if (opts === null || typeof opts !== 'object' || opts.group === undefined) throw new TypeError('hookwright: group is required');
    const request = { ...opts, vars: map(opts.vars, 'vars') };
    return grafanaResult(wasm.grafanaPayload(JSON.stringify(request)), request);
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
      if (typeof e === 'string') throw failure(JSON.parse(e).error, request);
      throw e;
    }
  }

  /**
   * Where `value` (named `path`) holds a string with a lone UTF-16 surrogate, as a sentence, or
   * null. JSON.stringify writes such a string as an escape the template module cannot read as
   * text, and its error would point into that JSON rather than at the user's data.
   */
  function loneSurrogate(value, path, depth) {
    if (typeof value === 'string') {
      const i = value.search(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      if (i < 0) return null;
      const unit = value.charCodeAt(i).toString(16).toUpperCase();
      return `${path} is not valid Unicode text: a lone surrogate U+${unit} at index ${i} (half of a UTF-16 pair; was the string cut in the middle of an emoji?)`;
    }
    if (value === null || typeof value !== 'object' || depth > 64) return null;
    for (const key of Object.keys(value)) {
      const name = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
      const found = loneSurrogate(key, `the key ${name}`, depth + 1) || loneSurrogate(value[key], name, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }

  /** The error for `message` from the template module about `input` (the request's parts). */
  function failure(message, input) {
    if (/surrogate|hex escape/.test(message)) {
      for (const name of Object.keys(input)) {
        const found = loneSurrogate(input[name], name, 0);
        if (found !== null) return new TypeError('hookwright: ' + found);
      }
    }
    return new TypeError('hookwright: ' + message);
  }

  function parsed(text, input) {
    const result = JSON.parse(text);
    if (result.error !== undefined) throw failure(result.error, input);
    return result;
  }

  // A render without diagnostics comes back as `=` and the body (61 is `=`), anything else as
  // JSON.
  function grafanaResult(text, input) {
    if (text.charCodeAt(0) === 61) return { body: text.slice(1), sent: true, diagnostics: [] };
    return parsed(text, input);
  }

  const isEnumerable = Object.prototype.propertyIsEnumerable;
  const MISSING = [];

  // How JSON.stringify would send `v` on the way down a path: 1 an object to look into, 0
  // nothing to look into (a primitive or an array: the lookup finds nothing), -1 unsure
  // (toJSON, a class instance, a BigInt that must throw): send the whole data.
  function kind(v) {
    if (typeof v === 'bigint') return -1;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return 0;
    const proto = Object.getPrototypeOf(v);
    return (proto === Object.prototype || proto === null) && typeof v.toJSON !== 'function' ? 1 : -1;
  }

  // The values at `segments` in `data` as the template module reads them out of
  // JSON.stringify(data) (MISSING where it would find nothing), or null when only the whole
  // data will do (a value that is an object, an array or anything JSON.stringify treats
  // specially). Data the template does not read is not sent.
  function valuesAt(data, segments) {
    const out = new Array(segments.length);
    if (data === undefined) return out.fill(MISSING);
    if (typeof data === 'function' || typeof data === 'symbol') return null;
    const root = kind(data);
    if (root < 0) return null;
    for (let i = 0; i < segments.length; i++) {
      const path = segments[i];
      let v = data;
      let k = root;
      for (let j = 0; j < path.length; j++) {
        if (k === 0) break;
        const key = path[j];
        v = isEnumerable.call(v, key) ? v[key] : undefined;
        k = j + 1 < path.length ? kind(v) : 1;
        if (k < 0) return null;
      }
      if (k === 0 || v === undefined || typeof v === 'function' || typeof v === 'symbol') out[i] = MISSING;
      else if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') return null;
      else out[i] = v;
    }
    return out;
  }

  const wellFormed = typeof String.prototype.isWellFormed === 'function'
    ? (s) => s.isWellFormed()
    : (s) => /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(s);
  const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

  // The body of a plan (see `Compiled::plan`) with these values, or null when the template
  // module must render it: a value that is not a well-formed string (a lone surrogate, which
  // the module reports), or a body that may be over the output limit. JSON.stringify escapes
  // a well-formed string exactly as the plan says.
  function assemble(plan, values) {
    const { texts, holes } = plan;
    // Each value's JSON string content, worked out once (a token may appear many times).
    const content = new Array(values.length);
    let out = texts[0];
    for (let i = 0, h = 0; h < holes.length; i++, h += 2) {
      const p = holes[h];
      const v = values[p];
      if (typeof v !== 'string') return null;
      const quote = holes[h + 1];
      if (quote === 2) {
        if (!wellFormed(v)) return null;
        out += v;
      } else {
        let c = content[p];
        if (c === undefined) {
          if (!wellFormed(v)) return null;
          // JSON.stringify of a short string costs more than looking at it first.
          c = content[p] = NEEDS_ESCAPE.test(v) ? JSON.stringify(v).slice(1, -1) : v;
        }
        out += quote === 1 ? '"' + c + '"' : c;
      }
      out += texts[i + 1];
    }
    // At most 3 UTF-8 bytes per UTF-16 unit.
    return out.length * 3 <= plan.limit ? out : null;
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
    const paths = inner.paths;
    const segments = paths === undefined ? null : paths.split(',').map((p) => p.split('.'));
    const planText = inner.plan;
    const plan = planText === undefined ? null : JSON.parse(planText);
    return {
      render(data) {
        // Only what the template reads goes to the template module, or nothing at all when the
        // body can be assembled here.
        const values = segments === null ? null : valuesAt(data, segments);
        const output = values === null || plan === null ? null : assemble(plan, values);
        if (output !== null) return { output, diagnostics: [], dialect };
        let text = values === null ? '' : inner.renderFound(JSON.stringify(values));
        if (text === '') text = inner.render(data === undefined ? '{}' : JSON.stringify(data));
        if (text.charCodeAt(0) === 61) return { output: text.slice(1), diagnostics: [], dialect };
        return parsed(text, { data });
      },
      free() {
        inner.free();
      },
    };
  }

  // A Grafana alert group for the template module without JSON: every string the contact
  // point reads (the fields of Grafana's JSON shape), one after another in `text`, with their
  // lengths (UTF-16 units), the counts and the alerts' orgId in `nums` (read by `Parts` in
  // src/template.rs). null when the group holds anything the JSON route reads differently (a
  // number where a string goes, a class instance, toJSON, …): then it goes as JSON.
  // The numbers of the last groupParts, reused from call to call (renderBuffers copies them).
  let scratch = new Float64Array(256);

  function groupParts(group) {
    if (kind(group) !== 1) return null;
    let count = 0;
    const num = (x) => {
      if (count === scratch.length) {
        const bigger = new Float64Array(count * 2);
        bigger.set(scratch);
        scratch = bigger;
      }
      scratch[count++] = x;
    };
    let text = '';
    let ok = true;
    const str = (v) => {
      if (v === undefined || v === null) v = '';
      else if (typeof v !== 'string') return (ok = false);
      text += v;
      num(v.length);
    };
    const kv = (v) => {
      const k = kind(v);
      if (k < 0) return (ok = false);
      if (k === 0) return num(0);
      const at = count;
      num(0);
      let n = 0;
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const x = v[key];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        if (x !== null && typeof x !== 'string') return (ok = false);
        str(key);
        str(x);
        n++;
      }
      scratch[at] = n;
    };
    // Each object's own enumerable keys, read once (as JSON.stringify reads them).
    let receiver, status, externalURL, groupKey, groupLabels, commonLabels, commonAnnotations, alerts;
    for (const key of Object.keys(group)) {
      switch (key) {
        case 'receiver': receiver = group.receiver; break;
        case 'status': status = group.status; break;
        case 'externalURL': externalURL = group.externalURL; break;
        case 'groupKey': groupKey = group.groupKey; break;
        case 'groupLabels': groupLabels = group.groupLabels; break;
        case 'commonLabels': commonLabels = group.commonLabels; break;
        case 'commonAnnotations': commonAnnotations = group.commonAnnotations; break;
        case 'alerts': alerts = group.alerts; break;
      }
    }
    str(receiver); str(status); str(externalURL); str(groupKey);
    kv(groupLabels); kv(commonLabels); kv(commonAnnotations);
    if (!Array.isArray(alerts)) {
      if (alerts !== undefined && alerts !== null && kind(alerts) < 0) return null;
      num(0);
    } else {
      if (typeof alerts.toJSON === 'function') return null;
      num(alerts.length);
      for (let i = 0; i < alerts.length; i++) {
        const a = alerts[i];
        const k = kind(a);
        if (k < 0) return null;
        let status, startsAt, endsAt, generatorURL, fingerprint, silenceURL, dashboardURL, panelURL, valueString,
          imageURL, embeddedImage, labels, annotations, values, orgId;
        if (k === 1) {
          for (const key of Object.keys(a)) {
            switch (key) {
              case 'status': status = a.status; break;
              case 'startsAt': startsAt = a.startsAt; break;
              case 'endsAt': endsAt = a.endsAt; break;
              case 'generatorURL': generatorURL = a.generatorURL; break;
              case 'fingerprint': fingerprint = a.fingerprint; break;
              case 'silenceURL': silenceURL = a.silenceURL; break;
              case 'dashboardURL': dashboardURL = a.dashboardURL; break;
              case 'panelURL': panelURL = a.panelURL; break;
              case 'valueString': valueString = a.valueString; break;
              case 'imageURL': imageURL = a.imageURL; break;
              case 'embeddedImage': embeddedImage = a.embeddedImage; break;
              case 'labels': labels = a.labels; break;
              case 'annotations': annotations = a.annotations; break;
              case 'values': values = a.values; break;
              case 'orgId': orgId = a.orgId; break;
            }
          }
        }
        str(status); str(startsAt); str(endsAt); str(generatorURL); str(fingerprint); str(silenceURL);
        str(dashboardURL); str(panelURL); str(valueString); str(imageURL); str(embeddedImage);
        kv(labels);
        kv(annotations);
        const vk = kind(values);
        if (vk < 0) return null;
        if (vk === 0) {
          if (Array.isArray(values) || (values !== undefined && values !== null && typeof values === 'object')) return null;
          num(-1);
        } else {
          const at = count;
          num(0);
          let n = 0;
          for (const key of Object.keys(values)) {
            const x = values[key];
            if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
            if (typeof x !== 'number') return null;
            str(key);
            // JSON.stringify's text of a number (null when not finite).
            str(Number.isFinite(x) ? '' + x : 'null');
            n++;
          }
          scratch[at] = n;
        }
        if (orgId === undefined || orgId === null) num(0);
        else if (Number.isSafeInteger(orgId)) {
          num(1);
          num(orgId);
        } else return null;
      }
    }
    return ok && wellFormed(text) ? { text, nums: scratch.subarray(0, count) } : null;
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
        const parts = groupParts(group);
        let text = '';
        if (parts !== null) {
          const cap = parts.text.length * 3;
          const at = inner.textBuffer(cap);
          const numsAt = inner.numBuffer(parts.nums.length);
          views();
          const len = writeText(memView, parts.text, at, cap);
          numView.set(parts.nums, numsAt / 8);
          text = inner.renderBuffers(len, parts.nums.length);
        }
        return grafanaResult(text !== '' ? text : inner.render(JSON.stringify(group)), { group });
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
