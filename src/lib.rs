//! # jwt-wasm
//!
//! One strict JWT core (HS256, HS384, HS512) for the browser, Node and Cloudflare Workers:
//! this crate is compiled to WebAssembly and wrapped by a small JavaScript layer, and is also
//! an ordinary Rust library.
//!
//! The core has no clock and no I/O: `now` is always a parameter. Checks run in a fixed order
//! (size → three segments → strict base64url → header → algorithm allowlist and key →
//! constant-time MAC → typed claims → policy), so time is judged only after the signature
//! verified and "expired" never describes a forgery. No input can make it panic.
//!
//! ```
//! use jwt_wasm::{Algorithm, HmacKey, KeyRing, Signer, Validation, Verifier};
//!
//! let secret = b"a shared secret of at least thirty-two bytes!";
//! let key = HmacKey::new(Some("2026-11"), Algorithm::HS256, secret)?;
//! let token = Signer::new(key.clone()).sign(r#"{"sub":"u1","exp":2000000000}"#, None)?;
//!
//! let mut policy = Validation::new([Algorithm::HS256].into_iter().collect())?;
//! policy.subject = Some("u1".into());
//! let verifier = Verifier::new(KeyRing::new(vec![key])?, policy)?;
//! let verified = verifier.verify(&token, 1_900_000_000.0)?;
//! assert!(verified.payload_json.contains("\"u1\""));
//!
//! let err = verifier.verify(&token, 2_000_000_000.0).unwrap_err();
//! assert_eq!(err.code(), "ERR_JWT_EXPIRED");
//! # Ok::<(), jwt_wasm::Error>(())
//! ```
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::cast_possible_truncation
    )
)]

extern crate alloc;

/// What `std`'s prelude would give, for the `no_std` wasm build.
mod prelude {
    pub use alloc::borrow::{Cow, ToOwned};
    pub use alloc::boxed::Box;
    pub use alloc::string::String;
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

// The operations: verify (the fixed order of checks), sign, and read without verifying.
// Under `hmac` (Cargo features, one wasm artifact each): the operations and steps that need a key.
mod decode;
mod inspect;
#[cfg(feature = "hmac")]
mod sign;
#[cfg(feature = "hmac")]
mod verify;
// Under `keys`: public keys (JWK, JWKS, certificates) and the verify whose signature the runtime checks.
#[cfg(feature = "keys")]
mod jwk;
// Under `jwe`: token encryption, JWE compact (its own directory, one job a file).
#[cfg(feature = "jwe")]
mod jwe;

// The steps they share, in the order of checks: segments (size, three parts, base64url via b64),
// header, algorithm and key, claims (typed through the JSON reader), policy.
mod alg;
mod b64;
mod claims;
mod dot;
mod header;
#[cfg(feature = "hmac")]
mod key;
#[cfg(feature = "hmac")]
mod key_format;
mod segments;
// Work parked between the halves of an operation the runtime finishes asynchronously.
#[cfg(any(feature = "keys-tickets", feature = "jwe"))]
// Used by the wasm boundary's ticket ops (`keys-tickets`: src/wasm/keys.rs; `jwe-ticket`:
// src/wasm/jwe/ticket.rs): dead code in a native build and in a wasm build without them.
#[cfg_attr(
    not(all(target_arch = "wasm32", any(feature = "keys-tickets", feature = "jwe-ticket"))),
    allow(dead_code)
)]
mod pending;
mod validation;

// Errors, with their stable codes.
mod error;

// The strict JSON reader and its string writer, public only for the fuzz targets (tests/fuzz/).
#[doc(hidden)]
pub mod json;

/// The private codecs, public only for the coverage-guided fuzz targets (tests/fuzz/); not a public API.
#[doc(hidden)]
pub mod __fuzz {
    pub use crate::b64::{
        decode_into as b64_decode_into, decode_wide as b64_decode_wide, encode_into as b64_encode_into,
    };
    #[cfg(feature = "jwe")]
    pub use crate::jwe::primitives::*;
}

// The wasm boundary (`Core`) and its wire protocol, declared once; the protocol is public for its
// generator (`examples/protocol.rs`) and the browser tests, neither is a public API.
#[doc(hidden)]
pub mod protocol;
// Every artifact has at least `claims` (a build without it has no boundary).
#[cfg(all(target_arch = "wasm32", not(feature = "claims")))]
compile_error!("a wasm artifact needs a capability: --features claims (or hmac, which implies it)");
#[cfg(all(target_arch = "wasm32", feature = "claims"))]
mod wasm;
// Test-only traps on demand (`make pkg-trap`); never in the shipped build.
#[cfg(all(feature = "test-trap", feature = "claims", target_arch = "wasm32"))]
mod trap;

pub use alg::{Algorithm, AlgorithmSet};
pub use claims::{Audience, Claims};
#[cfg(feature = "jwe")]
pub use error::JweRefusal;
#[cfg(feature = "keys")]
pub use error::JwkProblem;
pub use error::{all_codes, ClaimReason, Error, ErrorKind, KeyProblem, Result};
pub use header::Header;
#[cfg(feature = "jwe")]
pub use jwe::{
    ContentEncryption, Decrypted, Decrypter, EncSet, Encrypter, JweHeader, JweKey, JweKeyRing, KeyManagement,
    KeyManagementSet, Sealed,
};
#[cfg(feature = "keys")]
pub use jwk::{
    cert_jwk, read_jwk, read_jwks, Begun, KeySetRead, PublicAlgorithm, PublicAlgorithmSet, PublicKey,
    PublicVerifier, Read, MAX_KID_BYTES,
};
#[cfg(feature = "hmac")]
pub use key::{HmacKey, KeyRing};
pub use segments::{Buffers, Limits};
#[cfg(feature = "hmac")]
pub use sign::Signer;
#[allow(deprecated)]
pub use validation::MAX_HEADER_BYTES;
pub use validation::{media_type_eq, Validation, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_TOKEN_BYTES};
#[cfg(feature = "hmac")]
pub use verify::{Verified, Verifier};
/// The internal wasm boundary used by the JavaScript layer and the browser tests; not a public API.
#[cfg(all(target_arch = "wasm32", feature = "claims"))]
pub use wasm::{caps, Core};

/// Functions that read tokens **without verifying them**. Nothing they return can be trusted:
/// the `alg`, the `kid` and every claim are attacker-controlled until a [`Verifier`] has
/// checked the signature.
pub mod dangerous {
    pub use crate::decode::{decode_unverified, Unverified};
    pub use crate::inspect::{inspect, Inspection, DEFAULT_MAX_LIFETIME};
    #[doc(inline)]
    pub use crate::protocol::warn;
}
