//! The verifier module: signature schemes only.
//!
//! The binding is thin and numeric on purpose: calls return a status (0 = success, otherwise the
//! index of an [`ErrorCode`] plus one) and details are read afterwards, so no JS objects are built
//! on the hot path. The friendly API (`sign`, `verify`, error classes) lives in `js/core.js`.
//!
//! No wasm-bindgen here: the module exports plain `hw_*` functions over numbers and its memory, and
//! imports nothing, so the JS glue is a few lines (`js/wasm-*.{cjs,mjs}`). A hook is a handle (the
//! address of a boxed [`Hook`]); text and bytes go in and out through one scratch buffer
//! ([`hw_scratch`]) that JS reads and writes directly.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::UnsafeCell;

use hookwright::{Error, ErrorCode, Key, Options, Policy, Prepared, Scheme, Secret, SignInput, Verified};

/// Status for an error.
fn status(e: &Error) -> u32 {
    ErrorCode::ALL.iter().position(|c| *c == e.code()).map_or(u32::MAX, |i| i as u32 + 1)
}

/// `items` joined with `sep` (one out-of-line loop for every list the binding returns).
#[inline(never)]
fn join(items: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    out
}

/// The header values JS wrote at the start of the buffer: six little-endian u32 byte lengths in
/// slot order (`u32::MAX`: absent), then the values as UTF-8. `None` when they are not that.
fn split_values(buf: &[u8]) -> Option<[Option<&str>; hookwright::SLOTS]> {
    let (lengths, text) = buf.split_at_checked(4 * hookwright::SLOTS)?;
    let text = core::str::from_utf8(text).ok()?;
    let mut values = [None; hookwright::SLOTS];
    let mut at = 0;
    for (slot, n) in values.iter_mut().zip(lengths.chunks_exact(4)) {
        let n = u32::from_le_bytes([n[0], n[1], n[2], n[3]]);
        if n != u32::MAX {
            let end = at + n as usize;
            *slot = Some(text.get(at..end)?);
            at = end;
        }
    }
    Some(values)
}

fn secs(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 { x as u64 } else { 0 }
}

/// A scheme with its secrets, compiled once and reused for many requests.
pub struct Hook {
    scheme: Result<Scheme, Error>,
    keys: Vec<Key>,
    /// The error of the last call (or of the set-up).
    error: Option<Error>,
    verified: Option<Verified>,
    prepared: Option<Prepared>,
    /// Input buffer JS writes into directly (no per-call allocation or string copy loop).
    buf: Vec<u8>,
    /// Where the last [`Hook::hash_buffer`] laid out its message.
    hashed: Hashed,
}

/// The message of [`Hook::hash_buffer`] in the buffer: `start..end`, starting with the block of
/// key `key`; the host writes the hash at `end`.
#[derive(Clone, Copy, Default)]
struct Hashed {
    start: usize,
    end: usize,
    key: usize,
}

/// Status of [`Hook::hash_buffer`] when the host cannot hash this request (the buffer cannot hold
/// the message layout, or a key is for another algorithm): verify it with [`Hook::verify_buffer`].
const FALLBACK: u32 = 0xfe;
/// Status of [`Hook::finish_inner`]: hash the message again (it now starts with the next key).
const AGAIN: u32 = 0xff;

impl Hook {
    #[inline(never)]
    fn fail(&mut self, e: Error) -> u32 {
        let s = status(&e);
        self.error = Some(e);
        s
    }

    /// Writes `K ^ ipad` of the key being tried where the message starts (see [`Hook::hash_buffer`]).
    fn pad_key(&mut self) {
        let Hashed { start, key, .. } = self.hashed;
        if let Some(key) = self.keys.get(key) {
            let block = key.ipad_block();
            self.buf[start..start + block.len()].copy_from_slice(&block);
        }
    }

    /// Zeroes the key block of the last [`Hook::hash_buffer`]: no key material left in the buffer.
    fn clear_pad(&mut self) {
        if let Some(p) = &self.prepared {
            let start = self.hashed.start;
            let end = (start + p.algorithm.block_len()).min(self.buf.len());
            self.buf[start..end].fill(0);
        }
    }

    /// 0 when the scheme and secrets are usable; otherwise records why and returns its status.
    #[inline(never)]
    fn check(&mut self) -> u32 {
        let e = match (&self.scheme, self.keys.is_empty()) {
            (Err(e), _) => e.clone(),
            (Ok(_), true) => Error::new(ErrorCode::InvalidSecret, "no secret given"),
            (Ok(_), false) => return 0,
        };
        self.fail(e)
    }

    fn add(&mut self, secret: Secret<'_>) {
        let key = match &self.scheme {
            Ok(s) => s.key(&secret),
            Err(_) => return,
        };
        match key {
            Ok(k) => self.keys.push(k),
            Err(e) => self.scheme = Err(e),
        }
    }
}

impl Hook {
    /// Resolves a scheme and its options; check [`Hook::check`] afterwards.
    fn new(scheme: &str, options: &Options) -> Hook {
        Hook {
            scheme: Scheme::new(scheme, options),
            keys: Vec::new(),
            error: None,
            verified: None,
            prepared: None,
            buf: Vec::new(),
            hashed: Hashed::default(),
        }
    }

    /// Makes the input buffer at least `len` bytes and returns its address in wasm memory. The
    /// address is valid until the next call on this hook.
    fn buffer(&mut self, len: usize) -> u32 {
        if self.buf.len() < len {
            self.buf.resize(len, 0);
        }
        self.buf.as_ptr() as u32
    }

    /// Verifies a request from the input buffer: the first `values_len` bytes are the joined header
    /// values (UTF-8), the next `body_len` bytes the body. Returns the status in the low 8 bits and,
    /// on success, the index of the matching secret above them.
    fn verify_buffer(&mut self, values_len: usize, body_len: usize, now: f64, tolerance: f64) -> u32 {
        self.verified = None;
        let status = self.check();
        if status != 0 {
            return status;
        }
        let Ok(scheme) = &self.scheme else { return u32::MAX };
        let end = values_len.saturating_add(body_len).min(self.buf.len());
        let (values, body) = self.buf[..end].split_at(values_len.min(end));
        let Some(values) = split_values(values) else {
            return self.fail(Error::new(ErrorCode::MalformedHeader, "header values are not UTF-8"));
        };
        let policy = Policy { now: secs(now), tolerance: secs(tolerance) };
        match scheme.verify_values(&values, body, &self.keys, policy) {
            Ok(v) => {
                let packed = (v.secret_index as u32) << 8;
                self.verified = Some(v);
                packed
            }
            Err(e) => self.fail(e),
        }
    }

    /// Like [`Hook::verify_buffer`] for a host that hashes natively. The buffer holds the joined
    /// header values in its first `values_len` bytes and the body at `body_at` (`body_len` bytes;
    /// 0 when the host hashes the body from its own memory). Parses the headers and checks the
    /// timestamp, then lays out the HMAC's inner message under the first key around the body:
    /// `K ^ ipad` (one hash block) and the signed prefix right before `body_at`, the signed suffix
    /// right after the body. On success returns `suffix << 19 | head << 6 | algorithm << 4`, where
    /// `head` is the length of key block and prefix (the message starts at `body_at - head`) and
    /// algorithm is 1 sha1, 2 sha256, 3 sha512; on failure the status, or [`FALLBACK`]. The host
    /// then hashes the message, writes the hash right after it and calls [`Hook::finish_inner`].
    fn hash_buffer(&mut self, values_len: usize, body_at: usize, body_len: usize, now: f64, tolerance: f64) -> u32 {
        self.verified = None;
        self.prepared = None;
        let status = self.check();
        if status != 0 {
            return status;
        }
        let Ok(scheme) = &self.scheme else { return u32::MAX };
        let Some(values) = self.buf.get(..values_len.min(body_at)) else { return FALLBACK };
        let Some(values) = split_values(values) else {
            return self.fail(Error::new(ErrorCode::MalformedHeader, "header values are not UTF-8"));
        };
        let policy = Policy { now: secs(now), tolerance: secs(tolerance) };
        let prepared = match scheme.prepare(&values, policy) {
            Ok(p) => p,
            Err(e) => return self.fail(e),
        };
        let alg = prepared.algorithm;
        let head = alg.block_len() + prepared.prefix.len();
        let suffix = prepared.suffix.len();
        let end = body_at.saturating_add(body_len).saturating_add(suffix);
        if head > body_at
            || head >= 1 << 13
            || suffix >= 1 << 13
            || end.saturating_add(alg.output_len()) > self.buf.len()
            || self.keys.iter().any(|k| k.algorithm() != alg)
        {
            return FALLBACK;
        }
        self.buf[body_at - prepared.prefix.len()..body_at].copy_from_slice(&prepared.prefix);
        self.buf[end - suffix..end].copy_from_slice(&prepared.suffix);
        let code = match alg {
            hookwright::Algorithm::Sha1 => 1,
            hookwright::Algorithm::Sha256 => 2,
            hookwright::Algorithm::Sha512 => 3,
        };
        self.prepared = Some(prepared);
        self.hashed = Hashed { start: body_at - head, end, key: 0 };
        self.pad_key();
        ((suffix as u32) << 19) | ((head as u32) << 6) | (code << 4)
    }

    /// After [`Hook::hash_buffer`]: the host wrote the hash of the message (`H(K ^ ipad + prefix +
    /// body + suffix)`) right after it. Finishes the HMAC and compares it with every signature.
    /// Returns what [`Hook::verify_buffer`] returns, or [`AGAIN`] when another key is to be tried:
    /// the message then starts with that key's block; hash it again.
    fn finish_inner(&mut self) -> u32 {
        let Hashed { end, key: k, .. } = self.hashed;
        let Some(p) = &self.prepared else { return u32::MAX };
        let Some(inner) = self.buf.get(end..end + p.algorithm.output_len()) else { return u32::MAX };
        if let Some(v) = self.keys.get(k).and_then(|key| p.check_inner(k, key, inner)) {
            self.verified = Some(v);
            self.clear_pad();
            return (k as u32) << 8;
        }
        if k + 1 < self.keys.len() {
            self.hashed.key = k + 1;
            self.pad_key();
            return AGAIN;
        }
        self.clear_pad();
        let n = self.keys.len();
        self.fail(hookwright::mismatch(n))
    }

    /// Signs `body` with the first secret; returns `Name: value` lines, or `None` with the error
    /// recorded (read with [`TEXT_DETAIL`] and [`INFO_LAST_STATUS`]).
    fn sign(&mut self, body: &[u8], timestamp: f64, id: Option<&str>, profile: Option<&str>) -> Option<String> {
        let input =
            SignInput { timestamp: if timestamp.is_finite() { Some(secs(timestamp)) } else { None }, id, profile };
        if self.check() != 0 {
            return None;
        }
        let Ok(scheme) = &self.scheme else { return None };
        let mut out = String::new();
        let result = scheme.sign_each(&self.keys[0], body, input, &mut |name, value| {
            for part in [name, ": ", value, "\n"] {
                out.push_str(part);
            }
        });
        match result {
            Ok(()) => Some(out),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }
}

/// The scratch buffer: JS writes the text and bytes of [`hw_new`], [`hw_secret`] and [`hw_sign`]
/// there, and reads what [`hw_text`] and [`hw_sign`] return from it.
struct Scratch(UnsafeCell<Vec<u8>>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs a single thread.
unsafe impl Sync for Scratch {}

static SCRATCH: Scratch = Scratch(UnsafeCell::new(Vec::new()));

/// The scratch buffer. Callers drop the reference before they call this again.
fn scratch() -> &'static mut Vec<u8> {
    // SAFETY: one thread, and every caller lets go of the reference before the next call.
    unsafe { &mut *SCRATCH.0.get() }
}

/// Makes the scratch buffer at least `len` bytes and returns its address (valid until the next
/// call into the module).
#[unsafe(no_mangle)]
pub extern "C" fn hw_scratch(len: usize) -> *mut u8 {
    let s = scratch();
    if s.len() < len {
        s.resize(len, 0);
    }
    s.as_mut_ptr()
}

/// Puts `text` in the scratch buffer and returns its length (JS reads it at [`hw_scratch`]`(0)`).
fn put(text: &str) -> i32 {
    let s = scratch();
    s.clear();
    s.extend_from_slice(text.as_bytes());
    text.len() as i32
}

/// Takes the next `len` bytes of `rest` as text; a negative length is an absent value.
fn take<'a>(rest: &mut &'a [u8], len: i32) -> Option<&'a str> {
    let (text, tail) = rest.split_at_checked(usize::try_from(len).ok()?)?;
    *rest = tail;
    Some(core::str::from_utf8(text).unwrap_or_default())
}

/// A new hook for a scheme and its options, whose UTF-8 the scratch buffer holds one after the
/// other (the arguments are their lengths, -1 for an absent option). Returns the hook's handle;
/// check it with [`INFO_STATUS`], free it with [`hw_free`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn hw_new(
    scheme: i32,
    header: i32,
    timestamp_header: i32,
    id_header: i32,
    algorithm: i32,
    encoding: i32,
    prefix: i32,
    message: i32,
) -> *mut Hook {
    let mut rest = scratch().as_slice();
    let scheme = take(&mut rest, scheme).unwrap_or_default();
    let mut opt = |len| take(&mut rest, len).map(String::from);
    // Fields are evaluated in the order written: the order JS wrote the options in.
    let options = Options {
        header: opt(header),
        timestamp_header: opt(timestamp_header),
        id_header: opt(id_header),
        algorithm: opt(algorithm),
        encoding: opt(encoding),
        prefix: opt(prefix),
        message: opt(message),
    };
    Box::into_raw(Box::new(Hook::new(scheme, &options)))
}

/// Frees a hook.
///
/// # Safety
/// `hook` comes from [`hw_new`] and is not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hw_free(hook: *mut Hook) {
    // SAFETY: the caller's promise.
    drop(unsafe { Box::from_raw(hook) });
}

/// Adds the first `len` bytes of the scratch buffer as a secret: text when `text` is not 0
/// (decoded per scheme: `whsec_` + base64 for Standard Webhooks), else raw key bytes.
#[unsafe(no_mangle)]
pub extern "C" fn hw_secret(hook: &mut Hook, len: usize, text: u32) {
    let bytes = scratch().get(..len).unwrap_or_default();
    hook.add(if text != 0 {
        Secret::Text(core::str::from_utf8(bytes).unwrap_or_default())
    } else {
        Secret::Bytes(bytes)
    });
}

/// See [`Hook::buffer`].
#[unsafe(no_mangle)]
pub extern "C" fn hw_buffer(hook: &mut Hook, len: usize) -> u32 {
    hook.buffer(len)
}

/// See [`Hook::verify_buffer`].
#[unsafe(no_mangle)]
pub extern "C" fn hw_verify(hook: &mut Hook, values_len: usize, body_len: usize, now: f64, tolerance: f64) -> u32 {
    hook.verify_buffer(values_len, body_len, now, tolerance)
}

/// See [`Hook::hash_buffer`].
#[unsafe(no_mangle)]
pub extern "C" fn hw_hash(
    hook: &mut Hook,
    values_len: usize,
    body_at: usize,
    body_len: usize,
    now: f64,
    tolerance: f64,
) -> u32 {
    hook.hash_buffer(values_len, body_at, body_len, now, tolerance)
}

/// See [`Hook::finish_inner`].
#[unsafe(no_mangle)]
pub extern "C" fn hw_finish(hook: &mut Hook) -> u32 {
    hook.finish_inner()
}

/// Signs the first `body_len` bytes of the scratch buffer, followed there by the message id and the
/// profile (UTF-8 of `id_len` and `profile_len` bytes, -1 when absent), with the first secret.
/// Returns the length of the `Name: value` lines put in the scratch buffer, or -1 after an error.
#[unsafe(no_mangle)]
pub extern "C" fn hw_sign(hook: &mut Hook, body_len: usize, id_len: i32, profile_len: i32, timestamp: f64) -> i32 {
    let s = scratch();
    let (body, mut rest) = s.split_at(body_len.min(s.len()));
    let id = take(&mut rest, id_len);
    let profile = take(&mut rest, profile_len);
    match hook.sign(body, timestamp, id, profile) {
        Some(lines) => put(&lines),
        None => -1,
    }
}

/// [`hw_text`]: detail of the last error (never contains a secret or an expected signature).
pub const TEXT_DETAIL: u32 = 0;
/// [`hw_text`]: the lowercase header names the scheme reads, one per slot, separated by `\n`
/// (unused slots are empty lines).
pub const TEXT_HEADER_NAMES: u32 = 1;
/// [`hw_text`]: the verified message id (absent: -1).
pub const TEXT_ID: u32 = 2;
/// [`hw_text`]: the error codes, comma-separated, in status order (status 1 is the first); no hook
/// needed.
pub const TEXT_ERROR_CODES: u32 = 3;

/// Puts a text (`what`: one of the `TEXT_*`) in the scratch buffer and returns its length, or -1
/// when it is absent.
#[unsafe(no_mangle)]
pub extern "C" fn hw_text(hook: Option<&Hook>, what: u32) -> i32 {
    let joined;
    let text = match (hook, what) {
        (Some(h), TEXT_DETAIL) => h.error.as_ref().map_or("", Error::detail),
        (Some(h), TEXT_HEADER_NAMES) => {
            joined = h
                .scheme
                .as_ref()
                .map_or_else(|_| String::new(), |s| join(&s.header_names().each_ref().map(String::as_str), "\n"));
            &joined
        }
        (Some(h), TEXT_ID) => match h.verified.as_ref().and_then(|v| v.id.as_deref()) {
            Some(id) => id,
            None => return -1,
        },
        _ => {
            joined = join(&ErrorCode::ALL.map(ErrorCode::as_str), ",");
            &joined
        }
    };
    put(text)
}

/// [`hw_info`]: 0 when the scheme and secrets are usable, else the error status.
pub const INFO_STATUS: u32 = 0;
/// [`hw_info`]: 1 when the scheme signs a timestamp (then [`INFO_TIMESTAMP`] is set after a success).
pub const INFO_USES_TIMESTAMP: u32 = 1;
/// [`hw_info`]: the verified timestamp (unix seconds), or NaN.
pub const INFO_TIMESTAMP: u32 = 2;
/// [`hw_info`]: the status of the last failed call.
pub const INFO_LAST_STATUS: u32 = 3;

/// A number about a hook (`what`: one of the `INFO_*`).
#[unsafe(no_mangle)]
pub extern "C" fn hw_info(hook: &mut Hook, what: u32) -> f64 {
    match what {
        INFO_STATUS => f64::from(hook.check()),
        INFO_USES_TIMESTAMP => f64::from(u8::from(hook.scheme.as_ref().is_ok_and(|s| s.uses_timestamp()))),
        INFO_TIMESTAMP => hook.verified.as_ref().and_then(|v| v.timestamp).map_or(f64::NAN, |t| t as f64),
        _ => hook.error.as_ref().map_or(0.0, |e| f64::from(status(e))),
    }
}
