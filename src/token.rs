//! Verification and signing of compact JWS tokens, in DESIGN.md's fixed order of checks.

use crate::alg::Algorithm;
use crate::b64;
use crate::claims::Claims;
use crate::error::{ErrorKind, Result};
use crate::header::{self, Header};
use crate::key::{HmacKey, KeyRing};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::validation::{Validation, MAX_HEADER_BYTES};

/// The three segments of a compact token, split without allocating.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segments<'a> {
    pub header: &'a [u8],
    pub payload: &'a [u8],
    pub signature: &'a [u8],
    /// `header.payload`, the signing input.
    pub signed: &'a [u8],
}

/// Exactly three segments; header and payload non-empty. The signature may be empty here
/// (an `alg: none` token is then refused by the allowlist, a wrong length by the MAC check).
pub(crate) fn split(token: &[u8]) -> Result<Segments<'_>> {
    let invalid = || ErrorKind::JwsInvalid;
    let first = token.iter().position(|&b| b == b'.').ok_or_else(invalid)?;
    let (header, rest) = token.split_at(first);
    let rest = rest.get(1..).ok_or_else(invalid)?;
    let second = rest.iter().position(|&b| b == b'.').ok_or_else(invalid)?;
    let (payload, signature) = rest.split_at(second);
    let signature = signature.get(1..).ok_or_else(invalid)?;
    if header.is_empty() || payload.is_empty() || signature.contains(&b'.') {
        return Err(invalid().into());
    }
    let signed = token.get(..first + 1 + second).ok_or_else(invalid)?;
    Ok(Segments { header, payload, signature, signed })
}

/// Reusable decode buffers, so a long-lived verifier allocates nothing per token.
#[derive(Debug, Default, Clone)]
pub struct Buffers {
    /// The decoded header JSON of the last token.
    pub header: Vec<u8>,
    /// The decoded payload JSON of the last token.
    pub payload: Vec<u8>,
    signature: Vec<u8>,
}

impl Buffers {
    /// The decoded header JSON (valid UTF-8 after a successful verify or decode).
    #[must_use]
    pub fn header_json(&self) -> &str {
        core::str::from_utf8(&self.header).unwrap_or("")
    }

    /// The decoded payload JSON (valid UTF-8 after a successful verify or decode).
    #[must_use]
    pub fn payload_json(&self) -> &str {
        core::str::from_utf8(&self.payload).unwrap_or("")
    }
}

/// A verified token: its decoded header and payload JSON texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The header JSON.
    pub header_json: String,
    /// The payload JSON (parse it with serde_json or similar for custom claims).
    pub payload_json: String,
}

/// A key ring plus a policy: verifies tokens synchronously, with `now` passed in.
#[derive(Debug, Clone)]
pub struct Verifier {
    ring: KeyRing,
    validation: Validation,
}

impl Verifier {
    /// Builds a verifier. Refuses an empty key ring or invalid options (`ERR_INVALID_OPTIONS`),
    /// and a key whose algorithm is not in `validation.algorithms` (also `ERR_INVALID_OPTIONS`).
    pub fn new(ring: KeyRing, validation: Validation) -> Result<Self> {
        validation.check()?;
        if ring.keys().is_empty() || ring.keys().iter().any(|k| !validation.algorithms.contains(k.alg())) {
            return Err(ErrorKind::InvalidOptions.into());
        }
        Ok(Self { ring, validation })
    }

    /// The policy.
    #[must_use]
    pub fn validation(&self) -> &Validation {
        &self.validation
    }

    /// Verifies `token` at `now` (seconds since the epoch, fractions allowed).
    pub fn verify(&self, token: &str, now: f64) -> Result<Verified> {
        let mut bufs = Buffers::default();
        self.verify_into(token.as_bytes(), now, &mut bufs)?;
        Ok(Verified {
            header_json: bufs.header_json().to_owned(),
            payload_json: bufs.payload_json().to_owned(),
        })
    }

    /// Verifies into reusable buffers; on success they hold the header and payload JSON.
    pub fn verify_into(&self, token: &[u8], now: f64, bufs: &mut Buffers) -> Result<()> {
        // 1. Size caps and exactly three segments.
        if token.len() > self.validation.max_token_bytes {
            return Err(ErrorKind::TooLarge.into());
        }
        let seg = split(token)?;
        if seg.header.len() > MAX_HEADER_BYTES {
            return Err(ErrorKind::TooLarge.into());
        }
        // 2. Strict base64url for all three segments.
        decode_segments(&seg, bufs)?;
        // 3. Header: strict JSON object, alg present, crit refused.
        let header_text = core::str::from_utf8(&bufs.header).map_err(|_| ErrorKind::JwsInvalid)?;
        let header = header::parse(header_text)?;
        // 4. Algorithm allowlist, then the key bound to that algorithm.
        let alg = Algorithm::from_name(&header.alg)
            .filter(|a| self.validation.algorithms.contains(*a))
            .ok_or(ErrorKind::AlgNotAllowed)?;
        let key = self.ring.select(alg, header.kid.as_deref()).ok_or(ErrorKind::NoMatchingKey)?;
        // 5. Constant-time MAC over the signing input; the tag length must be the digest length.
        if !key.verify(&[seg.signed], &bufs.signature) {
            return Err(ErrorKind::SignatureInvalid.into());
        }
        // 6. Payload: strict JSON object with typed registered claims.
        let payload_text = core::str::from_utf8(&bufs.payload).map_err(|_| ErrorKind::JwtInvalid)?;
        let claims = Claims::parse(payload_text)?;
        // 7. Policy, with time judged only now that the signature verified.
        self.validation.validate(&claims, header.typ.as_deref(), now)
    }
}

fn decode_segments(seg: &Segments<'_>, bufs: &mut Buffers) -> Result<()> {
    let invalid = |()| ErrorKind::JwsInvalid;
    b64::decode_into(seg.header, &mut bufs.header).map_err(invalid)?;
    b64::decode_into(seg.payload, &mut bufs.payload).map_err(invalid)?;
    b64::decode_into(seg.signature, &mut bufs.signature).map_err(invalid)?;
    Ok(())
}

/// An unverified token's parts. Nothing about it is trustworthy.
#[derive(Debug, Clone)]
pub struct Unverified {
    /// The decoded header JSON.
    pub header_json: String,
    /// The decoded payload JSON.
    pub payload_json: String,
}

impl Unverified {
    /// The header, parsed (its `alg` and `kid` are attacker-controlled).
    pub fn header(&self) -> Result<Header<'_>> {
        header::parse(&self.header_json)
    }

    /// The claims, typed strictly (but not verified).
    pub fn claims(&self) -> Result<Claims<'_>> {
        Claims::parse(&self.payload_json)
    }
}

/// Decodes a token **without verifying anything**: no signature, no time, no policy. Checks
/// only the structure, strict base64url, and that header and payload are strict JSON objects.
pub fn decode_unverified(token: &str, max_token_bytes: usize) -> Result<Unverified> {
    let token = decode_parts(token, max_token_bytes)?;
    header::parse(&token.header_json)?;
    crate::json::parse_object(&token.payload_json).map_err(|_| ErrorKind::JwtInvalid)?;
    Ok(token)
}

/// Size caps, three segments, strict base64url and UTF-8; the JSON is not parsed yet.
pub(crate) fn decode_parts(token: &str, max_token_bytes: usize) -> Result<Unverified> {
    let token = token.as_bytes();
    if token.len() > max_token_bytes {
        return Err(ErrorKind::TooLarge.into());
    }
    let seg = split(token)?;
    if seg.header.len() > MAX_HEADER_BYTES {
        return Err(ErrorKind::TooLarge.into());
    }
    let mut bufs = Buffers::default();
    decode_segments(&seg, &mut bufs)?;
    let header_json = String::from_utf8(bufs.header).map_err(|_| ErrorKind::JwsInvalid)?;
    let payload_json = String::from_utf8(bufs.payload).map_err(|_| ErrorKind::JwtInvalid)?;
    Ok(Unverified { header_json, payload_json })
}

/// Mints compact tokens with one key.
#[derive(Debug, Clone)]
pub struct Signer {
    key: HmacKey,
}

impl Signer {
    /// A signer using `key` (its algorithm and kid go into the header).
    #[must_use]
    pub fn new(key: HmacKey) -> Self {
        Self { key }
    }

    /// The key's algorithm.
    #[must_use]
    pub fn alg(&self) -> Algorithm {
        self.key.alg()
    }

    /// Signs `payload_json`, which must be a strict JSON object whose registered claims have
    /// their RFC 7519 types. The header is `{"alg":…,"typ":…,"kid":…}`; `typ` defaults to `JWT`.
    pub fn sign(&self, payload_json: &str, typ: Option<&str>) -> Result<String> {
        Claims::parse(payload_json)?;
        let mut header = String::with_capacity(64);
        header.push_str("{\"alg\":\"");
        header.push_str(self.key.alg().name());
        header.push_str("\",\"typ\":");
        push_json_string(&mut header, typ.unwrap_or("JWT"));
        if let Some(kid) = self.key.kid() {
            header.push_str(",\"kid\":");
            push_json_string(&mut header, kid);
        }
        header.push('}');
        let mut token = String::with_capacity((header.len() + payload_json.len()) * 4 / 3 + 100);
        b64::encode_into(header.as_bytes(), &mut token);
        token.push('.');
        b64::encode_into(payload_json.as_bytes(), &mut token);
        let tag = self.key.sign(&[token.as_bytes()]);
        token.push('.');
        b64::encode_into(&tag, &mut token);
        Ok(token)
    }
}

/// Appends `s` as a JSON string literal.
pub(crate) fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let b = c as u8;
                for nibble in [b >> 4, b & 15] {
                    out.push(char::from(*HEX.get(usize::from(nibble)).unwrap_or(&b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_requires_exactly_three_segments() {
        for bad in ["", "a", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.c.", "...."] {
            assert_eq!(split(bad.as_bytes()).unwrap_err().code(), "ERR_JWS_INVALID", "{bad}");
        }
        let s = split(b"a.b.").unwrap();
        assert_eq!(
            (s.header, s.payload, s.signature, s.signed),
            (&b"a"[..], &b"b"[..], &b""[..], &b"a.b"[..])
        );
    }

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_string(&mut s, "a\"b\\c\n\u{1}é");
        assert_eq!(s, r#""a\"b\\c\n\u0001é""#);
        assert!(crate::json::parse_object(&format!("{{\"k\":{s}}}")).is_ok());
    }
}
