// The friendly API of the npm package over the numeric wasm exports (`hw_*`, see
// src/verifier.rs). Shared by every entry point:
// `cargo xtask npm` appends `export { makeApi }` (ESM) or `module.exports = { makeApi }` (CJS).
// No Node-only globals here: the Node entries pass node:crypto in as `native`.

/**
 * @param {any} wasm the verifier module's exports (`memory`, `hw_*`)
 * @param {{ hash(alg: string, data: Uint8Array): Uint8Array,
 *           hashParts(alg: string, head: Uint8Array, body: Uint8Array|string, tail: Uint8Array): Uint8Array,
 *           hashFrom: number, streamFrom: number, view?(buffer: ArrayBuffer): Uint8Array,
 *           writeText?(view: Uint8Array, text: string, at: number, max: number): number,
 *           readText?(view: Uint8Array, start: number, end: number): string } | null} native
 *   the host's hash for the inner hash of the HMAC of bodies of `hashFrom` bytes or more; from
 *   `streamFrom` bytes the body is hashed where it is instead of copied into wasm memory
 *   (node:crypto uses the CPU's SHA instructions, which wasm cannot)
 */
function makeApi(wasm, native) {
  const encoder = new TextEncoder();
  const DEFAULT_TOLERANCE = 300;
  const CACHE_SIZE = 32;
  const memory = wasm.memory;
  let memView = new Uint8Array(0);
  /**
   * A view of wasm memory, renewed after the memory grew (the host may wrap it, e.g. in a Buffer).
   * Growing detaches the old ArrayBuffer, which empties every view of it: no need to ask the
   * memory for its buffer on every call.
   */
  function memoryView() {
    if (memView.length === 0) memView = native !== null && native.view ? native.view(memory.buffer) : new Uint8Array(memory.buffer);
    return memView;
  }
  /** Writes `text` as UTF-8 at `at` (at most `max` bytes); returns the bytes written. */
  const writeText = native !== null && native.writeText
    ? native.writeText
    : (mem, text, at, max) => encoder.encodeInto(text, mem.subarray(at, at + max)).written;
  // ignoreBOM: a text that starts with U+FEFF keeps it.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** The UTF-8 at `start..end` as a string. */
  const readText = native !== null && native.readText
    ? native.readText
    : (mem, start, end) => decoder.decode(mem.subarray(start, end));

  // What `hw_text` and `hw_info` return (src/verifier.rs: TEXT_*, INFO_*).
  const TEXT_DETAIL = 0, TEXT_HEADER_NAMES = 1, TEXT_ID = 2, TEXT_ERROR_CODES = 3;
  const INFO_STATUS = 0, INFO_USES_TIMESTAMP = 1, INFO_TIMESTAMP = 2, INFO_LAST_STATUS = 3;

  /** A text of a hook (`what`: TEXT_*) from the scratch buffer, or undefined when absent. */
  function text(hook, what) {
    const n = wasm.hw_text(hook, what);
    if (n < 0) return undefined;
    const at = wasm.hw_scratch(0);
    return readText(memoryView(), at, at + n);
  }

  /**
   * Writes the strings of `list` one after the other into the scratch buffer; returns their lengths
   * in bytes (-1 for undefined).
   */
  function putTexts(list) {
    let cap = 0;
    for (const s of list) if (s !== undefined) cap += s.length * 3;
    let at = wasm.hw_scratch(cap);
    const mem = memoryView();
    return list.map((s) => {
      if (s === undefined) return -1;
      const n = writeText(mem, s, at, s.length * 3);
      at += n;
      return n;
    });
  }

  const CODES = text(0, TEXT_ERROR_CODES).split(',');

  /** Base class of every error hookwright throws on purpose; `.code` is stable. */
  class HookwrightError extends Error {
    constructor(code, message) {
      super(message);
      this.name = 'HookwrightError';
      this.code = code;
    }
  }
  /** A request failed verification; `.code` says which step failed. */
  class WebhookVerificationError extends HookwrightError {
    constructor(code, message) {
      super(code, message);
      this.name = 'WebhookVerificationError';
    }
  }
  /** Signing failed (bad options, missing timestamp or id). */
  class WebhookSigningError extends HookwrightError {
    constructor(code, message) {
      super(code, message);
      this.name = 'WebhookSigningError';
    }
  }

  const OPTION_KEYS = ['header', 'timestampHeader', 'idHeader', 'algorithm', 'encoding', 'prefix', 'message'];

  function typeError(what) {
    return new TypeError('hookwright: ' + what);
  }

  function optString(opts, key) {
    const v = opts[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw typeError(`option ${key} must be a string, got ${typeof v}`);
    return v;
  }

  function toBytes(x, what) {
    if (typeof x === 'string') return encoder.encode(x);
    if (x instanceof Uint8Array) return x;
    if (x instanceof ArrayBuffer) return new Uint8Array(x);
    if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    if (x === undefined || x === null) throw typeError(`${what} is required (a string or Uint8Array)`);
    if (what === 'body' && typeof x === 'object') {
      throw typeError('body must be the raw request body as received (a string or Uint8Array), got an object: ' +
        'a JSON body parser ran first. With Express use express.raw({ type: "*/*" }) on this route; ' +
        'with fetch-style handlers use await request.text() or request.arrayBuffer()');
    }
    throw typeError(`${what} must be a string or Uint8Array, got ${typeof x}`);
  }

  function secretList(opts) {
    const s = opts.secret !== undefined ? opts.secret : opts.secrets;
    const list = Array.isArray(s) ? s : [s];
    for (const x of list) {
      if (typeof x !== 'string' && !(x instanceof Uint8Array)) {
        throw typeError(x === undefined ? 'secret is required' : 'secret must be a string or Uint8Array (or an array of them)');
      }
    }
    return list;
  }

  // Compiled schemes with their keys, reused across requests: a receiver verifies many requests with
  // the same secret. Keyed by scheme, options and secrets (kept in this process's memory only).
  const cache = new Map();
  let memo = null;

  function cacheKey(scheme, opts, secrets) {
    let k = scheme;
    for (const o of OPTION_KEYS) k += '\u0000' + (opts[o] === undefined ? '' : opts[o]);
    for (const s of secrets) {
      if (typeof s === 'string') k += '\u0001' + s;
      else if (s.length <= 512) k += '\u0002' + String.fromCharCode.apply(null, s);
      else return null;
    }
    return k;
  }

  function compile(opts, ErrorClass) {
    if (opts === null || typeof opts !== 'object') throw typeError('expected an options object');
    const scheme = opts.scheme;
    if (typeof scheme !== 'string') throw typeError('option scheme is required (e.g. "github", "stripe", "standard")');
    // Fast path: the same scheme, options and secret as the previous call (compared by identity).
    const m = memo;
    if (m !== null && m.scheme === scheme && m.secret === opts.secret && m.secrets === opts.secrets && m.header === opts.header &&
        m.timestampHeader === opts.timestampHeader && m.idHeader === opts.idHeader && m.algorithm === opts.algorithm &&
        m.encoding === opts.encoding && m.prefix === opts.prefix && m.message === opts.message && !m.entry.freed) {
      return m.entry;
    }
    const secrets = secretList(opts);
    const key = cacheKey(scheme, opts, secrets);
    let entry = key === null ? undefined : cache.get(key);
    if (entry === undefined) {
      const options = OPTION_KEYS.map((o) => optString(opts, o));
      const hook = wasm.hw_new(...putTexts([scheme, ...options]));
      for (const s of secrets) {
        if (typeof s === 'string') {
          wasm.hw_secret(hook, putTexts([s])[0], 1);
        } else {
          memoryView().set(s, wasm.hw_scratch(s.length));
          wasm.hw_secret(hook, s.length, 0);
        }
      }
      const status = wasm.hw_info(hook, INFO_STATUS);
      if (status !== 0) {
        const err = fail(hook, status, ErrorClass);
        wasm.hw_free(hook);
        throw err;
      }
      const names = text(hook, TEXT_HEADER_NAMES).split('\n');
      const slots = names.map((n, i) => [n, i]).filter(([n]) => n !== '');
      entry = {
        hook, names, slots, lookup: new Map(slots), freed: false, scheme: scheme.toLowerCase(), bufPtr: 0, bufCap: 0,
        // Bit n set: some header name of the scheme has n characters (names of 32 or more are always looked up).
        lengths: slots.reduce((m, [n]) => (n.length < 32 ? m | (1 << n.length) : m), 0),
        usesId: names[2] !== '', usesTimestamp: wasm.hw_info(hook, INFO_USES_TIMESTAMP) === 1,
      };
      if (key !== null) {
        if (cache.size >= CACHE_SIZE) {
          const [oldKey, old] = cache.entries().next().value;
          cache.delete(oldKey);
          old.freed = true;
          wasm.hw_free(old.hook);
        }
        cache.set(key, entry);
      }
    }
    memo = {
      entry, scheme, secret: opts.secret, secrets: opts.secrets, header: opts.header, timestampHeader: opts.timestampHeader,
      idHeader: opts.idHeader, algorithm: opts.algorithm, encoding: opts.encoding, prefix: opts.prefix, message: opts.message,
    };
    return entry;
  }

  function fail(hook, status, ErrorClass) {
    const code = CODES[status - 1] || 'signature_mismatch';
    return new ErrorClass(code, code + ': ' + text(hook, TEXT_DETAIL));
  }

  function clean(v) {
    return typeof v === 'string' ? v : Array.isArray(v) ? (v.length === 1 ? String(v[0]) : v.map(String).join('\n')) : String(v);
  }

  /**
   * The scheme's header values, in slot order (absent: null). A header that
   * was received more than once (an array value, or two spellings of one name) is joined with "\n",
   * which the core reports as malformed.
   */
  function headerValues(headers, entry) {
    if (headers === null || typeof headers !== 'object') throw typeError('headers is required (a plain object or a Headers)');
    const values = [null, null, null, null, null, null];
    const slots = entry.slots;
    if (typeof headers.get === 'function' && typeof headers.forEach === 'function') {
      // Fetch API Headers: already case-insensitive; repeated headers come joined with ", ".
      for (let i = 0; i < slots.length; i++) {
        const v = headers.get(slots[i][0]);
        if (v !== null) values[slots[i][1]] = clean(v);
      }
    } else {
      // One pass over the names, compared case-insensitively; one header under two spellings
      // ("X-Sig" and "x-sig") counts as repeated.
      const lookup = entry.lookup;
      const lengths = entry.lengths;
      for (const name in headers) {
        // Most headers are not the scheme's: skip them on their length alone.
        const n = name.length;
        if (n < 32 && (lengths & (1 << n)) === 0) continue;
        let slot = lookup.get(name);
        if (slot === undefined) {
          slot = lookup.get(name.toLowerCase());
          if (slot === undefined) continue;
        }
        const raw = headers[name];
        if (raw === undefined || raw === null) continue;
        const v = clean(raw);
        values[slot] = values[slot] === null || values[slot] === v ? v : values[slot] + '\n' + v;
      }
    }
    return values;
  }

  /** Room for `values` as UTF-8 after their lengths. */
  function valuesCap(values) {
    let n = 24;
    for (let i = 0; i < 6; i++) if (values[i] !== null) n += values[i].length * 3;
    return n;
  }

  /**
   * Writes the header values at `at` as the core reads them: six little-endian u32 byte lengths
   * in slot order (0xffffffff: absent), then the values as UTF-8. Returns the bytes written.
   * Value by value: joining them first costs more than the writes (the joined string has to be
   * flattened), and the lengths spare the core a search for separators.
   */
  function writeValues(mem, values, at) {
    let p = at + 24;
    for (let i = 0; i < 6; i++) {
      const v = values[i];
      let n = 0xffffffff;
      if (v !== null) {
        n = v.length === 0 ? 0 : writeText(mem, v, p, v.length * 3);
        p += n;
      }
      const l = at + 4 * i;
      mem[l] = n;
      mem[l + 1] = n >>> 8;
      mem[l + 2] = n >>> 16;
      mem[l + 3] = n >>> 24;
    }
    return p - at;
  }

  /** The address of the hook's buffer, grown to at least `cap` bytes (it moves only when it grows). */
  function reserve(entry, cap) {
    if (cap > entry.bufCap) {
      entry.bufPtr = wasm.hw_buffer(entry.hook, cap);
      entry.bufCap = cap;
    }
    return entry.bufPtr;
  }

  /** Writes the body (text as UTF-8, at most `max` bytes) at `at`; returns its length in bytes. */
  function writeBody(mem, body, at, max) {
    if (typeof body === 'string') return writeText(mem, body, at, max);
    mem.set(body, at);
    return body.length;
  }

  function seconds(x, what, fallback) {
    if (x === undefined || x === null) return fallback;
    if (x instanceof Date) return Math.floor(x.getTime() / 1000);
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw typeError(`${what} must be unix seconds (a non-negative number)`);
    if (x > 1e11) throw typeError(`${what} looks like milliseconds; give unix seconds (Math.floor(Date.now() / 1000))`);
    return Math.floor(x);
  }

  function nowSeconds() {
    return Math.floor(Date.now() / 1000);
  }

  const ALGORITHMS = [undefined, 'sha1', 'sha256', 'sha512'];

  /**
   * Header parsing, the timestamp check and the outer hash in wasm; the inner hash (the bulk of the
   * work) by the host: `K^ipad + prefix + body + suffix`, which wasm lays out in its buffer around
   * the body. `inline`: the body is copied into wasm memory and the message hashed in one call;
   * otherwise the host hashes the parts, the body from where it is (no copy of a large body).
   * Returns what `verifyBuffer` returns, or -1 when this request needs the wasm path.
   */
  function verifyHashed(entry, values, body, now, tolerance, inline) {
    const hook = entry.hook;
    const isText = typeof body === 'string';
    const valuesRoom = valuesCap(values);
    // Room before the body for a hash block and the signed prefix (longer ones take the wasm path).
    const bodyAt = valuesRoom + 320;
    const bodyCap = inline ? (isText ? body.length * 3 : body.length) : 0;
    // After the body: the signed suffix and the inner hash.
    const ptr = reserve(entry, bodyAt + bodyCap + 1024);
    let mem = memoryView();
    const valuesLen = writeValues(mem, values, ptr);
    const bodyLen = inline ? writeBody(mem, body, ptr + bodyAt, bodyCap) : 0;
    const r = wasm.hw_hash(hook, valuesLen, bodyAt, bodyLen, now, tolerance) >>> 0;
    if ((r & 15) !== 0) return r === 0xfe ? -1 : r;
    const alg = ALGORITHMS[(r >>> 4) & 3];
    const start = ptr + bodyAt - ((r >>> 6) & 0x1fff);
    const end = ptr + bodyAt + bodyLen + (r >>> 19);
    for (;;) {
      mem = memoryView();
      const inner = inline
        ? native.hash(alg, mem.subarray(start, end))
        : native.hashParts(alg, mem.subarray(start, ptr + bodyAt), body, mem.subarray(ptr + bodyAt, end));
      mem.set(inner, end);
      const packed = wasm.hw_finish(hook) >>> 0;
      if (packed !== 0xff) return packed;
    }
  }

  /**
   * Verifies a received webhook. Returns `{ scheme, timestamp?, id?, secretIndex }`; throws
   * `WebhookVerificationError` with a stable `.code` when the request is not authentic.
   */
  function verify(opts) {
    const entry = compile(opts, WebhookVerificationError);
    const values = headerValues(opts.headers, entry);
    // Only schemes that sign a timestamp need the clock.
    const now = seconds(opts.now, 'now', undefined) ?? (entry.usesTimestamp ? nowSeconds() : 0);
    const tolerance = seconds(opts.toleranceSeconds, 'toleranceSeconds', DEFAULT_TOLERANCE);
    const raw = opts.body;
    const hook = entry.hook;
    let status, secretIndex;
    const size = typeof raw === 'string' ? raw.length : raw && raw.byteLength;
    let packed = -1;
    if (native !== null && size >= native.hashFrom) {
      // node:crypto takes strings as UTF-8 itself; other views become bytes without a copy.
      packed = verifyHashed(entry, values, typeof raw === 'string' ? raw : toBytes(raw, 'body'), now, tolerance, size < native.streamFrom);
    }
    if (packed !== -1) {
      status = packed & 0xff;
      secretIndex = packed >>> 8;
    } else {
      // Write the header values and the body straight into the hook's buffer in wasm memory.
      const body = typeof raw === 'string' ? raw : toBytes(raw, 'body');
      const cap = valuesCap(values) + (typeof body === 'string' ? body.length * 3 : body.length);
      const ptr = reserve(entry, cap);
      const mem = memoryView();
      const valuesLen = writeValues(mem, values, ptr);
      const bodyLen = writeBody(mem, body, ptr + valuesLen, cap - valuesLen);
      const result = wasm.hw_verify(hook, valuesLen, bodyLen, now, tolerance);
      status = result & 0xff;
      secretIndex = result >>> 8;
    }
    if (status !== 0) throw fail(hook, status, WebhookVerificationError);
    const result = { scheme: entry.scheme, secretIndex };
    if (entry.usesTimestamp) result.timestamp = wasm.hw_info(hook, INFO_TIMESTAMP);
    if (entry.usesId) {
      const id = text(hook, TEXT_ID);
      if (id !== undefined) result.id = id;
    }
    return result;
  }

  function randomId() {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    let s = 'msg_';
    for (const b of bytes) s += (b & 0x3f).toString(36);
    return s;
  }

  /**
   * Signs a body as the sender would. Returns the headers to add, e.g.
   * `{ "Stripe-Signature": "t=…,v1=…" }`. `timestamp` defaults to now where the scheme signs one;
   * `id` defaults to a random `msg_…` for Standard Webhooks.
   */
  function sign(opts) {
    const entry = compile(opts, WebhookSigningError);
    const hook = entry.hook;
    const body = toBytes(opts.body, 'body');
    const ts = seconds(opts.timestamp, 'timestamp', undefined) ?? nowSeconds();
    let id = opts.id;
    if (id !== undefined && typeof id !== 'string') throw typeError('id must be a string');
    const scheme = opts.scheme.toLowerCase();
    if (id === undefined && (scheme === 'standard' || scheme === 'svix' || entry.names[2] !== '')) id = randomId();
    const profile = optString(opts, 'profile');
    // The body, then the id and the profile, in the scratch buffer.
    const idCap = id === undefined ? 0 : id.length * 3;
    const profileCap = profile === undefined ? 0 : profile.length * 3;
    const at = wasm.hw_scratch(body.length + idCap + profileCap);
    const mem = memoryView();
    mem.set(body, at);
    const idLen = id === undefined ? -1 : writeText(mem, id, at + body.length, idCap);
    const profileLen = profile === undefined ? -1 : writeText(mem, profile, at + body.length + Math.max(idLen, 0), profileCap);
    const n = wasm.hw_sign(hook, body.length, idLen, profileLen, ts);
    if (n < 0) throw fail(hook, wasm.hw_info(hook, INFO_LAST_STATUS), WebhookSigningError);
    const out = wasm.hw_scratch(0);
    const lines = readText(memoryView(), out, out + n);
    const headers = {};
    for (const line of lines.split('\n')) {
      if (line === '') continue;
      const at = line.indexOf(': ');
      headers[line.slice(0, at)] = line.slice(at + 2);
    }
    return headers;
  }

  /** The supported scheme ids. */
  const schemes = Object.freeze(['grafana', 'github', 'stripe', 'standard', 'svix', 'slack', 'shopify', 'dbt', 'dagu', 'custom']);
  const errorCodes = Object.freeze(CODES.slice());

  return { sign, verify, schemes, errorCodes, HookwrightError, WebhookVerificationError, WebhookSigningError };
}

/**
 * The host hashing for Node (and Bun, Deno's node mode): node:crypto for bodies of 768 B or more
 * (the CPU's SHA instructions), Buffer's native UTF-8 writer into wasm memory. Given `crypto` and
 * `Buffer` by the Node entries, so this file uses no Node globals.
 */
function nodeHost(crypto, Buffer) {
  // crypto.hash (Node >= 20.12, 21.7): a one-shot hash without an object per call.
  const oneShot = typeof crypto.hash === 'function';
  return {
    hash: oneShot
      ? (alg, data) => crypto.hash(alg, data, 'buffer')
      : (alg, data) => crypto.createHash(alg).update(data).digest(),
    hashParts(alg, head, body, tail) {
      const h = crypto.createHash(alg).update(head).update(body);
      if (tail.length !== 0) h.update(tail);
      return h.digest();
    },
    // Measured on Node 20 (cargo xtask bench): wasm below 768 bytes, where a call into node:crypto
    // costs more than hashing; the one-shot hash of a copy in wasm memory up to 64 KiB; from there
    // the body hashed where it is. Without crypto.hash, createHash from 1.5 KiB.
    hashFrom: oneShot ? 768 : 1536,
    streamFrom: oneShot ? 65536 : 1536,
    // Several times faster than TextEncoder.encodeInto in Node.
    view: (buffer) => Buffer.from(buffer),
    writeText: (view, text, at, max) => view.utf8Write(text, at, max),
    readText: (view, start, end) => view.utf8Slice(start, end),
  };
}
