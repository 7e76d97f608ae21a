//! Step 1 of a decryption: the size caps (token, then protected header segment, as for JWS) and
//! the five segments of the compact serialization (RFC 7516 §7.1), split without allocating
//! (the long ciphertext searched a word at a time).
//! A JSON serialization (`{`) and a compact JWS (three segments) get their own refusals.

use crate::error::{ErrorKind, JweRefusal, Result};
use crate::segments::Limits;

/// The five segments, still base64url.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parts<'a> {
    /// The protected header segment: also the AAD, as its ASCII bytes (RFC 7516 §5.2 step 14).
    pub protected: &'a [u8],
    pub encrypted_key: &'a [u8],
    pub iv: &'a [u8],
    pub ciphertext: &'a [u8],
    pub tag: &'a [u8],
}

/// The caps, then exactly five segments with a non-empty protected header (the other lengths
/// are checked once the header named the algorithms: step 5 of `decrypt.rs`).
pub(crate) fn split(token: &[u8], limits: Limits) -> Result<Parts<'_>> {
    if token.len() > limits.max_token_bytes {
        return Err(ErrorKind::TooLarge.into());
    }
    if token.first() == Some(&b'{') {
        return Err(ErrorKind::JweRefused(JweRefusal::Json).into());
    }
    // The Node and workerd artifact (`jwe-ticket`, no size budget) takes the faster search; the
    // browsers' keeps its bytes (tests below: the two give the same segments).
    let segments = if cfg!(feature = "jwe-ticket") { five(token) } else { five_by_count(token) };
    let Some([protected, encrypted_key, iv, ciphertext, tag]) = segments else {
        let jws = token.iter().filter(|&&b| b == b'.').count() == 2;
        return Err(
            if jws { ErrorKind::JweRefused(JweRefusal::NotJwe) } else { ErrorKind::JweInvalid }.into()
        );
    };
    if protected.len() > limits.header_cap() {
        return Err(ErrorKind::TooLarge.into());
    }
    if protected.is_empty() {
        return Err(ErrorKind::JweInvalid.into());
    }
    Ok(Parts { protected, encrypted_key, iv, ciphertext, tag })
}

/// The five segments of a token with exactly four dots, else none. The first three dots are
/// searched from the start (header, encrypted key and IV are short), the last from the end (the
/// tag is short), and the ciphertext between, which may be kilobytes, is checked for a dot by
/// `holds_dot` (memchr, a word at a time; sixteen bytes in the SIMD build), as `segments::split` does for a JWS payload: a
/// byte-at-a-time split with its dot count was a quarter of a small token's `begin` in a profile.
fn five(token: &[u8]) -> Option<[&[u8]; 5]> {
    fn after_dot(s: &[u8]) -> Option<(&[u8], &[u8])> {
        let (head, rest) = s.split_at(crate::dot::first_dot(s)?);
        Some((head, rest.get(1..)?))
    }
    let (protected, rest) = after_dot(token)?;
    let (encrypted_key, rest) = after_dot(rest)?;
    let (iv, rest) = after_dot(rest)?;
    let (ciphertext, tag) = rest.split_at(crate::dot::last_dot(rest)?);
    let tag = tag.get(1..)?;
    (!crate::dot::holds_dot(ciphertext)).then_some([protected, encrypted_key, iv, ciphertext, tag])
}

/// As [`five`], a byte at a time: the dots counted, then the token split at them.
fn five_by_count(token: &[u8]) -> Option<[&[u8]; 5]> {
    let dots = token.iter().filter(|&&b| b == b'.').count();
    let mut it = token.split(|&b| b == b'.');
    match (it.next(), it.next(), it.next(), it.next(), it.next(), dots) {
        (Some(p), Some(k), Some(i), Some(c), Some(t), 4) => Some([p, k, i, c, t]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(t: &str) -> &'static str {
        split(t.as_bytes(), Limits::from(64)).map(|_| "OK").unwrap_or_else(|e| e.code())
    }

    #[test]
    fn five_segments_exactly() {
        assert_eq!(code("h.k.i.c.t"), "OK");
        assert_eq!(code("h..i..t"), "OK");
        assert_eq!(code("h...."), "OK", "empty parts are judged by their exact lengths, later");
        for bad in ["", "h", "h.k", "h.k.i.c", "h.k.i.c.t.x", ".k.i.c.t", "...", "....."] {
            assert_eq!(code(bad), "ERR_JWE_INVALID", "{bad}");
        }
    }

    #[test]
    fn a_jws_and_the_json_serialization_are_named() {
        let e = split(b"h.p.s", Limits::from(64)).unwrap_err();
        assert_eq!((e.code(), e.jwe_refusal()), ("ERR_JWE_INVALID", Some(JweRefusal::NotJwe)));
        let e = split(br#"{"protected":"x"}"#, Limits::from(64)).unwrap_err();
        assert_eq!((e.code(), e.jwe_refusal()), ("ERR_JOSE_NOT_SUPPORTED", Some(JweRefusal::Json)));
    }

    #[test]
    fn both_searches_give_the_same_segments() {
        let long = format!("h.k.i.{}.t", "c".repeat(300));
        let dotted = format!("h.k.i.{}.{}.t", "c".repeat(100), "c".repeat(100));
        let cases =
            ["h.k.i.c.t", "h..i..t", "....", "h....", ".k.i.c.t", "h.k.i.c", "h.k.i.c.t.", "hkict", ""];
        for t in cases.iter().copied().chain([long.as_str(), dotted.as_str()]) {
            assert_eq!(five(t.as_bytes()), five_by_count(t.as_bytes()), "{t}");
        }
        assert_eq!(five(long.as_bytes()).map(|p| p[3].len()), Some(300));
        assert!(five(dotted.as_bytes()).is_none(), "a dot in the ciphertext: five dots");
    }

    #[test]
    fn caps_come_first() {
        assert_eq!(code(&"a".repeat(65)), "ERR_JWT_TOO_LARGE");
        let limits = Limits { max_token_bytes: 64, max_header_bytes: Some(4) };
        assert_eq!(split(b"hhhhh.k.i.c.t", limits).unwrap_err().code(), "ERR_JWT_TOO_LARGE");
        assert!(split(b"hhhh.k.i.c.t", limits).is_ok());
    }
}
