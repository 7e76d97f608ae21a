//! Verification of compact JWS tokens, in DESIGN.md's fixed order of checks.

use crate::alg::Algorithm;
use crate::claims::Claims;
use crate::error::{ErrorKind, Result};
use crate::header;
use crate::key::{HmacKey, KeyRing};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::segments::{decode_segments, split_capped, Buffers};
use crate::validation::Validation;

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
    /// a key whose algorithm is not in `validation.algorithms`, and a key bound to an issuer
    /// that the issuer allowlist does not accept (both `ERR_INVALID_OPTIONS`).
    pub fn new(ring: KeyRing, validation: Validation) -> Result<Self> {
        validation.check()?;
        let unusable = |k: &HmacKey| {
            !validation.algorithms.contains(k.alg())
                || k.issuer()
                    .zip(validation.issuer.as_deref())
                    .is_some_and(|(i, list)| !list.iter().any(|x| x == i))
        };
        if ring.keys().is_empty() || ring.keys().iter().any(unusable) {
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
    /// A non-finite `now` is refused (`ERR_INVALID_OPTIONS`) before the token is looked at.
    pub fn verify_into(&self, token: &[u8], now: f64, bufs: &mut Buffers) -> Result<()> {
        let signed = self.decode_into(token, now, bufs)?;
        let (key, typ) = self.select(bufs)?;
        // 5. Constant-time MAC over the signing input; the tag length must be the digest length.
        if !key.verify(&[signed], &bufs.signature) {
            return Err(ErrorKind::SignatureInvalid.into());
        }
        self.judge(key, typ, bufs, now)
    }

    /// Steps 1 and 2: the size caps, the three segments, strict base64url into `bufs`. Returns
    /// the signing input (`header.payload`), a prefix of `token`.
    #[inline(always)] // verify_into compiles as one function, as before the split
    pub(crate) fn decode_into<'t>(&self, token: &'t [u8], now: f64, bufs: &mut Buffers) -> Result<&'t [u8]> {
        if !now.is_finite() {
            return Err(ErrorKind::InvalidOptions.into());
        }
        // 1. Size caps (token, header) and exactly three segments.
        let seg = split_capped(token, self.validation.limits())?;
        // 2. Strict base64url for all three segments.
        decode_segments(&seg, bufs)?;
        Ok(seg.signed)
    }

    /// Steps 3 and 4 over the decoded header in `bufs`: the header, the algorithm allowlist,
    /// then the key bound to that algorithm. Returns the key and the header's `typ`.
    #[inline(always)] // verify_into compiles as one function, as before the split
    pub(crate) fn select<'b>(&self, bufs: &'b Buffers) -> Result<(&HmacKey, Option<Cow<'b, str>>)> {
        // 3. Header: strict JSON object, alg present, crit refused.
        let header_text = core::str::from_utf8(&bufs.header).map_err(|_| ErrorKind::JwsInvalid)?;
        let header = header::parse(header_text)?;
        // 4. Algorithm allowlist, then the key bound to that algorithm.
        let alg = Algorithm::from_name(&header.alg)
            .filter(|a| self.validation.algorithms.contains(*a))
            .ok_or(ErrorKind::AlgNotAllowed)?;
        let key = self.ring.select(alg, header.kid.as_deref()).ok_or(ErrorKind::NoMatchingKey)?;
        Ok((key, header.typ))
    }

    /// Steps 6 and 7, only after step 5 verified the signature with `key`: the payload in
    /// `bufs`, then the policy at `now`.
    #[inline(always)] // verify_into compiles as one function, as before the split
    pub(crate) fn judge(
        &self,
        key: &HmacKey,
        typ: Option<Cow<'_, str>>,
        bufs: &Buffers,
        now: f64,
    ) -> Result<()> {
        // 6. Payload: strict JSON object with typed registered claims.
        let payload_text = core::str::from_utf8(&bufs.payload).map_err(|_| ErrorKind::JwtInvalid)?;
        let claims = Claims::parse(payload_text)?;
        // 7. Policy, with time judged only now that the signature verified.
        self.validation.validate_for(&claims, typ.as_deref(), key.issuer(), now)
    }

    /// The keys, in the order they were given (a key's index is its place here).
    #[cfg(all(feature = "native-mac", target_arch = "wasm32"))]
    pub(crate) fn keys(&self) -> &[HmacKey] {
        self.ring.keys()
    }
}
