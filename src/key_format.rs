//! Recognises a configured HMAC secret that is really a key in a public-key format: a PEM block,
//! an OpenSSH public key, a JWK, or a DER SubjectPublicKeyInfo or certificate. Using a public
//! key as an HMAC secret is the first step of the RS256 → HS256 confusion (RFC 8725 §2.1): the
//! attacker knows the public key, so they can sign with it. A PEM block or an OpenSSH key is
//! found anywhere in the secret (whatever precedes it); a JWK or DER must be the whole secret.

use crate::error::KeyProblem;
#[allow(unused_imports)]
use crate::prelude::*;

/// What `secret` looks like, when it looks like a key format rather than random bytes.
pub(crate) fn key_format(secret: &[u8]) -> Option<KeyProblem> {
    let start = secret.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(secret.len());
    let s = secret.get(start..).unwrap_or(&[]);
    let s = s.strip_prefix(b"\xef\xbb\xbf").unwrap_or(s); // a UTF-8 byte order mark
                                                          // A PEM block anywhere, not only first: a comment or any other prefix before it must not
                                                          // smuggle a public key in (the bypass class of fast-jwt's GHSA-ww5h-9m49-7xx4).
    if let Some(label) = find(s, b"-----BEGIN ").and_then(|i| s.get(i + 11..)) {
        let end = label.windows(5).position(|w| w == b"-----").unwrap_or(label.len());
        let label = label.get(..end).unwrap_or(label);
        let has = |word: &[u8]| label.windows(word.len()).any(|w| w == word);
        return Some(if has(b"PUBLIC KEY") || has(b"CERTIFICATE") {
            KeyProblem::PemPublic
        } else {
            KeyProblem::Pem
        });
    }
    const SSH: [&[u8]; 6] = [
        b"ssh-rsa ",
        b"ssh-ed25519 ",
        b"ssh-dss ",
        b"ecdsa-sha2-",
        b"sk-ssh-ed25519@openssh.com ",
        b"sk-ecdsa-sha2-",
    ];
    if SSH.iter().any(|p| find(s, p).is_some()) {
        return Some(KeyProblem::Ssh);
    }
    if s.first() == Some(&b'{') {
        let members = core::str::from_utf8(s).ok().and_then(|t| crate::json::parse_object(t).ok());
        if members.is_some_and(|m| m.iter().any(|m| m.name == "kty")) {
            return Some(KeyProblem::Jwk);
        }
    }
    is_der_key(secret).then_some(KeyProblem::Der)
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// One DER TLV at the start of `b`: `(tag, contents, rest)`, definite lengths of up to 3 bytes.
fn tlv(b: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, b) = b.split_first()?;
    let (&first, mut b) = b.split_first()?;
    let len = match first {
        0..=0x7f => usize::from(first),
        0x81..=0x83 => {
            let n = usize::from(first & 0x7f);
            let (bytes, rest) = (b.get(..n)?, b.get(n..)?);
            b = rest;
            let len = bytes.iter().fold(0usize, |acc, &x| (acc << 8) | usize::from(x));
            // Minimal encoding only (DER): a long form for a length the short form could hold,
            // or with a leading zero byte, is not DER.
            if len < 0x80 || bytes.first() == Some(&0) {
                return None;
            }
            len
        }
        _ => return None,
    };
    Some((tag, b.get(..len)?, b.get(len..)?))
}

/// A SubjectPublicKeyInfo (`SEQUENCE { SEQUENCE algorithm, BIT STRING key }`) or an X.509
/// certificate (`SEQUENCE { SEQUENCE tbs, SEQUENCE algorithm, BIT STRING signature }`) that
/// spans the whole input exactly. Random bytes pass these nested exact-length checks with a
/// probability far below 2^-40.
fn is_der_key(b: &[u8]) -> bool {
    const SEQUENCE: u8 = 0x30;
    const BIT_STRING: u8 = 0x03;
    let Some((SEQUENCE, mut body, [])) = tlv(b) else {
        return false;
    };
    let mut tags = [0u8; 3];
    let mut n = 0;
    while !body.is_empty() {
        let Some((tag, _, rest)) = tlv(body) else {
            return false;
        };
        let Some(slot) = tags.get_mut(n) else {
            return false;
        };
        *slot = tag;
        n += 1;
        body = rest;
    }
    matches!(tags.get(..n), Some([SEQUENCE, BIT_STRING] | [SEQUENCE, SEQUENCE, BIT_STRING]))
}
