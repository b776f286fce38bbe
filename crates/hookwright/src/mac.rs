//! HMAC keys, algorithms and encodings. The one place where signatures are computed and compared.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};

use crate::b64;
use crate::error::{Error, ErrorCode, cat};

/// Hex digit values; 0x10 marks a byte that is not a hex digit (either case is accepted).
const HEX: [u8; 256] = {
    let mut t = [0x10u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// The hash under the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// SHA-1 (legacy; GitHub's `X-Hub-Signature`).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
}

impl Algorithm {
    /// Parses `sha1`, `sha256` or `sha512` (case-insensitive, `sha-256` accepted).
    ///
    /// # Errors
    /// [`ErrorCode::InvalidOptions`] for any other name.
    pub fn parse(s: &str) -> Result<Algorithm, Error> {
        let norm: String = s.chars().filter(|c| *c != '-').collect::<String>().to_ascii_lowercase();
        match norm.as_str() {
            "sha1" => Ok(Algorithm::Sha1),
            "sha256" => Ok(Algorithm::Sha256),
            "sha512" => Ok(Algorithm::Sha512),
            _ => Err(Error::new(ErrorCode::InvalidOptions, "option algorithm must be sha256, sha512 or sha1")),
        }
    }

    /// `"sha256"`: the name node:crypto and WebCrypto use (the latter with a dash).
    pub const fn id(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// Block length of the hash in bytes.
    pub const fn block_len(self) -> usize {
        match self {
            Algorithm::Sha1 | Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }

    /// MAC length in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
            Algorithm::Sha512 => 64,
        }
    }
}

/// How the MAC is written in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Lowercase hex (either case accepted when verifying).
    Hex,
    /// Standard base64, padded (padding optional when verifying).
    Base64,
}

impl Encoding {
    /// Parses `hex` or `base64`.
    ///
    /// # Errors
    /// [`ErrorCode::InvalidOptions`] for any other name.
    pub fn parse(s: &str) -> Result<Encoding, Error> {
        match s.to_ascii_lowercase().as_str() {
            "hex" => Ok(Encoding::Hex),
            "base64" => Ok(Encoding::Base64),
            _ => Err(Error::new(ErrorCode::InvalidOptions, "option encoding must be hex or base64")),
        }
    }

    /// Encodes a MAC.
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Hex => hex::encode(bytes),
            Encoding::Base64 => b64::encode(bytes),
        }
    }

    /// Decodes one signature into `out`, returning its length; `None` when it is not valid in this
    /// encoding or longer than any MAC.
    pub(crate) fn decode(self, s: &str, out: &mut [u8; 64]) -> Option<usize> {
        match self {
            Encoding::Hex => {
                if !s.len().is_multiple_of(2) || s.len() > 128 {
                    return None;
                }
                // A table lookup per digit: this runs on every verification.
                let mut bad = 0u8;
                for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
                    let (hi, lo) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
                    bad |= (hi | lo) & 0x10;
                    *o = (hi << 4) | (lo & 0x0f);
                }
                (bad == 0).then_some(s.len() / 2)
            }
            Encoding::Base64 => {
                if s.len() > 88 {
                    return None;
                }
                b64::decode_into(s, &mut out[..])
            }
        }
    }
}

/// A secret as the user gave it.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret<'a> {
    /// Text, e.g. `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw` or `It's a Secret to Everybody`.
    Text(&'a str),
    /// Raw key bytes, used as the HMAC key as they are.
    Bytes(&'a [u8]),
}

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

#[derive(Clone)]
enum State {
    Sha1(Hmac<sha1::Sha1>),
    Sha256(Hmac<sha2::Sha256>),
    Sha512(Hmac<sha2::Sha512>),
}

/// A decoded HMAC key with its keyed state computed once, ready to sign or verify many messages.
#[derive(Clone)]
pub struct Key {
    bytes: Vec<u8>,
    state: State,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key([REDACTED])")
    }
}

impl Key {
    /// Builds a key from raw bytes.
    ///
    /// # Errors
    /// [`ErrorCode::InvalidSecret`] when the key is empty.
    pub fn new(algorithm: Algorithm, bytes: Vec<u8>) -> Result<Key, Error> {
        if bytes.is_empty() {
            return Err(Error::new(ErrorCode::InvalidSecret, "the secret is empty"));
        }
        // HMAC accepts keys of any length; the error arm is for the type's sake.
        let state = match algorithm {
            Algorithm::Sha1 => Hmac::new_from_slice(&bytes).map(State::Sha1),
            Algorithm::Sha256 => Hmac::new_from_slice(&bytes).map(State::Sha256),
            Algorithm::Sha512 => Hmac::new_from_slice(&bytes).map(State::Sha512),
        }
        .map_err(|_| Error::new(ErrorCode::InvalidSecret, "the secret cannot key an HMAC"))?;
        Ok(Key { bytes, state })
    }

    /// The raw key bytes (for a host's native HMAC).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The algorithm this key was prepared for.
    pub fn algorithm(&self) -> Algorithm {
        match self.state {
            State::Sha1(_) => Algorithm::Sha1,
            State::Sha256(_) => Algorithm::Sha256,
            State::Sha512(_) => Algorithm::Sha512,
        }
    }

    /// The same key bytes prepared for another algorithm.
    pub(crate) fn with_algorithm(&self, algorithm: Algorithm) -> Result<Key, Error> {
        Key::new(algorithm, self.bytes.clone())
    }

    /// Computes the MAC of `parts` concatenated.
    pub fn mac(&self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<M: Mac + Clone>(m: &M, parts: &[&[u8]]) -> Vec<u8> {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            m.finalize().into_bytes().to_vec()
        }
        match &self.state {
            State::Sha1(m) => run(m, parts),
            State::Sha256(m) => run(m, parts),
            State::Sha512(m) => run(m, parts),
        }
    }

    /// The HMAC key block for `algorithm` XORed with `pad` (0x36: the inner pad, 0x5c: the outer):
    /// the key, hashed first when longer than a block, zero-filled to the block size.
    fn padded(&self, algorithm: Algorithm, pad: u8) -> Vec<u8> {
        use sha2::Digest;
        let block = algorithm.block_len();
        let mut k = if self.bytes.len() > block {
            match algorithm {
                Algorithm::Sha1 => sha1::Sha1::digest(&self.bytes).to_vec(),
                Algorithm::Sha256 => sha2::Sha256::digest(&self.bytes).to_vec(),
                Algorithm::Sha512 => sha2::Sha512::digest(&self.bytes).to_vec(),
            }
        } else {
            self.bytes.clone()
        };
        k.resize(block, 0);
        for b in &mut k {
            *b ^= pad;
        }
        k
    }

    /// `K ^ ipad`, one hash block: a host that hashes `ipad_block + message` natively gets the
    /// inner hash of the HMAC, which [`Key::matches_inner`] finishes.
    pub fn ipad_block(&self, algorithm: Algorithm) -> Vec<u8> {
        self.padded(algorithm, 0x36)
    }

    /// Index of the first candidate equal to the HMAC whose inner hash is `inner` (see
    /// [`Key::ipad_block`]); every candidate is compared, in constant time.
    pub fn matches_inner<'c>(
        &self,
        algorithm: Algorithm,
        inner: &[u8],
        candidates: impl Iterator<Item = &'c [u8]>,
    ) -> Option<usize> {
        use sha2::Digest;
        let opad = self.padded(algorithm, 0x5c);
        let mac = match algorithm {
            Algorithm::Sha1 => sha1::Sha1::new().chain_update(&opad).chain_update(inner).finalize().to_vec(),
            Algorithm::Sha256 => sha2::Sha256::new().chain_update(&opad).chain_update(inner).finalize().to_vec(),
            Algorithm::Sha512 => sha2::Sha512::new().chain_update(&opad).chain_update(inner).finalize().to_vec(),
        };
        let mut found = None;
        for (i, c) in candidates.enumerate() {
            if constant_time_eq(&mac, c) && found.is_none() {
                found = Some(i);
            }
        }
        found
    }

    /// Index of the first candidate equal to the MAC of `parts`, compared in constant time
    /// (RustCrypto `verify_slice`, which also checks the length).
    pub fn matches<'c>(&self, parts: &[&[u8]], candidates: impl Iterator<Item = &'c [u8]>) -> Option<usize> {
        fn run<'c, M: Mac + Clone>(
            m: &M,
            parts: &[&[u8]],
            mut candidates: impl Iterator<Item = &'c [u8]>,
        ) -> Option<usize> {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            // Every candidate is checked, so the time does not depend on which one matched. The
            // last one consumes the keyed state instead of cloning it.
            let mut state = Some(m);
            let mut found = None;
            let mut next = candidates.next();
            let mut i = 0;
            while let Some(c) = next {
                next = candidates.next();
                let Some(mac) = (if next.is_some() { state.clone() } else { state.take() }) else { break };
                if mac.verify_slice(c).is_ok() && found.is_none() {
                    found = Some(i);
                }
                i += 1;
            }
            found
        }
        match &self.state {
            State::Sha1(m) => run(m, parts, candidates),
            State::Sha256(m) => run(m, parts, candidates),
            State::Sha512(m) => run(m, parts, candidates),
        }
    }
}

/// Whether `a` and `b` are equal, in time that depends only on their lengths (which are public).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Decodes a Standard Webhooks text secret: `whsec_` + base64 (the prefix is optional).
pub(crate) fn decode_standard_secret(text: &str) -> Result<Vec<u8>, Error> {
    let encoded = text.strip_prefix("whsec_").unwrap_or(text);
    b64::decode(encoded).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidSecret,
            "a Standard Webhooks secret is \"whsec_\" followed by base64; this one is not valid base64",
        )
    })
}

/// The detail for a signature that is not valid in its encoding.
pub(crate) fn undecodable(header: &str, encoding: Encoding, algorithm: Algorithm) -> Error {
    let (enc, len) = match (encoding, algorithm) {
        (Encoding::Hex, Algorithm::Sha1) => ("hex", "40 hex digits"),
        (Encoding::Hex, Algorithm::Sha256) => ("hex", "64 hex digits"),
        (Encoding::Hex, Algorithm::Sha512) => ("hex", "128 hex digits"),
        (Encoding::Base64, Algorithm::Sha1) => ("base64", "28 base64 characters"),
        (Encoding::Base64, Algorithm::Sha256) => ("base64", "44 base64 characters"),
        (Encoding::Base64, Algorithm::Sha512) => ("base64", "88 base64 characters"),
    };
    Error::new(
        ErrorCode::MalformedHeader,
        cat(&["header ", header, ": the signature is not ", enc, " of the right length (expected ", len, ")"]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inner_hash_from_the_ipad_block_finishes_to_the_hmac() {
        use sha2::Digest;
        let msg = b"The quick brown fox";
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            for key in [b"short".to_vec(), vec![7u8; 200]] {
                let key = Key::new(algorithm, key).unwrap();
                let mut m = key.ipad_block(algorithm);
                assert_eq!(m.len(), algorithm.block_len());
                m.extend_from_slice(msg);
                let inner = match algorithm {
                    Algorithm::Sha1 => sha1::Sha1::digest(&m).to_vec(),
                    Algorithm::Sha256 => sha2::Sha256::digest(&m).to_vec(),
                    Algorithm::Sha512 => sha2::Sha512::digest(&m).to_vec(),
                };
                let mac = key.mac(&[msg]);
                let wrong = vec![0u8; mac.len()];
                let candidates = [&wrong[..], &mac[..]];
                assert_eq!(key.matches_inner(algorithm, &inner, candidates.into_iter()), Some(1), "{algorithm:?}");
                assert_eq!(key.matches_inner(algorithm, &inner[1..], candidates.into_iter()), None);
            }
        }
    }

    #[test]
    fn hex_signatures_decode_in_either_case_and_refuse_anything_else() {
        let mut out = [0u8; 64];
        assert_eq!(Encoding::Hex.decode("00ff7Fa0", &mut out), Some(4));
        assert_eq!(&out[..4], &[0x00, 0xff, 0x7f, 0xa0]);
        for bad in ["0", "0g", "g0", " 0", "0\u{0}", "é0", "0x"] {
            assert_eq!(Encoding::Hex.decode(bad, &mut out), None, "{bad:?}");
        }
        assert_eq!(Encoding::Hex.decode(&"ab".repeat(65), &mut out), None);
    }
}
