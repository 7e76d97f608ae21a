//! Why a JWK was refused (`ERR_JWK_INVALID`, feature `keys`): [`JwkProblem`], its stable names
//! and static messages, declared with the wire protocol (src/protocol/keys.rs). A file apart from
//! `error/mod.rs` so that the public-key capability's refusals live beside nothing else.

use super::{Error, ErrorKind};
use crate::protocol::{jwk_problem, JwkProblemDesc};

/// Why a JWK was refused (`ERR_JWK_INVALID`, feature `keys`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwkProblem {
    /// A member missing or of the wrong JSON type.
    Malformed,
    /// A key member that is not strict base64url.
    Base64url,
    /// A private member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`).
    Private,
    /// `kty: oct` in a public key set.
    Oct,
    /// An RSA modulus below 2048 bits.
    RsaShort,
    /// An RSA modulus with a leading zero byte, or even.
    RsaModulus,
    /// An RSA exponent that is even, below 3, over 4 bytes, or with a leading zero byte.
    RsaExponent,
    /// An EC coordinate of the wrong length or not below the field prime.
    EcCoordinate,
    /// An Ed25519 `x` that is not 32 bytes.
    OkpKey,
    /// `use` other than `sig` or `enc`.
    Use,
    /// `key_ops` without `verify`, or repeated or unknown operations.
    KeyOps,
    /// `alg` that does not fit `kty`/`crv`, or no JWS algorithm.
    Alg,
    /// An RSA key without `alg` while several RSA algorithms are allowed.
    NoAlg,
    /// An empty kid or one over the cap.
    Kid,
    /// Not a strict DER certificate with a supported key.
    Certificate,
    /// An RSA modulus with the ROCA fingerprint (CVE-2017-15361).
    RsaRoca,
}

impl JwkProblem {
    /// A stable name (`malformed`, `private`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.wire().name
    }

    /// The static message (never the key).
    #[must_use]
    pub const fn message(self) -> &'static str {
        self.wire().message
    }

    /// The problem's row of the wire protocol; always inlined (the wasm reads the letter).
    #[inline(always)]
    pub(crate) const fn wire(self) -> JwkProblemDesc {
        match self {
            Self::Malformed => jwk_problem::MALFORMED,
            Self::Base64url => jwk_problem::BASE64URL,
            Self::Private => jwk_problem::PRIVATE,
            Self::Oct => jwk_problem::OCT,
            Self::RsaShort => jwk_problem::RSA_SHORT,
            Self::RsaModulus => jwk_problem::RSA_MODULUS,
            Self::RsaExponent => jwk_problem::RSA_EXPONENT,
            Self::EcCoordinate => jwk_problem::EC_COORDINATE,
            Self::OkpKey => jwk_problem::OKP_KEY,
            Self::Use => jwk_problem::USE,
            Self::KeyOps => jwk_problem::KEY_OPS,
            Self::Alg => jwk_problem::ALG,
            Self::NoAlg => jwk_problem::NO_ALG,
            Self::Kid => jwk_problem::KID,
            Self::Certificate => jwk_problem::CERTIFICATE,
            Self::RsaRoca => jwk_problem::RSA_ROCA,
        }
    }
}

impl From<JwkProblem> for Error {
    fn from(p: JwkProblem) -> Self {
        Self::new(ErrorKind::JwkInvalid(p))
    }
}
