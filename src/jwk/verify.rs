//! The public-key verify in two phases around the runtime's signature check, in the order of
//! checks of src/ARCHITECTURE.md with the HMAC verify's steps shared (segments.rs, header.rs,
//! claims.rs, validation.rs): `begin` runs steps 1–4 (size caps, three segments, strict
//! base64url, the header, the allowlist, the key) and the signature's form (step 5's part that
//! is no arithmetic); the runtime verifies; then the verdict, steps 6 and 7 (`finish`), over the
//! header and payload `begin` decoded. The caller either kept those since (the boundary parks
//! them under a ticket, src/pending.rs: two verifies may interleave across an `await`) or has
//! `end` run steps 1–4 again over the token, which keeps no state from `begin`. Either way the
//! verdict counts only for the key `begin` chose, and time is judged only after the signature
//! verified.

use super::alg::{PublicAlgorithm, PublicAlgorithmSet};
use super::key::PublicKey;
use super::set::has_duplicate_kid;
use crate::claims::Claims;
use crate::error::{ErrorKind, Result};
use crate::header;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::segments::{decode_segments, split_capped, Buffers};
use crate::validation::Validation;

/// What `begin` chose: the key's index (its place in the ring) and the signing input's length
/// (the token up to its last `.`); the signature bytes are in the buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Begun {
    /// The chosen key's index.
    pub key: usize,
    /// The length of the signing input, `header.payload`.
    pub signed_len: usize,
}

/// A public-key ring, its allowlist and a policy. `validation.algorithms` is the HMAC
/// allowlist and is not read here: the public-key allowlist is its own type.
#[derive(Debug, Clone)]
pub struct PublicVerifier {
    keys: Vec<PublicKey>,
    allowed: PublicAlgorithmSet,
    validation: Validation,
}

impl PublicVerifier {
    /// Builds a verifier (any number of keys: a set with none refuses every token with
    /// `ERR_JWKS_NO_MATCHING_KEY`). Refuses an empty allowlist, invalid options, a key whose
    /// algorithm is not allowed (`ERR_INVALID_OPTIONS`) and two keys with one kid (`ERR_JWKS_INVALID`).
    pub fn new(keys: Vec<PublicKey>, allowed: PublicAlgorithmSet, validation: Validation) -> Result<Self> {
        validation.check()?;
        let unusable = |k: &PublicKey| {
            !PublicAlgorithm::ALL.iter().any(|a| allowed.contains(*a) && k.alg().verifies(*a))
        };
        if allowed.is_empty() || keys.iter().any(unusable) {
            return Err(ErrorKind::InvalidOptions.into());
        }
        if has_duplicate_kid(&keys, &[]) {
            return Err(ErrorKind::JwksInvalid.into());
        }
        Ok(Self { keys, allowed, validation })
    }

    /// The keys, by index.
    #[must_use]
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// Steps 1 to 4 and the signature's form: the chosen key and the signing input's length;
    /// the raw signature is then `bufs`'s (`Buffers::signature`).
    pub fn begin(&self, token: &[u8], now: f64, bufs: &mut Buffers) -> Result<Begun> {
        if !now.is_finite() {
            return Err(ErrorKind::InvalidOptions.into());
        }
        // 1. Size caps (token, header) and exactly three segments.
        let seg = split_capped(token, self.validation.limits())?;
        // 2. Strict base64url for all three segments.
        decode_segments(&seg, bufs)?;
        let key = self.select(bufs)?;
        // 5, its part without arithmetic: the signature's length and range for the key.
        let k = self.keys.get(key).ok_or(ErrorKind::NoMatchingKey)?;
        if !k.signature_form_ok(&bufs.signature) {
            return Err(ErrorKind::SignatureInvalid.into());
        }
        Ok(Begun { key, signed_len: seg.signed.len() })
    }

    /// After the runtime's verdict on key `key`: steps 1 to 4 again (another key than `key`:
    /// `ERR_INVALID_OPTIONS`), the verdict (`ERR_JWS_SIGNATURE_VERIFICATION_FAILED`), then the
    /// payload and the policy at `now`. On success `bufs` holds the header and payload JSON.
    pub fn end(&self, token: &[u8], now: f64, verified: bool, key: usize, bufs: &mut Buffers) -> Result<()> {
        let begun = self.begin(token, now, bufs)?;
        if begun.key != key {
            return Err(ErrorKind::InvalidOptions.into());
        }
        self.finish(verified, &bufs.header, &bufs.payload, now)
    }

    /// The runtime's verdict (`ERR_JWS_SIGNATURE_VERIFICATION_FAILED`), then steps 6 and 7 at
    /// `now`, over the `header` and `payload` JSON that a successful `begin` of this verifier
    /// decoded for the key the verdict is on (the caller keeps that pairing: `end` by running
    /// `begin` again, the boundary by a ticket). Nothing of the claims is read before the verdict.
    pub fn finish(&self, verified: bool, header: &[u8], payload: &[u8], now: f64) -> Result<()> {
        if !now.is_finite() {
            return Err(ErrorKind::InvalidOptions.into());
        }
        if !verified {
            return Err(ErrorKind::SignatureInvalid.into());
        }
        // 6. Payload: strict JSON object with typed registered claims.
        let payload_text = core::str::from_utf8(payload).map_err(|_| ErrorKind::JwtInvalid)?;
        let claims = Claims::parse(payload_text)?;
        // 7. Policy, with time judged only now that the signature verified. The header's `typ`
        // is read only for a policy that names one (`begin` parsed this header already).
        let typ = match self.validation.typ {
            Some(_) => {
                let header_text = core::str::from_utf8(header).map_err(|_| ErrorKind::JwsInvalid)?;
                header::parse(header_text)?.typ
            }
            None => None,
        };
        self.validation.validate_for(&claims, typ.as_deref(), None, now)
    }

    /// Steps 3 and 4: the header (strict, `crit` refused, `jku`/`x5u`/`jwk`/`x5c` ignored), the
    /// allowlist, then the key: by exact kid (its algorithm must verify the token's), or without
    /// a kid the one key whose algorithm verifies the token's.
    fn select(&self, bufs: &Buffers) -> Result<usize> {
        // 3. Header: strict JSON object, alg present, crit refused.
        let header_text = core::str::from_utf8(&bufs.header).map_err(|_| ErrorKind::JwsInvalid)?;
        let header = header::parse(header_text)?;
        // 4. Algorithm allowlist (a public-key name only: HS256 and none are not in it), then the key.
        let alg = PublicAlgorithm::from_name(&header.alg)
            .filter(|a| self.allowed.contains(*a))
            .ok_or(ErrorKind::AlgNotAllowed)?;
        let chosen = match header.kid.as_deref() {
            Some(kid) => {
                let (i, k) = self
                    .keys
                    .iter()
                    .enumerate()
                    .find(|(_, k)| k.kid() == Some(kid))
                    .ok_or(ErrorKind::NoMatchingKey)?;
                // A kid naming a key of another algorithm (or type) is no match.
                if !k.alg().verifies(alg) {
                    return Err(ErrorKind::NoMatchingKey.into());
                }
                i
            }
            None => {
                // Without a kid, exactly one key may fit the algorithm.
                let mut same = self.keys.iter().enumerate().filter(|(_, k)| k.alg().verifies(alg));
                let (i, _) = same.next().ok_or(ErrorKind::NoMatchingKey)?;
                if same.next().is_some() {
                    return Err(ErrorKind::NoMatchingKey.into());
                }
                i
            }
        };
        Ok(chosen)
    }
}
