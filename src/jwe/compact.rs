//! Step 1 of a decryption: the size caps (token, then protected header segment, as for JWS) and
//! the five segments of the compact serialization (RFC 7516 §7.1), split without allocating.
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
    let dots = token.iter().filter(|&&b| b == b'.').count();
    let mut it = token.split(|&b| b == b'.');
    let (Some(protected), Some(encrypted_key), Some(iv), Some(ciphertext), Some(tag), 4) =
        (it.next(), it.next(), it.next(), it.next(), it.next(), dots)
    else {
        let jws = dots == 2;
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
    fn caps_come_first() {
        assert_eq!(code(&"a".repeat(65)), "ERR_JWT_TOO_LARGE");
        let limits = Limits { max_token_bytes: 64, max_header_bytes: Some(4) };
        assert_eq!(split(b"hhhhh.k.i.c.t", limits).unwrap_err().code(), "ERR_JWT_TOO_LARGE");
        assert!(split(b"hhhh.k.i.c.t", limits).is_ok());
    }
}
