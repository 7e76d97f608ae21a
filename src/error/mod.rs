//! Why a token or a configuration was rejected.
//!
//! Every [`ErrorKind`] maps to one stable string [`code`](ErrorKind::code) (jose's names where
//! the meaning is the same). Messages are static: they never contain token, key or claim bytes.
//! Numbers, codes and messages are declared with the wire protocol (src/protocol/), which the
//! JS layer's errors are generated from.

#[allow(unused_imports)]
use crate::prelude::*;
use crate::protocol::{err, key_problem, reason, ErrorDesc, KeyProblemDesc, ReasonDesc, MAX_AGE_MESSAGE};
#[cfg(feature = "jwe")]
use crate::protocol::{jwe_refusal, JweRefusalDesc};
use core::fmt;

#[cfg(feature = "keys")]
mod jwk;
#[cfg(feature = "keys")]
pub use jwk::JwkProblem;

/// Why a registered or required claim failed (jose's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimReason {
    /// The claim is required but absent.
    Missing,
    /// The claim is present but of the wrong JSON type (never treated as absent).
    Invalid,
    /// The claim is present and well typed but does not meet the policy.
    CheckFailed,
}

impl ClaimReason {
    /// The reason as jose spells it: `missing`, `invalid` or `check_failed`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.wire().name
    }

    /// The reason's row of the wire protocol (its digit, name and messages). Always inlined, so
    /// a caller that reads one field links only that field (the wasm reads the digit).
    #[inline(always)]
    pub(crate) const fn wire(self) -> ReasonDesc {
        match self {
            Self::Missing => reason::MISSING,
            Self::Invalid => reason::INVALID,
            Self::CheckFailed => reason::CHECK_FAILED,
        }
    }
}

/// Why a key, or a ring of keys, was refused (`ERR_KEY_INVALID`).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// Empty, or shorter than the hash output (RFC 7518 §3.2).
    Short,
    /// A PEM public key or certificate (the RS256 → HS256 confusion).
    PemPublic,
    /// Another PEM block, such as a private key.
    Pem,
    /// An OpenSSH public key.
    Ssh,
    /// A JWK: JSON text with a `kty` member.
    Jwk,
    /// A DER SubjectPublicKeyInfo or X.509 certificate.
    Der,
    /// The same secret bytes under two algorithms (RFC 8725 §3.1).
    TwoAlgorithms,
    /// Two keys with the same algorithm and kid (or both without a kid).
    Ambiguous,
}

impl KeyProblem {
    /// A stable name (`short`, `pem_public`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.wire().name
    }

    /// The static message (never the key).
    #[must_use]
    pub const fn message(self) -> &'static str {
        self.wire().message
    }

    /// The problem's row of the wire protocol; always inlined (the wasm reads the digit).
    #[inline(always)]
    pub(crate) const fn wire(self) -> KeyProblemDesc {
        match self {
            Self::Short => key_problem::SHORT,
            Self::PemPublic => key_problem::PEM_PUBLIC,
            Self::Pem => key_problem::PEM,
            Self::Ssh => key_problem::SSH,
            Self::Jwk => key_problem::JWK,
            Self::Der => key_problem::DER,
            Self::TwoAlgorithms => key_problem::TWO_ALGORITHMS,
            Self::Ambiguous => key_problem::AMBIGUOUS,
        }
    }
}

/// Why a JWE was refused before any decryption (feature `jwe`): each with its own static
/// message, reported as `ERR_JOSE_NOT_SUPPORTED`, `ERR_JOSE_ALG_NOT_ALLOWED` or
/// `ERR_JWE_INVALID` ([`JweRefusal::code`]).
#[cfg(feature = "jwe")]
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JweRefusal {
    /// `zip`: compressed plaintext (decompression bombs).
    Zip,
    /// PBES2 key management, or `p2c`/`p2s` in the header (the iteration-count denial of service).
    Pbes2,
    /// ECDH-ES key management (or an `epk`).
    Ecdh,
    /// RSA key management.
    Rsa,
    /// Any `crit`.
    Crit,
    /// `jku`, `jwk`, `x5u` or `x5c`: keys come only from the configuration.
    KeySource,
    /// The JWE JSON serialization.
    Json,
    /// Another key-management algorithm.
    Alg,
    /// Another content encryption.
    Enc,
    /// A supported key management outside the allowlist.
    AlgNotAllowed,
    /// A supported content encryption outside the allowlist.
    EncNotAllowed,
    /// A compact JWS where a JWE is expected.
    NotJwe,
    /// A nested decrypt whose header does not say `cty: JWT`.
    NotNested,
    /// A JWE key of another length than its algorithm needs (`ERR_KEY_INVALID`).
    KeyLength,
}

#[cfg(feature = "jwe")]
impl JweRefusal {
    /// A stable name (`zip`, `pbes2`, …).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        self.wire().name
    }

    /// The static message (never the input).
    #[must_use]
    pub const fn message(self) -> &'static str {
        self.wire().message
    }

    /// The error code it is reported with.
    #[must_use]
    pub const fn code(self) -> &'static str {
        self.wire().error.code
    }

    /// The refusal's row of the wire protocol; always inlined (the wasm reads the letter and number).
    #[inline(always)]
    pub(crate) const fn wire(self) -> JweRefusalDesc {
        match self {
            Self::Zip => jwe_refusal::ZIP,
            Self::Pbes2 => jwe_refusal::PBES2,
            Self::Ecdh => jwe_refusal::ECDH,
            Self::Rsa => jwe_refusal::RSA,
            Self::Crit => jwe_refusal::CRIT,
            Self::KeySource => jwe_refusal::KEY_SOURCE,
            Self::Json => jwe_refusal::JSON,
            Self::Alg => jwe_refusal::ALG,
            Self::Enc => jwe_refusal::ENC,
            Self::AlgNotAllowed => jwe_refusal::ALG_NOT_ALLOWED,
            Self::EncNotAllowed => jwe_refusal::ENC_NOT_ALLOWED,
            Self::NotJwe => jwe_refusal::NOT_JWE,
            Self::NotNested => jwe_refusal::NOT_NESTED,
            Self::KeyLength => jwe_refusal::KEY_LENGTH,
        }
    }
}

/// The kinds of failure. Stable across minor versions; match on it or on [`ErrorKind::code`].
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not a compact JWS: segment count, base64url, UTF-8, or the header is not a strict JSON
    /// object with a string `alg`.
    JwsInvalid,
    /// The payload is not a strict JSON object (UTF-8, no duplicate names, bounded depth).
    JwtInvalid,
    /// The token (or its header) is longer than the configured cap.
    TooLarge,
    /// The header `alg` is not in the allowed algorithms (this includes `none` in any spelling).
    AlgNotAllowed,
    /// The header asks for something this library does not do: `crit`, `b64: false`, nesting.
    NotSupported,
    /// The MAC did not verify (or the signature has the wrong length).
    SignatureInvalid,
    /// The token expired: `now >= exp + tolerance` (claim `exp`), or it is older than the
    /// configured maximum age (claim `iat`). Only reported after the signature verified.
    Expired {
        /// `exp` or `iat`.
        claim: &'static str,
    },
    /// A claim is missing, mistyped, or fails the policy.
    Claim {
        /// The claim's name (a registered name, `typ` for the header, or a configured name).
        claim: String,
        /// Why it failed.
        reason: ClaimReason,
    },
    /// No key of the ring fits the header's `alg` and `kid`.
    NoMatchingKey,
    /// A key is empty, shorter than the hash output (RFC 7518 §3.2), in a public-key format,
    /// or clashes with another: the problem says which.
    KeyInvalid(KeyProblem),
    /// The options are inconsistent (empty algorithm list, a key whose alg is not allowed, …).
    InvalidOptions,
    /// Not a compact JWE: five segments, strict base64url, a strict JSON protected header with
    /// string `alg` and `enc`, and the exact IV, tag and encrypted-key lengths (feature `jwe`).
    #[cfg(feature = "jwe")]
    JweInvalid,
    /// The JWE did not decrypt: the key did not unwrap, the tag did not verify, the padding or
    /// the CEK length was wrong. One kind for every cause, so no oracle (feature `jwe`).
    #[cfg(feature = "jwe")]
    JweDecryptionFailed,
    /// The JWE asks for something refused before any decryption (feature `jwe`).
    #[cfg(feature = "jwe")]
    JweRefused(JweRefusal),
    /// Not a key set: not a strict JSON object with a `keys` array of objects, or two keys
    /// with one kid (feature `keys`).
    #[cfg(feature = "keys")]
    JwksInvalid,
    /// A JWK is malformed or refused; the problem says why (feature `keys`).
    #[cfg(feature = "keys")]
    JwkInvalid(JwkProblem),
}

impl ErrorKind {
    /// The kind's row of the wire protocol (number, code, message), declared in src/protocol.rs.
    /// Always inlined, so a caller that reads one field links only that field (the wasm reads
    /// the number, not the strings).
    #[inline(always)]
    const fn wire(&self) -> ErrorDesc {
        match self {
            Self::JwsInvalid => err::JWS_INVALID,
            Self::JwtInvalid => err::JWT_INVALID,
            Self::TooLarge => err::TOO_LARGE,
            Self::AlgNotAllowed => err::ALG_NOT_ALLOWED,
            Self::NotSupported => err::NOT_SUPPORTED,
            Self::SignatureInvalid => err::SIGNATURE_INVALID,
            Self::Expired { .. } => err::EXPIRED,
            Self::Claim { .. } => err::CLAIM,
            Self::NoMatchingKey => err::NO_MATCHING_KEY,
            Self::KeyInvalid(_) => err::KEY_INVALID,
            Self::InvalidOptions => err::INVALID_OPTIONS,
            #[cfg(feature = "jwe")]
            Self::JweInvalid => err::JWE_INVALID,
            #[cfg(feature = "jwe")]
            Self::JweDecryptionFailed => err::JWE_DECRYPTION_FAILED,
            #[cfg(feature = "jwe")]
            Self::JweRefused(r) => r.wire().error,
            #[cfg(feature = "keys")]
            Self::JwksInvalid => err::JWKS_INVALID,
            #[cfg(feature = "keys")]
            Self::JwkInvalid(_) => err::JWK_INVALID,
        }
    }

    /// The stable string code, the same in Rust and JavaScript.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        self.wire().code
    }

    /// A small stable number per kind, used across the wasm boundary (src/protocol.rs).
    #[must_use]
    pub const fn number(&self) -> u32 {
        self.wire().number
    }

    /// A static, human-readable message. Never contains input.
    #[must_use]
    pub fn message(&self) -> &'static str {
        match self {
            Self::Expired { claim: "iat" } => MAX_AGE_MESSAGE,
            Self::Claim { reason, .. } => reason.wire().message,
            Self::KeyInvalid(problem) => problem.message(),
            #[cfg(feature = "jwe")]
            Self::JweRefused(r) => r.message(),
            #[cfg(feature = "keys")]
            Self::JwkInvalid(p) => p.message(),
            _ => self.wire().message,
        }
    }
}

/// The error type of every fallible function in this crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

impl Error {
    /// Wraps a kind.
    #[must_use]
    pub fn new(kind: ErrorKind) -> Self {
        Self(Box::new(kind))
    }

    /// A claim failure.
    #[must_use]
    pub fn claim(claim: &str, reason: ClaimReason) -> Self {
        Self::new(ErrorKind::Claim { claim: claim.into(), reason })
    }

    /// The kind of failure.
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// The stable string code (for example `ERR_JWT_EXPIRED`).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// The claim involved, for claim failures and expiry.
    #[must_use]
    pub fn claim_name(&self) -> Option<&str> {
        match &*self.0 {
            ErrorKind::Expired { claim } => Some(claim),
            ErrorKind::Claim { claim, .. } => Some(claim),
            _ => None,
        }
    }

    /// The problem, for key failures (`ERR_KEY_INVALID`).
    #[must_use]
    pub fn key_problem(&self) -> Option<KeyProblem> {
        match &*self.0 {
            ErrorKind::KeyInvalid(p) => Some(*p),
            _ => None,
        }
    }

    /// The refusal, for a JWE refused before decryption.
    #[cfg(feature = "jwe")]
    #[must_use]
    pub fn jwe_refusal(&self) -> Option<JweRefusal> {
        match &*self.0 {
            ErrorKind::JweRefused(r) => Some(*r),
            _ => None,
        }
    }

    /// The problem, for a refused JWK (`ERR_JWK_INVALID`).
    #[cfg(feature = "keys")]
    #[must_use]
    pub fn jwk_problem(&self) -> Option<JwkProblem> {
        match &*self.0 {
            ErrorKind::JwkInvalid(p) => Some(*p),
            _ => None,
        }
    }

    /// The reason, for claim failures (`check_failed` for expiry, as jose reports it).
    #[must_use]
    pub fn reason(&self) -> Option<ClaimReason> {
        match &*self.0 {
            ErrorKind::Expired { .. } => Some(ClaimReason::CheckFailed),
            ErrorKind::Claim { reason, .. } => Some(*reason),
            _ => None,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.message())
    }
}

impl core::error::Error for Error {}

/// Shorthand for this crate's results.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// The number of [`all_codes`]: 11, the two JWE kinds with feature `jwe`, the two key-set
/// kinds with feature `keys`.
pub const ALL_KINDS: usize =
    11 + if cfg!(feature = "jwe") { 2 } else { 0 } + if cfg!(feature = "keys") { 2 } else { 0 };

/// Every kind with its number and code (the JWE ones with feature `jwe`; a `JweRefused` has its
/// error's number), for drift guards (`tests/errors.rs` against
/// `tests/vectors/protocol.json`).
#[must_use]
pub fn all_codes() -> [(u32, &'static str); ALL_KINDS] {
    let kinds = [
        ErrorKind::JwsInvalid,
        ErrorKind::JwtInvalid,
        ErrorKind::TooLarge,
        ErrorKind::AlgNotAllowed,
        ErrorKind::NotSupported,
        ErrorKind::SignatureInvalid,
        ErrorKind::Expired { claim: "exp" },
        ErrorKind::Claim { claim: String::new(), reason: ClaimReason::Missing },
        ErrorKind::NoMatchingKey,
        ErrorKind::KeyInvalid(KeyProblem::Short),
        ErrorKind::InvalidOptions,
        #[cfg(feature = "jwe")]
        ErrorKind::JweInvalid,
        #[cfg(feature = "jwe")]
        ErrorKind::JweDecryptionFailed,
        #[cfg(feature = "keys")]
        ErrorKind::JwksInvalid,
        #[cfg(feature = "keys")]
        ErrorKind::JwkInvalid(JwkProblem::Malformed),
    ];
    kinds.map(|k| (k.number(), k.code()))
}
