//! The JWE algorithms in scope (RFC 7518 §4.1, §4.4, §4.6 `dir`; §5.2, §5.3), by their wire
//! index (`protocol::JWE_ALGS`, `protocol::JWE_ENCS`), and the allowlists of each.

use crate::error::{ErrorKind, JweRefusal, Result};
use crate::protocol::{JweEncDesc, JWE_ALGS, JWE_ENCS};

/// A key-management algorithm (`alg` of a JWE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyManagement {
    /// The key is the content encryption key (RFC 7518 §4.5).
    Dir,
    /// AES Key Wrap with a 128-bit key (RFC 3394, RFC 7518 §4.4).
    A128Kw,
    /// AES Key Wrap with a 256-bit key.
    A256Kw,
}

impl KeyManagement {
    /// Every one, in wire order.
    pub const ALL: [Self; 3] = [Self::Dir, Self::A128Kw, Self::A256Kw];

    /// The wire index (`protocol::JWE_ALGS`).
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The `alg` name.
    #[must_use]
    pub fn name(self) -> &'static str {
        JWE_ALGS.get(self.index()).map_or("", |d| d.name)
    }

    /// The key-encryption key's exact length (0 for `dir`: the key is a CEK).
    #[must_use]
    pub fn key_bytes(self) -> usize {
        JWE_ALGS.get(self.index()).map_or(0, |d| d.key_bytes)
    }

    /// The algorithm of a wire index.
    #[must_use]
    pub fn from_index(i: usize) -> Option<Self> {
        Self::ALL.get(i).copied()
    }

    /// Reads a header's `alg`: in scope, or the refusal that names the family (PBES2,
    /// ECDH-ES, RSA) or just "not supported".
    pub fn from_name(name: &str) -> core::result::Result<Self, JweRefusal> {
        if let Some(a) = Self::ALL.into_iter().find(|a| a.name() == name) {
            return Ok(a);
        }
        Err(if name.starts_with("PBES2") {
            JweRefusal::Pbes2
        } else if name.starts_with("ECDH-ES") {
            JweRefusal::Ecdh
        } else if name.starts_with("RSA") {
            JweRefusal::Rsa
        } else {
            JweRefusal::Alg
        })
    }
}

/// A content encryption (`enc` of a JWE).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentEncryption {
    /// AES-GCM, 128-bit key (RFC 7518 §5.3).
    A128Gcm,
    /// AES-GCM, 256-bit key.
    A256Gcm,
    /// AES-128-CBC with HMAC-SHA-256 truncated to 128 bits (RFC 7518 §5.2.3).
    A128CbcHs256,
    /// AES-256-CBC with HMAC-SHA-512 truncated to 256 bits (RFC 7518 §5.2.5).
    A256CbcHs512,
}

impl ContentEncryption {
    /// Every one, in wire order.
    pub const ALL: [Self; 4] = [Self::A128Gcm, Self::A256Gcm, Self::A128CbcHs256, Self::A256CbcHs512];

    /// The wire index (`protocol::JWE_ENCS`).
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The lengths and name (`protocol::JWE_ENCS`).
    #[must_use]
    pub fn desc(self) -> JweEncDesc {
        JWE_ENCS.get(self.index()).copied().unwrap_or(JweEncDesc {
            name: "",
            cek_bytes: 0,
            iv_bytes: 0,
            tag_bytes: 0,
        })
    }

    /// The `enc` name.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.desc().name
    }

    /// The encryption of a wire index.
    #[must_use]
    pub fn from_index(i: usize) -> Option<Self> {
        Self::ALL.get(i).copied()
    }

    /// Reads a header's `enc`.
    pub fn from_name(name: &str) -> core::result::Result<Self, JweRefusal> {
        Self::ALL.into_iter().find(|e| e.name() == name).ok_or(JweRefusal::Enc)
    }
}

/// Declares an allowlist of one of the two kinds: a bit set by wire index, never empty.
macro_rules! allowlist {
    ($(#[$doc:meta])* $set:ident of $alg:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $set(u8);

        impl $set {
            /// The set of these; an empty list is `ERR_INVALID_OPTIONS` (never "all").
            pub fn new(items: &[$alg]) -> Result<Self> {
                let bits = items.iter().fold(0u8, |b, a| b | (1 << a.index()));
                Self::from_bits(bits)
            }

            /// The set of the wire mask (bit i: index i); empty or unknown bits are refused.
            pub fn from_bits(bits: u8) -> Result<Self> {
                let known = (1u8 << $alg::ALL.len()) - 1;
                if bits == 0 || bits & !known != 0 {
                    return Err(ErrorKind::InvalidOptions.into());
                }
                Ok(Self(bits))
            }

            /// Whether it holds `a`.
            #[must_use]
            pub fn contains(self, a: $alg) -> bool {
                self.0 & (1 << a.index()) != 0
            }
        }
    };
}

allowlist!(
    /// The allowed key-management algorithms of a [`Decrypter`](super::Decrypter).
    KeyManagementSet of KeyManagement
);
allowlist!(
    /// The allowed content encryptions of a [`Decrypter`](super::Decrypter).
    EncSet of ContentEncryption
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_families() {
        assert_eq!(KeyManagement::from_name("A256KW"), Ok(KeyManagement::A256Kw));
        assert_eq!(KeyManagement::from_name("PBES2-HS256+A128KW"), Err(JweRefusal::Pbes2));
        assert_eq!(KeyManagement::from_name("ECDH-ES+A128KW"), Err(JweRefusal::Ecdh));
        assert_eq!(KeyManagement::from_name("RSA-OAEP-256"), Err(JweRefusal::Rsa));
        assert_eq!(KeyManagement::from_name("A192KW"), Err(JweRefusal::Alg));
        assert_eq!(KeyManagement::from_name("a256kw"), Err(JweRefusal::Alg));
        assert_eq!(ContentEncryption::from_name("A192GCM"), Err(JweRefusal::Enc));
        for e in ContentEncryption::ALL {
            assert_eq!(ContentEncryption::from_name(e.name()), Ok(e));
        }
    }

    #[test]
    fn an_empty_allowlist_is_an_error_never_all() {
        assert_eq!(EncSet::new(&[]).unwrap_err().code(), "ERR_INVALID_OPTIONS");
        assert_eq!(KeyManagementSet::from_bits(0).unwrap_err().code(), "ERR_INVALID_OPTIONS");
        assert_eq!(KeyManagementSet::from_bits(8).unwrap_err().code(), "ERR_INVALID_OPTIONS");
        let s = KeyManagementSet::new(&[KeyManagement::A128Kw]).unwrap();
        assert!(s.contains(KeyManagement::A128Kw) && !s.contains(KeyManagement::Dir));
    }
}
