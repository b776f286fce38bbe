//! Standard base64 (RFC 4648 §4), small enough for the verifier's wasm: encodes padded, decodes
//! with or without padding, and refuses anything non-canonical (stray characters, wrong padding,
//! non-zero trailing bits).

use alloc::string::String;
use alloc::vec::Vec;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Padded standard base64 of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn value(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Decodes `s` into `out`, returning the number of bytes written; `None` when `s` is not
/// canonical base64 or `out` is too small.
pub(crate) fn decode_into(s: &str, out: &mut [u8]) -> Option<usize> {
    let s = s.as_bytes();
    let data = match s {
        [rest @ .., b'=', b'='] if s.len().is_multiple_of(4) => rest,
        [rest @ .., b'='] if s.len().is_multiple_of(4) => rest,
        _ => s,
    };
    if data.len() % 4 == 1 {
        return None;
    }
    let mut n = 0;
    for chunk in data.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c)? << (18 - 6 * i);
        }
        let bytes = chunk.len() - 1; // 4 chars → 3 bytes, 3 → 2, 2 → 1
        let unused = acc & ((1 << (8 * (3 - bytes))) - 1);
        if unused != 0 {
            return None;
        }
        for i in 0..bytes {
            *out.get_mut(n)? = (acc >> (16 - 8 * i)) as u8;
            n += 1;
        }
    }
    Some(n)
}

/// Decodes `s` (see [`decode_into`]).
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    let mut out = alloc::vec![0; s.len() / 4 * 3 + 3];
    let n = decode_into(s, &mut out)?;
    out.truncate(n);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_vectors_both_ways() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded).as_deref(), Some(plain.as_bytes()), "{coded}");
            assert_eq!(decode(coded.trim_end_matches('=')).as_deref(), Some(plain.as_bytes()), "unpadded {coded}");
        }
    }

    #[test]
    fn all_bytes_round_trip() {
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..all.len() {
            assert_eq!(decode(&encode(&all[..len])).as_deref(), Some(&all[..len]));
        }
    }

    #[test]
    fn refuses_non_canonical_input() {
        for bad in ["Z", "Zg=", "Zg===", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "Zm-v", "Zm_v", "=Zm9", "Zg==Zg=="] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        let mut small = [0u8; 2];
        assert_eq!(decode_into("Zm9v", &mut small), None);
    }
}
