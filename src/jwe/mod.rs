//! Token encryption, JWE Compact Serialization (RFC 7516), strict: the map of the JWE core
//! (feature `jwe`). Key management `dir`, `A128KW`, `A256KW`; content encryption `A128GCM`,
//! `A256GCM`, `A128CBC-HS256`, `A256CBC-HS512`; everything else refused with a typed error.
//! The core draws no randomness: the CEK and IV of an encryption come from the caller.
//!
//! One job a file: `alg.rs` the algorithms and their allowlists, `compact.rs` the size caps and
//! the five segments, `header.rs` the strict protected header, `key.rs` the keys and their ring,
//! `content.rs` the content encryption (AES-GCM, AES-CBC-HMAC-SHA2), `wrap.rs` AES Key Wrap,
//! `decrypt.rs` and `encrypt.rs` one operation each; `kept.rs` (feature `jwe-ticket`) the last
//! protected header read, taken again for the very same segment.

mod alg;
mod compact;
mod content;
mod decrypt;
mod encrypt;
mod header;
#[cfg(feature = "jwe-ticket")]
// Used by the wasm boundary's park (src/wasm/jwe/ticket.rs): dead code in a native build.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod kept;
mod key;
mod wrap;

pub use alg::{ContentEncryption, EncSet, KeyManagement, KeyManagementSet};
pub use decrypt::{Decrypted, Decrypter, Sealed};
pub use encrypt::Encrypter;
pub use header::JweHeader;
#[cfg(all(feature = "jwe-ticket", target_arch = "wasm32"))]
pub(crate) use kept::Kept;
pub use key::{JweKey, JweKeyRing};

/// The primitives under the JWE operations, for the Wycheproof suites and the fuzz targets
/// (re-exported by `crate::__fuzz`); not a public API.
pub(crate) mod primitives {
    pub use super::content::{decrypt as content_decrypt, encrypt as content_encrypt};
    pub use super::wrap::{unwrap as key_unwrap, wrap as key_wrap};
}
