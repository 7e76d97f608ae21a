//! Unverified decoding: a token's parts read **without verifying anything**, for `dangerous`.

use crate::claims::Claims;
use crate::error::{ErrorKind, Result};
use crate::header::{self, Header};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::segments::{decode_segments, split_capped, Buffers, Limits};

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
/// only the size caps (a token cap, or [`Limits`] with a header cap), the structure, strict
/// base64url, and that header and payload are strict JSON objects.
pub fn decode_unverified(token: &str, limits: impl Into<Limits>) -> Result<Unverified> {
    let token = decode_parts(token, limits.into())?;
    header::parse(&token.header_json)?;
    crate::json::parse_object(&token.payload_json).map_err(|_| ErrorKind::JwtInvalid)?;
    Ok(token)
}

/// Size caps, three segments, strict base64url and UTF-8; the JSON is not parsed yet.
pub(crate) fn decode_parts(token: &str, limits: Limits) -> Result<Unverified> {
    limits.check()?;
    let seg = split_capped(token.as_bytes(), limits)?;
    let mut bufs = Buffers::default();
    decode_segments(&seg, &mut bufs)?;
    let header_json = String::from_utf8(bufs.header).map_err(|_| ErrorKind::JwsInvalid)?;
    let payload_json = String::from_utf8(bufs.payload).map_err(|_| ErrorKind::JwtInvalid)?;
    Ok(Unverified { header_json, payload_json })
}
