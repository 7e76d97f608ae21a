//! `PublicKey`: one verification key of a public-key algorithm, bound to one algorithm, with its
//! optional kid and its checked material (RSA n and e, EC x and y, Ed25519 x). A type apart from
//! `HmacKey`: nothing makes one out of the other. It writes itself back as the minimal public
//! JWK the runtime imports, and checks a signature's form before the runtime sees it.

use super::alg::{Family, PublicAlgorithm};
use super::ec::Curve;
use super::{okp, rsa};
use crate::b64;
use crate::json::push_json_string;
#[allow(unused_imports)]
use crate::prelude::*;

/// The checked key material.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Material {
    /// RSA: the modulus and the exponent, canonical big-endian.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// EC: the curve and the two coordinates, each of the field size and below p.
    Ec { curve: Curve, x: Vec<u8>, y: Vec<u8> },
    /// Ed25519: the 32-byte public key.
    Ed25519 { x: Vec<u8> },
}

impl Material {
    pub(crate) fn family(&self) -> Family {
        match self {
            Self::Rsa { .. } => Family::Rsa,
            Self::Ec { curve, .. } => curve.family(),
            Self::Ed25519 { .. } => Family::Ed25519,
        }
    }

    /// The minimal public JWK of this material: `{"kty":"RSA","n":…,"e":…}`,
    /// `{"kty":"EC","crv":…,"x":…,"y":…}` or `{"kty":"OKP","crv":"Ed25519","x":…}`.
    pub(crate) fn jwk(&self) -> String {
        let mut out = String::from("{\"kty\":");
        let member = |out: &mut String, name: &str, bytes: &[u8]| {
            out.push_str(",\"");
            out.push_str(name);
            out.push_str("\":\"");
            b64::encode_into(bytes, out);
            out.push('"');
        };
        match self {
            Self::Rsa { n, e } => {
                out.push_str("\"RSA\"");
                member(&mut out, "n", n);
                member(&mut out, "e", e);
            }
            Self::Ec { curve, x, y } => {
                out.push_str("\"EC\",\"crv\":");
                push_json_string(&mut out, curve.name);
                member(&mut out, "x", x);
                member(&mut out, "y", y);
            }
            Self::Ed25519 { x } => {
                out.push_str("\"OKP\",\"crv\":\"Ed25519\"");
                member(&mut out, "x", x);
            }
        }
        out.push('}');
        out
    }
}

/// A public verification key: one algorithm, an optional kid, checked material.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub(crate) alg: PublicAlgorithm,
    pub(crate) kid: Option<String>,
    pub(crate) material: Material,
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PublicKey").field("alg", &self.alg).field("kid", &self.kid).finish_non_exhaustive()
    }
}

impl PublicKey {
    /// The algorithm this key is bound to.
    #[must_use]
    pub fn alg(&self) -> PublicAlgorithm {
        self.alg
    }

    /// The kid, if any.
    #[must_use]
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The minimal public JWK to import (no kid, alg, use or key_ops).
    #[must_use]
    pub fn jwk(&self) -> String {
        self.material.jwk()
    }

    /// Whether `sig` has the form the algorithm needs, checked before any runtime sees it: RSA,
    /// the modulus length and below it; ECDSA, r‖s of twice the field size with 0 < r, s < n;
    /// Ed25519, 64 bytes with a canonical S.
    #[must_use]
    pub fn signature_form_ok(&self, sig: &[u8]) -> bool {
        match &self.material {
            Material::Rsa { n, .. } => rsa::signature_ok(n, sig),
            Material::Ec { curve, .. } => curve.signature_ok(sig),
            Material::Ed25519 { .. } => okp::signature_ok(sig),
        }
    }
}
