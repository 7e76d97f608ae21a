//! A JWKS (RFC 7517 §5): a strict JSON object whose `keys` is an array of objects, each read by
//! `read.rs`; two keys with one kid refuse the set (`ERR_JWKS_INVALID`: which key would a token
//! naming it mean?). Keys we do not verify with are skipped and counted.

use super::alg::PublicAlgorithmSet;
use super::key::PublicKey;
use super::read::{read_members, Read};
use crate::error::{ErrorKind, JwkProblem, Result};
use crate::json::{self, Value};
#[allow(unused_imports)]
use crate::prelude::*;

/// The keys of a set that were read, in order, and how many were skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySetRead {
    /// The accepted keys, in document order.
    pub keys: Vec<PublicKey>,
    /// How many keys were skipped (another kty or curve, `use: enc`, an algorithm not allowed).
    pub skipped: usize,
}

/// Reads a JWKS text. A refused key refuses the whole set (a set is trusted as a whole).
pub fn read_jwks(src: &str, allowed: PublicAlgorithmSet) -> Result<KeySetRead> {
    let items = json::array_member_items(src, "keys")
        .map_err(|_| ErrorKind::JwksInvalid)?
        .ok_or(ErrorKind::JwksInvalid)?;
    let mut out = KeySetRead::default();
    // The kids of every key, the skipped ones too: a set naming two keys alike is ambiguous
    // whichever of them we use.
    let mut kids: Vec<String> = Vec::new();
    for item in items {
        if !item.starts_with('{') {
            return Err(ErrorKind::JwksInvalid.into());
        }
        let members = json::parse_object(item).map_err(|_| JwkProblem::Malformed)?;
        if let Some(Value::Str(kid)) = members.iter().find(|m| m.name == "kid").map(|m| &m.value) {
            if kids.iter().any(|k| k == kid) {
                return Err(ErrorKind::JwksInvalid.into());
            }
            kids.push(kid.as_ref().to_owned());
        }
        match read_members(&members, allowed)? {
            Read::Key(k) => out.keys.push(k),
            Read::Skipped => out.skipped += 1,
        }
    }
    Ok(out)
}

/// Whether two keys of `new` share a kid, or one shares a kid with a key of `old`.
pub(crate) fn has_duplicate_kid(new: &[PublicKey], old: &[PublicKey]) -> bool {
    new.iter().enumerate().any(|(i, k)| {
        k.kid().is_some_and(|kid| new.iter().skip(i + 1).chain(old).any(|o| o.kid() == Some(kid)))
    })
}
