//! The verifier module: signature schemes only.
//!
//! The binding is thin and numeric on purpose: calls return a status (0 = success, otherwise the
//! index of an [`ErrorCode`] plus one) and details are read afterwards, so no JS objects are built
//! on the hot path. The friendly API (`sign`, `verify`, error classes) lives in `js/core.js`.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use hookwright::{Error, ErrorCode, Key, Options, Policy, Prepared, Scheme, Secret, SignInput, Verified};
use wasm_bindgen::prelude::*;

/// Status for an error.
fn status(e: &Error) -> u32 {
    ErrorCode::ALL.iter().position(|c| *c == e.code()).map_or(u32::MAX, |i| i as u32 + 1)
}

/// The error codes, comma-separated, in status order (status 1 is the first).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> String {
    join(&ErrorCode::ALL.map(ErrorCode::as_str), ",")
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

/// Splits the NUL-joined header values of [`Hook::verify_buffer`] into slots.
fn split_values(joined: &str) -> [Option<&str>; hookwright::SLOTS] {
    let mut values = [None; hookwright::SLOTS];
    for (slot, v) in values.iter_mut().zip(joined.split('\0')) {
        if v != "\u{1}" {
            *slot = Some(v);
        }
    }
    values
}

/// The module's memory, so JS can write inputs straight into [`Hook::buffer`].
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

fn secs(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 { x as u64 } else { 0 }
}

/// A scheme with its secrets, compiled once and reused for many requests.
#[wasm_bindgen]
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

#[wasm_bindgen]
impl Hook {
    /// Resolves a scheme and its options; check [`Hook::status`] afterwards.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scheme: &str,
        header: Option<String>,
        timestamp_header: Option<String>,
        id_header: Option<String>,
        algorithm: Option<String>,
        encoding: Option<String>,
        prefix: Option<String>,
        message: Option<String>,
    ) -> Hook {
        let options = Options { header, timestamp_header, id_header, algorithm, encoding, prefix, message };
        Hook {
            scheme: Scheme::new(scheme, &options),
            keys: Vec::new(),
            error: None,
            verified: None,
            prepared: None,
            buf: Vec::new(),
            hashed: Hashed::default(),
        }
    }

    /// Adds a text secret (decoded per scheme: `whsec_` + base64 for Standard Webhooks).
    #[wasm_bindgen(js_name = addSecretText)]
    pub fn add_secret_text(&mut self, secret: &str) {
        self.add(Secret::Text(secret));
    }

    /// Adds raw key bytes.
    #[wasm_bindgen(js_name = addSecretBytes)]
    pub fn add_secret_bytes(&mut self, secret: &[u8]) {
        self.add(Secret::Bytes(secret));
    }

    /// 0 when the scheme and secrets are usable, else the error status (detail in [`Hook::detail`]).
    pub fn status(&mut self) -> u32 {
        self.check()
    }

    /// The lowercase header names the scheme reads, one per slot, separated by `\n` (unused slots
    /// are empty lines).
    #[wasm_bindgen(js_name = headerNames)]
    pub fn header_names(&self) -> String {
        self.scheme
            .as_ref()
            .map_or_else(|_| String::new(), |s| join(&s.header_names().each_ref().map(String::as_str), "\n"))
    }

    /// Whether the scheme signs a timestamp (then [`Hook::timestamp`] is set after a success).
    #[wasm_bindgen(js_name = usesTimestamp)]
    pub fn uses_timestamp(&self) -> bool {
        self.scheme.as_ref().is_ok_and(|s| s.uses_timestamp())
    }

    /// Detail of the last error (never contains a secret or an expected signature).
    pub fn detail(&self) -> String {
        self.error.as_ref().map_or_else(String::new, |e| e.detail().to_string())
    }

    /// Makes the input buffer at least `len` bytes and returns its address in wasm memory. The
    /// address is valid until the next call on this hook.
    pub fn buffer(&mut self, len: usize) -> u32 {
        if self.buf.len() < len {
            self.buf.resize(len, 0);
        }
        self.buf.as_ptr() as u32
    }

    /// Verifies a request from the input buffer: the first `values_len` bytes are the joined header
    /// values (UTF-8), the next `body_len` bytes the body. Returns the status in the low 8 bits and,
    /// on success, the index of the matching secret above them.
    #[wasm_bindgen(js_name = verifyBuffer)]
    pub fn verify_buffer(&mut self, values_len: usize, body_len: usize, now: f64, tolerance: f64) -> u32 {
        self.verified = None;
        let status = self.check();
        if status != 0 {
            return status;
        }
        let Ok(scheme) = &self.scheme else { return u32::MAX };
        let end = values_len.saturating_add(body_len).min(self.buf.len());
        let (values, body) = self.buf[..end].split_at(values_len.min(end));
        let Ok(values) = core::str::from_utf8(values) else {
            return self.fail(Error::new(ErrorCode::MalformedHeader, "header values are not UTF-8"));
        };
        let policy = Policy { now: secs(now), tolerance: secs(tolerance) };
        match scheme.verify_values(&split_values(values), body, &self.keys, policy) {
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
    #[wasm_bindgen(js_name = hashBuffer)]
    pub fn hash_buffer(&mut self, values_len: usize, body_at: usize, body_len: usize, now: f64, tolerance: f64) -> u32 {
        self.verified = None;
        self.prepared = None;
        let status = self.check();
        if status != 0 {
            return status;
        }
        let Ok(scheme) = &self.scheme else { return u32::MAX };
        let Some(values) = self.buf.get(..values_len.min(body_at)) else { return FALLBACK };
        let Ok(values) = core::str::from_utf8(values) else {
            return self.fail(Error::new(ErrorCode::MalformedHeader, "header values are not UTF-8"));
        };
        let policy = Policy { now: secs(now), tolerance: secs(tolerance) };
        let prepared = match scheme.prepare(&split_values(values), policy) {
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
    #[wasm_bindgen(js_name = finishInner)]
    pub fn finish_inner(&mut self) -> u32 {
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

    /// The verified timestamp (unix seconds), or NaN.
    pub fn timestamp(&self) -> f64 {
        self.verified.as_ref().and_then(|v| v.timestamp).map_or(f64::NAN, |t| t as f64)
    }

    /// The verified message id.
    pub fn id(&self) -> Option<String> {
        self.verified.as_ref().and_then(|v| v.id.clone())
    }

    /// Which secret matched.
    #[wasm_bindgen(js_name = secretIndex)]
    pub fn secret_index(&self) -> u32 {
        self.verified.as_ref().map_or(u32::MAX, |v| v.secret_index as u32)
    }

    /// Signs `body` with the first secret; returns `Name: value` lines, or `None` with the error
    /// in [`Hook::detail`] and its status in [`Hook::status_of_last`].
    pub fn sign(&mut self, body: &[u8], timestamp: f64, id: Option<String>, profile: Option<String>) -> Option<String> {
        let input = SignInput {
            timestamp: if timestamp.is_finite() { Some(secs(timestamp)) } else { None },
            id: id.as_deref(),
            profile: profile.as_deref(),
        };
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

    /// The status of the last failed call.
    #[wasm_bindgen(js_name = lastStatus)]
    pub fn last_status(&self) -> u32 {
        self.error.as_ref().map_or(0, status)
    }
}
