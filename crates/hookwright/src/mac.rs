//! HMAC keys, algorithms and encodings. The one place where signatures are computed and compared.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

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

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

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
        let norm = || s.bytes().filter(|b| *b != b'-').map(|b| b.to_ascii_lowercase());
        [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512]
            .into_iter()
            .find(|a| norm().eq(a.id().bytes()))
            .ok_or_else(|| Error::new(ErrorCode::InvalidOptions, "option algorithm must be sha256, sha512 or sha1"))
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
        if s.eq_ignore_ascii_case("hex") {
            Ok(Encoding::Hex)
        } else if s.eq_ignore_ascii_case("base64") {
            Ok(Encoding::Base64)
        } else {
            Err(Error::new(ErrorCode::InvalidOptions, "option encoding must be hex or base64"))
        }
    }

    /// Encodes a MAC.
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Hex => hex(bytes),
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

/// A hash's chaining value: the state between blocks.
#[derive(Clone, Copy)]
enum Chain {
    Sha1([u32; 5]),
    Sha256([u32; 8]),
    Sha512([u64; 8]),
}

impl Chain {
    /// The initial value (FIPS 180-4 §5.3).
    fn new(algorithm: Algorithm) -> Chain {
        match algorithm {
            Algorithm::Sha1 => Chain::Sha1([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]),
            Algorithm::Sha256 => Chain::Sha256([
                0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
            ]),
            Algorithm::Sha512 => Chain::Sha512([
                0x6a09e667f3bcc908,
                0xbb67ae8584caa73b,
                0x3c6ef372fe94f82b,
                0xa54ff53a5f1d36f1,
                0x510e527fade682d1,
                0x9b05688c2b3e6c1f,
                0x1f83d9abfb41bd6b,
                0x5be0cd19137e2179,
            ]),
        }
    }

    /// Block length in bytes: 64, or 128 for SHA-512.
    fn block_len(&self) -> usize {
        match self {
            Chain::Sha512(_) => 128,
            _ => 64,
        }
    }

    /// Absorbs whole blocks (`data.len()` is a multiple of the block length).
    fn compress(&mut self, data: &[u8]) {
        match self {
            Chain::Sha1(h) => data.chunks_exact(64).for_each(|block| sha1_block(h, block)),
            Chain::Sha256(h) => sha2::block_api::compress256(h, data.as_chunks().0),
            // In wasm, where SHA-512 only serves custom schemes, as loops: smaller than sha2's
            // unrolled rounds (the speed of the common schemes is SHA-256's).
            #[cfg(target_family = "wasm")]
            Chain::Sha512(h) => data.chunks_exact(128).for_each(|block| sha512_block(h, block)),
            #[cfg(not(target_family = "wasm"))]
            Chain::Sha512(h) => sha2::block_api::compress512(h, data.as_chunks().0),
        }
    }

    /// Hashes `parts` after `done` bytes already absorbed into this chain (whole blocks), writing the
    /// digest into `out`; returns its length.
    fn finish(mut self, done: usize, parts: &[&[u8]], out: &mut [u8; 64]) -> usize {
        let bl = self.block_len();
        let mut block = [0u8; 128];
        let mut fill = 0;
        // In bytes; 64 bits are plenty (the length field's upper bits stay zero).
        let mut total = done as u64;
        for part in parts {
            total += part.len() as u64;
            let mut rest = *part;
            if fill > 0 {
                let n = rest.len().min(bl - fill);
                block[fill..fill + n].copy_from_slice(&rest[..n]);
                fill += n;
                rest = &rest[n..];
                if fill < bl {
                    continue;
                }
                self.compress(&block[..bl]);
            }
            let whole = rest.len() - rest.len() % bl;
            self.compress(&rest[..whole]);
            fill = rest.len() - whole;
            block[..fill].copy_from_slice(&rest[whole..]);
        }
        // Padding: 0x80, zeros, then the length in bits, big-endian, in the last bl/8 bytes.
        let len_bytes = bl / 8;
        block[fill] = 0x80;
        block[fill + 1..].fill(0);
        if fill + 1 > bl - len_bytes {
            self.compress(&block[..bl]);
            block.fill(0);
        }
        block[bl - 8..bl].copy_from_slice(&(total << 3).to_be_bytes());
        self.compress(&block[..bl]);
        // The digest: the chain's words, big-endian.
        let mut n = 0;
        let mut put = |word: &[u8]| {
            out[n..n + word.len()].copy_from_slice(word);
            n += word.len();
        };
        match self {
            Chain::Sha1(h) => h.iter().for_each(|w| put(&w.to_be_bytes())),
            Chain::Sha256(h) => h.iter().for_each(|w| put(&w.to_be_bytes())),
            Chain::Sha512(h) => h.iter().for_each(|w| put(&w.to_be_bytes())),
        }
        n
    }
}

/// The SHA-1 compression function (FIPS 180-4 §6.1.2) on one 64-byte block, as loops: SHA-1
/// only serves legacy signatures, so it is kept small rather than unrolled.
fn sha1_block(h: &mut [u32; 5], block: &[u8]) {
    let mut w = [0u32; 80];
    // Big-endian words, a byte at a time (wasm has no byte swap; this stays a short loop).
    for (i, b) in block.iter().take(64).enumerate() {
        w[i / 4] = w[i / 4] << 8 | u32::from(*b);
    }
    for t in 16..80 {
        w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *h;
    for (t, w) in w.iter().enumerate() {
        let (f, k) = match t / 20 {
            0 => ((b & c) | (!b & d), 0x5a827999),
            1 => (b ^ c ^ d, 0x6ed9eba1),
            2 => ((b & c) | (b & d) | (c & d), 0x8f1bbcdc),
            _ => (b ^ c ^ d, 0xca62c1d6),
        };
        let temp = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*w);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = temp;
    }
    for (h, v) in h.iter_mut().zip([a, b, c, d, e]) {
        *h = h.wrapping_add(v);
    }
}

/// SHA-512's round constants (FIPS 180-4 §4.2.3): the first 64 bits of the fractional parts of the
/// cube roots of the first 80 primes, computed at compile time.
const K512: [u64; 80] = {
    let mut k = [0u64; 80];
    let (mut n, mut p) = (0, 2u64);
    while n < 80 {
        let mut d = 2;
        while d * d <= p && p % d != 0 {
            d += 1;
        }
        if d * d > p {
            k[n] = cbrt_fraction(p);
            n += 1;
        }
        p += 1;
    }
    k
};

/// `x * m` in 256 bits (little-endian limbs; the operands here never overflow).
const fn mul_limb(x: [u64; 4], m: u64) -> [u64; 4] {
    let mut out = [0u64; 4];
    let mut carry = 0u128;
    let mut i = 0;
    while i < 4 {
        let v = x[i] as u128 * m as u128 + carry;
        out[i] = v as u64;
        carry = v >> 64;
        i += 1;
    }
    out
}

/// `x * r` in 256 bits, `r` below 2^128.
const fn mul(x: [u64; 4], r: u128) -> [u64; 4] {
    let lo = mul_limb(x, r as u64);
    let hi = mul_limb(x, (r >> 64) as u64);
    let mut out = [0u64; 4];
    let mut carry = 0u128;
    let mut i = 0;
    while i < 4 {
        let v = lo[i] as u128 + if i > 0 { hi[i - 1] as u128 } else { 0 } + carry;
        out[i] = v as u64;
        carry = v >> 64;
        i += 1;
    }
    out
}

/// The first 64 bits of the fractional part of the cube root of `p` (below 512): the largest `r`
/// with `r^3 <= p * 2^192`, found bit by bit, then its low 64 bits.
const fn cbrt_fraction(p: u64) -> u64 {
    let mut r = 0u128;
    let mut bit = 67;
    while bit > 0 {
        bit -= 1;
        let c = r | 1 << bit;
        let cube = mul(mul([c as u64, (c >> 64) as u64, 0, 0], c), c);
        // cube <= [0, 0, 0, p], compared from the top limb.
        if cube[3] < p || (cube[3] == p && cube[2] == 0 && cube[1] == 0 && cube[0] == 0) {
            r = c;
        }
    }
    r as u64
}

/// The SHA-512 compression function (FIPS 180-4 §6.4.2) on one 128-byte block, as loops.
#[cfg_attr(not(target_family = "wasm"), allow(dead_code))]
fn sha512_block(h: &mut [u64; 8], block: &[u8]) {
    let mut w = [0u64; 80];
    // Big-endian words, a byte at a time (wasm has no byte swap; this stays a short loop).
    for (i, b) in block.iter().take(128).enumerate() {
        w[i / 8] = w[i / 8] << 8 | u64::from(*b);
    }
    for t in 16..80 {
        let (a, b) = (w[t - 15], w[t - 2]);
        let s0 = a.rotate_right(1) ^ a.rotate_right(8) ^ (a >> 7);
        let s1 = b.rotate_right(19) ^ b.rotate_right(61) ^ (b >> 6);
        w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
    }
    let mut s = *h;
    for (k, w) in K512.iter().zip(w) {
        let [a, b, c, d, e, f, g, hh] = s;
        let t1 = hh
            .wrapping_add(e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41))
            .wrapping_add((e & f) ^ (!e & g))
            .wrapping_add(*k)
            .wrapping_add(w);
        let t2 =
            (a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39)).wrapping_add((a & b) ^ (a & c) ^ (b & c));
        s = [t1.wrapping_add(t2), a, b, c, d.wrapping_add(t1), e, f, g];
    }
    for (h, v) in h.iter_mut().zip(s) {
        *h = h.wrapping_add(v);
    }
}

/// Whether a received MAC equals the computed one, in time that depends only on the lengths (a
/// length is public: the algorithm's output length). Every byte is compared; the differences are
/// OR-ed together and the total passes through `black_box`, so the optimizer cannot stop early.
fn same(mac: &[u8], received: &[u8]) -> bool {
    if mac.len() != received.len() {
        return false;
    }
    let mut diff = 0u8;
    for (a, b) in mac.iter().zip(received) {
        diff |= a ^ b;
    }
    core::hint::black_box(diff) == 0
}

/// A decoded HMAC key (RFC 2104) with its keyed states computed once, ready to sign or verify many
/// messages: the chains after absorbing `K ^ ipad` and `K ^ opad`, so each MAC costs only the
/// message's blocks plus one block for the outer hash.
#[derive(Clone)]
pub struct Key {
    bytes: Vec<u8>,
    algorithm: Algorithm,
    inner: Chain,
    outer: Chain,
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
        let block = Key::padded(algorithm, &bytes, 0x36);
        let mut inner = Chain::new(algorithm);
        let mut outer = inner;
        let bl = inner.block_len();
        inner.compress(&block[..bl]);
        outer.compress(&block.map(|b| b ^ 0x36 ^ 0x5c)[..bl]);
        Ok(Key { bytes, algorithm, inner, outer })
    }

    /// The key as one block (hashed first when longer than a block, zero-padded), each byte XORed
    /// with `pad`.
    fn padded(algorithm: Algorithm, bytes: &[u8], pad: u8) -> [u8; 128] {
        let chain = Chain::new(algorithm);
        let mut block = [0u8; 128];
        if bytes.len() > chain.block_len() {
            let mut digest = [0u8; 64];
            let n = chain.finish(0, &[bytes], &mut digest);
            block[..n].copy_from_slice(&digest[..n]);
        } else {
            block[..bytes.len()].copy_from_slice(bytes);
        }
        block.map(|b| b ^ pad)
    }

    /// The raw key bytes (for a host's native HMAC).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The algorithm this key was prepared for.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The same key bytes prepared for another algorithm.
    pub(crate) fn with_algorithm(&self, algorithm: Algorithm) -> Result<Key, Error> {
        Key::new(algorithm, self.bytes.clone())
    }

    /// The MAC of `parts` concatenated, in the first [`Algorithm::output_len`] bytes.
    fn tag(&self, parts: &[&[u8]]) -> [u8; 64] {
        let bl = self.inner.block_len();
        let mut inner = [0u8; 64];
        let n = self.inner.finish(bl, parts, &mut inner);
        let mut tag = [0u8; 64];
        self.outer.finish(bl, &[&inner[..n]], &mut tag);
        tag
    }

    /// Computes the MAC of `parts` concatenated.
    pub fn mac(&self, parts: &[&[u8]]) -> Vec<u8> {
        self.tag(parts)[..self.algorithm.output_len()].to_vec()
    }

    /// Index of the first candidate equal to the MAC of `parts`, each compared in constant time
    /// (see [`same`]). Every candidate is compared, so the time does not depend on which one matched.
    pub fn matches<'c>(&self, parts: &[&[u8]], candidates: impl Iterator<Item = &'c [u8]>) -> Option<usize> {
        let tag = self.tag(parts);
        let tag = &tag[..self.algorithm.output_len()];
        let mut found = None;
        for (i, c) in candidates.enumerate() {
            if same(tag, c) && found.is_none() {
                found = Some(i);
            }
        }
        found
    }

    /// For hosts that hash the message themselves: the first block of the inner hash, `K ^ ipad`
    /// (64 bytes, 128 for SHA-512). The host computes `inner = H(ipad_block || message)` and passes
    /// it to [`Key::finish`].
    pub fn ipad_block(&self) -> Vec<u8> {
        Key::padded(self.algorithm, &self.bytes, 0x36)[..self.inner.block_len()].to_vec()
    }

    /// Index of the first candidate equal to the HMAC whose inner hash is `inner` (see
    /// [`Key::ipad_block`]); every candidate is compared, each in constant time.
    pub fn matches_inner<'c>(&self, inner: &[u8], candidates: impl Iterator<Item = &'c [u8]>) -> Option<usize> {
        let tag = self.finish(inner);
        let mut found = None;
        for (i, c) in candidates.enumerate() {
            if same(&tag, c) && found.is_none() {
                found = Some(i);
            }
        }
        found
    }

    /// Completes an HMAC from the inner hash a host computed (see [`Key::ipad_block`]):
    /// `H((K ^ opad) || inner)`, [`Algorithm::output_len`] bytes.
    pub fn finish(&self, inner: &[u8]) -> Vec<u8> {
        let mut tag = [0u8; 64];
        let n = self.outer.finish(self.outer.block_len(), &[inner], &mut tag);
        tag[..n].to_vec()
    }
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
    use sha2::Digest;

    use super::*;

    #[test]
    fn matches_inner_finds_the_signature_the_inner_hash_finishes_to() {
        let msg = b"The quick brown fox";
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            let key = Key::new(algorithm, vec![7u8; 200]).unwrap();
            assert_eq!(key.ipad_block().len(), algorithm.block_len());
            let m = [&key.ipad_block(), &msg[..]].concat();
            let inner = match algorithm {
                Algorithm::Sha1 => sha1::Sha1::digest(&m).to_vec(),
                Algorithm::Sha256 => sha2::Sha256::digest(&m).to_vec(),
                Algorithm::Sha512 => sha2::Sha512::digest(&m).to_vec(),
            };
            let mac = key.mac(&[msg]);
            let wrong = vec![0u8; mac.len()];
            let candidates = [&wrong[..], &mac[..]];
            assert_eq!(key.matches_inner(&inner, candidates.into_iter()), Some(1), "{algorithm:?}");
            assert_eq!(key.matches_inner(&inner[1..], candidates.into_iter()), None);
        }
    }

    #[test]
    fn sha512_loops_equal_sha2() {
        let mut block = [0u8; 128];
        let mut state = [0x0123_4567_89ab_cdefu64; 8];
        for round in 0..64u8 {
            for (i, b) in block.iter_mut().enumerate() {
                *b = (i as u8).wrapping_mul(31).wrapping_add(round.wrapping_mul(7)) ^ (state[i % 8] as u8);
            }
            let mut expected = state;
            sha2::block_api::compress512(&mut expected, &[block]);
            sha512_block(&mut state, &block);
            assert_eq!(state, expected, "round {round}");
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

    /// The hand-written HMAC against RustCrypto's `hmac`, across block and padding boundaries, with
    /// the message split into parts at several places.
    #[test]
    fn hmac_equals_rustcrypto() {
        use hmac::{Hmac, KeyInit, Mac};
        fn reference<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Vec<u8> {
            let mut m = <M as KeyInit>::new_from_slice(key).unwrap();
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        let data: Vec<u8> = (0..400u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            for key_len in [1, 20, 55, 63, 64, 65, 111, 112, 127, 128, 129, 300] {
                let key = Key::new(alg, data[..key_len].to_vec()).unwrap();
                for len in (0..300).chain([383, 384, 400]) {
                    let msg = &data[..len];
                    let want = match alg {
                        Algorithm::Sha1 => reference::<Hmac<sha1::Sha1>>(&data[..key_len], msg),
                        Algorithm::Sha256 => reference::<Hmac<sha2::Sha256>>(&data[..key_len], msg),
                        Algorithm::Sha512 => reference::<Hmac<sha2::Sha512>>(&data[..key_len], msg),
                    };
                    let cut = (len / 3, len * 2 / 3);
                    let parts: [&[u8]; 3] = [&msg[..cut.0], &msg[cut.0..cut.1], &msg[cut.1..]];
                    assert_eq!(key.mac(&parts), want, "{alg:?} key {key_len} message {len}");
                    assert_eq!(key.mac(&[msg]), want, "{alg:?} key {key_len} message {len}, one part");
                    assert_eq!(key.matches(&parts, [&want[..1], &want[..], &want[..]].into_iter()), Some(1));
                    if len % 50 == 0 {
                        let inner = match alg {
                            Algorithm::Sha1 => sha1::Sha1::digest([&key.ipad_block(), msg].concat()).to_vec(),
                            Algorithm::Sha256 => sha2::Sha256::digest([&key.ipad_block(), msg].concat()).to_vec(),
                            Algorithm::Sha512 => sha2::Sha512::digest([&key.ipad_block(), msg].concat()).to_vec(),
                        };
                        assert_eq!(key.finish(&inner), want, "{alg:?} ipad_block + finish");
                    }
                }
            }
        }
    }

    #[test]
    fn candidates_of_the_wrong_length_never_match() {
        let key = Key::new(Algorithm::Sha256, b"k".to_vec()).unwrap();
        let mac = key.mac(&[b"m"]);
        assert_eq!(key.matches(&[b"m"], [&mac[..31], &[][..]].into_iter()), None);
        let mut longer = mac.clone();
        longer.push(0);
        assert_eq!(key.matches(&[b"m"], [&longer[..], &mac[..]].into_iter()), Some(1));
    }
}
