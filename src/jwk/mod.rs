//! Public keys (feature `keys`): everything of a public-key verification but its arithmetic,
//! which the runtime does (WebCrypto). One job a file: `alg.rs` (`PublicAlgorithm` and its
//! allowlist), `key.rs` (`PublicKey`: one algorithm, kid, checked material; its minimal JWK;
//! the signature's form), `rsa.rs`, `ec.rs`, `okp.rs` (each family's key and signature checks,
//! byte comparisons with constants), `read.rs` (one strict JWK), `set.rs` (a JWKS, duplicate
//! kids), `verify.rs` (`PublicVerifier`: the two phases), `der.rs` and `cert.rs` (an X.509
//! certificate's SubjectPublicKeyInfo to a JWK).

mod alg;
mod cert;
mod der;
mod ec;
mod key;
mod okp;
mod read;
mod rsa;
mod set;
mod verify;

pub use alg::{PublicAlgorithm, PublicAlgorithmSet};
pub use cert::cert_jwk;
pub use key::PublicKey;
pub use read::{read_jwk, Read, MAX_KID_BYTES};
pub use set::{read_jwks, KeySetRead};
pub use verify::{Begun, PublicVerifier};

#[cfg(target_arch = "wasm32")]
pub(crate) use set::has_duplicate_kid;
