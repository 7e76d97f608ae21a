//! The checks behind the coverage-guided fuzz targets (tests/fuzz/fuzz_targets/, one per function
//! here). Each takes libFuzzer's bytes and asserts properties beyond "no panic"; a failed
//! assertion is a crash libFuzzer reports. tests/fuzz_replay.rs includes these same files, so
//! `cargo test` replays the kept corpus (tests/fuzz/corpus/) and every past crash through them.
//!
//! Input formats (tests/fuzz/seeds.py writes seeds in them from tests/vectors):
//! - `verify`: byte 0 even: the rest is a token. Byte 0 odd: byte 1 picks a signing key (and
//!   may corrupt the tag), the rest is `header JSON 0x00 payload JSON`, signed by the harness.
//! - `json`, `base64url`, `decode_unverified`, `inspect`: the bytes themselves.
//! - `jwe`: byte 0 even: the rest is a JWE. Byte 0 odd: byte 1 picks the key and enc, byte 2 a
//!   bit to flip, the rest is the plaintext (encrypted by the harness).
//! - `jwk_read`: byte 0 even: one JWK, odd: a JWKS; bytes 1-2 the public-key allowlist bits
//!   (little-endian); the rest the JSON text. `pk_verify`: a token, against a fixed key set.
//!   `cert_key`: a certificate's text (PEM or base64 DER).
//! - `sign_verify`: byte 0 algorithm, byte 1 kid and typ, byte 2 secret length beyond the
//!   minimum, then the secret, then the claims JSON.

mod codec;
mod jwe;
mod keys;
mod oracle;
mod sign;
mod token;
mod world;

pub use codec::{base64url, json};
pub use jwe::jwe_decrypt;
pub use keys::{cert_key, jwk_read, pk_verify};
pub use sign::sign_verify;
pub use token::{decode_unverified, inspect, verify};
