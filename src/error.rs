//! Why a token or a configuration was rejected.
//!
//! Every [`ErrorKind`] maps to one stable string [`code`](ErrorKind::code) (jose's names where
//! the meaning is the same). Messages are static: they never contain token, key or claim bytes.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

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
        match self {
            Self::Missing => "missing",
            Self::Invalid => "invalid",
            Self::CheckFailed => "check_failed",
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
    /// A key is empty, shorter than the hash output (RFC 7518 §3.2), or clashes with another.
    KeyInvalid,
    /// The options are inconsistent (empty algorithm list, a key whose alg is not allowed, …).
    InvalidOptions,
}

impl ErrorKind {
    /// The stable string code, the same in Rust and JavaScript.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::JwsInvalid => "ERR_JWS_INVALID",
            Self::JwtInvalid => "ERR_JWT_INVALID",
            Self::TooLarge => "ERR_JWT_TOO_LARGE",
            Self::AlgNotAllowed => "ERR_JOSE_ALG_NOT_ALLOWED",
            Self::NotSupported => "ERR_JOSE_NOT_SUPPORTED",
            Self::SignatureInvalid => "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
            Self::Expired { .. } => "ERR_JWT_EXPIRED",
            Self::Claim { .. } => "ERR_JWT_CLAIM_VALIDATION_FAILED",
            Self::NoMatchingKey => "ERR_JWKS_NO_MATCHING_KEY",
            Self::KeyInvalid => "ERR_KEY_INVALID",
            Self::InvalidOptions => "ERR_INVALID_OPTIONS",
        }
    }

    /// A small stable number per kind, used across the wasm boundary (see `src/js/errors.js`).
    #[must_use]
    pub const fn number(&self) -> u32 {
        match self {
            Self::JwsInvalid => 1,
            Self::JwtInvalid => 2,
            Self::TooLarge => 3,
            Self::AlgNotAllowed => 4,
            Self::NotSupported => 5,
            Self::SignatureInvalid => 6,
            Self::Expired { .. } => 7,
            Self::Claim { .. } => 8,
            Self::NoMatchingKey => 9,
            Self::KeyInvalid => 10,
            Self::InvalidOptions => 11,
        }
    }

    /// A static, human-readable message. Never contains input.
    #[must_use]
    pub fn message(&self) -> &'static str {
        match self {
            Self::JwsInvalid => "token is not a valid compact JWS",
            Self::JwtInvalid => "token payload is not a valid JWT claims set",
            Self::TooLarge => "token is larger than allowed",
            Self::AlgNotAllowed => "token algorithm is not allowed",
            Self::NotSupported => "token uses an unsupported JOSE feature",
            Self::SignatureInvalid => "signature verification failed",
            Self::Expired { claim: "iat" } => "token is older than the maximum age",
            Self::Expired { .. } => "token has expired",
            Self::Claim { reason: ClaimReason::Missing, .. } => "a required claim is missing",
            Self::Claim { reason: ClaimReason::Invalid, .. } => "a claim has the wrong type",
            Self::Claim { reason: ClaimReason::CheckFailed, .. } => "a claim check failed",
            Self::NoMatchingKey => "no key matches the token",
            Self::KeyInvalid => "key is invalid",
            Self::InvalidOptions => "options are invalid",
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

/// Every kind with its code, for drift guards (`tests/vectors/error-codes.json`).
#[must_use]
pub fn all_codes() -> [(u32, &'static str); 11] {
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
        ErrorKind::KeyInvalid,
        ErrorKind::InvalidOptions,
    ];
    kinds.map(|k| (k.number(), k.code()))
}
