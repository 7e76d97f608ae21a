//! The three segments of a compact token, shared by verification and unverified decoding:
//! split without allocating (step 1), then decoded from strict base64url into reusable
//! buffers (step 2).

use crate::b64;
use crate::error::{ErrorKind, Result};
#[allow(unused_imports)]
use crate::prelude::*;

/// The three segments of a compact token, split without allocating.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segments<'a> {
    pub header: &'a [u8],
    pub payload: &'a [u8],
    pub signature: &'a [u8],
    /// `header.payload`, the signing input (read only by a MAC capability).
    #[cfg_attr(not(feature = "hmac"), allow(dead_code))]
    pub signed: &'a [u8],
}

/// The size caps of step 1: the whole token and its encoded header segment, in bytes.
/// `From<usize>` gives a token cap with the default header cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The maximum token length (at least 1).
    pub max_token_bytes: usize,
    /// The maximum header segment length, from 1 to `max_token_bytes`; `None`: 8 KiB
    /// ([`DEFAULT_MAX_HEADER_BYTES`](crate::DEFAULT_MAX_HEADER_BYTES)), or the token cap if lower.
    pub max_header_bytes: Option<usize>,
}

impl From<usize> for Limits {
    fn from(max_token_bytes: usize) -> Self {
        Self { max_token_bytes, max_header_bytes: None }
    }
}

impl Limits {
    /// The header cap in effect.
    #[must_use]
    pub fn header_cap(&self) -> usize {
        self.max_header_bytes.unwrap_or(crate::validation::DEFAULT_MAX_HEADER_BYTES.min(self.max_token_bytes))
    }

    /// Refuses a zero cap, or a header cap above the token cap, with `ERR_INVALID_OPTIONS`.
    pub fn check(&self) -> Result<()> {
        let header = self.header_cap();
        if self.max_token_bytes == 0 || header == 0 || header > self.max_token_bytes {
            return Err(ErrorKind::InvalidOptions.into());
        }
        Ok(())
    }
}

/// Step 1: the size caps (token, then header segment), then [`split`].
pub(crate) fn split_capped(token: &[u8], limits: Limits) -> Result<Segments<'_>> {
    if token.len() > limits.max_token_bytes {
        return Err(ErrorKind::TooLarge.into());
    }
    let seg = split(token)?;
    if seg.header.len() > limits.header_cap() {
        return Err(ErrorKind::TooLarge.into());
    }
    Ok(seg)
}

/// Exactly three segments; header and payload non-empty. The signature may be empty here
/// (an `alg: none` token is then refused by the allowlist, a wrong length by the MAC check).
pub(crate) fn split(token: &[u8]) -> Result<Segments<'_>> {
    let invalid = || ErrorKind::JwsInvalid;
    let first = crate::dot::first_dot(token).ok_or_else(invalid)?;
    let (header, rest) = token.split_at(first);
    let rest = rest.get(1..).ok_or_else(invalid)?;
    // The last dot, searched from the end: the signature is short and the payload may be
    // kilobytes, and `holds_dot` (memchr, a word at a time; sixteen bytes in the SIMD build) then
    // finds any third dot in it (a byte-at-a-time search was 7 % of a 5.8 KB token's verify in
    // the profile of issue 10).
    let second = crate::dot::last_dot(rest).ok_or_else(invalid)?;
    let (payload, signature) = rest.split_at(second);
    let signature = signature.get(1..).ok_or_else(invalid)?;
    if header.is_empty() || payload.is_empty() || crate::dot::holds_dot(payload) {
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
    pub(crate) signature: Vec<u8>,
    /// (`jwe-ticket`) The header the last verify chose a key for (src/verify.rs, `Kept`).
    #[cfg(feature = "jwe-ticket")]
    pub(crate) kept: Option<crate::verify::Kept>,
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

pub(crate) fn decode_segments(seg: &Segments<'_>, bufs: &mut Buffers) -> Result<()> {
    let invalid = |()| ErrorKind::JwsInvalid;
    b64::decode(seg.header, &mut bufs.header).map_err(invalid)?;
    b64::decode(seg.payload, &mut bufs.payload).map_err(invalid)?;
    b64::decode(seg.signature, &mut bufs.signature).map_err(invalid)?;
    Ok(())
}

/// The raw signature of the last token, for the public-key verify (feature `keys`): what the
/// runtime checks. Here, after everything else, so no line of the code above moves.
#[cfg(feature = "keys")]
impl Buffers {
    /// The decoded signature of the last token (after `PublicVerifier::begin`).
    #[must_use]
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_requires_exactly_three_segments() {
        for bad in
            ["", "a", "a.b", "a.b.c.d", "a.b.c.d.e", "a.bb..c", "a..b.c", ".b.c", "a..c", "a.b.c.", "...."]
        {
            assert_eq!(split(bad.as_bytes()).unwrap_err().code(), "ERR_JWS_INVALID", "{bad}");
        }
        let s = split(b"a.b.").unwrap();
        assert_eq!(
            (s.header, s.payload, s.signature, s.signed),
            (&b"a"[..], &b"b"[..], &b""[..], &b"a.b"[..])
        );
    }
}
