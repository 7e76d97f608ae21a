//! JWE keys: each bound to exactly one key-management algorithm (and, for `dir`, exactly one
//! content encryption), of exactly the length that algorithm needs, with an optional `kid`;
//! and the ring a decrypter chooses from by exact `kid`, as the JWS `KeyRing` does.

use core::fmt;

use super::alg::{ContentEncryption, KeyManagement};
use crate::error::{ErrorKind, JweRefusal, KeyProblem, Result};
#[allow(unused_imports)]
use crate::prelude::*;

/// A symmetric JWE key. `Debug` never shows the key bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct JweKey {
    kid: Option<String>,
    alg: KeyManagement,
    enc: Option<ContentEncryption>,
    bytes: Vec<u8>,
}

impl JweKey {
    /// A key for `alg`; `enc` is required for `dir` (its one content encryption; the key is the
    /// CEK) and refused otherwise (`ERR_INVALID_OPTIONS`). A length other than the algorithm's
    /// (A128KW 16, A256KW 32 bytes; dir the CEK length of its enc) is `ERR_KEY_INVALID`.
    pub fn new(
        kid: Option<&str>,
        alg: KeyManagement,
        enc: Option<ContentEncryption>,
        key: &[u8],
    ) -> Result<Self> {
        let want = match (alg, enc) {
            (KeyManagement::Dir, Some(e)) => e.desc().cek_bytes,
            (KeyManagement::A128Kw | KeyManagement::A256Kw, None) => alg.key_bytes(),
            _ => return Err(ErrorKind::InvalidOptions.into()),
        };
        if key.len() != want {
            return Err(ErrorKind::JweRefused(JweRefusal::KeyLength).into());
        }
        Ok(Self { kid: kid.map(str::to_owned), alg, enc, bytes: key.to_vec() })
    }

    /// The `kid`, if any.
    #[must_use]
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The key-management algorithm.
    #[must_use]
    pub fn alg(&self) -> KeyManagement {
        self.alg
    }

    /// For `dir`, its content encryption.
    #[must_use]
    pub fn enc(&self) -> Option<ContentEncryption> {
        self.enc
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for JweKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JweKey(")?;
        f.write_str(self.alg.name())?;
        if let Some(e) = self.enc {
            f.write_str(", ")?;
            f.write_str(e.name())?;
        }
        f.write_str(", key redacted)")
    }
}

/// The decryption keys. Refused with `ERR_KEY_INVALID`: two keys of one algorithm with the same
/// `kid` (or both without one), and the same bytes under two algorithms (RFC 8725 §3.1).
#[derive(Debug, Clone, Default)]
pub struct JweKeyRing {
    keys: Vec<JweKey>,
}

impl JweKeyRing {
    /// Builds a ring (may be empty: every token then has no matching key).
    pub fn new(keys: Vec<JweKey>) -> Result<Self> {
        for (i, a) in keys.iter().enumerate() {
            for b in keys.iter().skip(i + 1) {
                let same_alg = a.alg == b.alg && a.enc == b.enc;
                let problem = if same_alg && a.kid == b.kid {
                    KeyProblem::Ambiguous
                } else if !same_alg && a.bytes == b.bytes {
                    KeyProblem::TwoAlgorithms
                } else {
                    continue;
                };
                return Err(ErrorKind::KeyInvalid(problem).into());
            }
        }
        Ok(Self { keys })
    }

    /// The keys.
    #[must_use]
    pub fn keys(&self) -> &[JweKey] {
        &self.keys
    }

    /// The key for a header's `alg`, `enc` and `kid`, among the keys of that algorithm (for
    /// `dir`, of that enc too): a `kid` picks the key with exactly that kid, else the single key
    /// without a kid; no `kid` needs exactly one candidate.
    #[must_use]
    pub fn select(&self, alg: KeyManagement, enc: ContentEncryption, kid: Option<&str>) -> Option<&JweKey> {
        let fits = |k: &&JweKey| k.alg == alg && (alg != KeyManagement::Dir || k.enc == Some(enc));
        if let Some(kid) = kid {
            if let Some(k) = self.keys.iter().filter(fits).find(|k| k.kid.as_deref() == Some(kid)) {
                return Some(k);
            }
        }
        let mut candidates = self.keys.iter().filter(fits).filter(|k| kid.is_none() || k.kid.is_none());
        match (candidates.next(), candidates.next()) {
            (Some(k), None) => Some(k),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContentEncryption as E;
    use KeyManagement as A;

    #[test]
    fn exactly_the_length_of_the_algorithm() {
        assert!(JweKey::new(None, A::A128Kw, None, &[1; 16]).is_ok());
        assert!(JweKey::new(None, A::A256Kw, None, &[1; 32]).is_ok());
        assert!(JweKey::new(None, A::Dir, Some(E::A256CbcHs512), &[1; 64]).is_ok());
        for (alg, enc, len) in [
            (A::A128Kw, None, 32),
            (A::A256Kw, None, 16),
            (A::A256Kw, None, 33),
            (A::Dir, Some(E::A128Gcm), 32),
            (A::Dir, Some(E::A128CbcHs256), 16),
            (A::Dir, Some(E::A256Gcm), 0),
        ] {
            let e = JweKey::new(None, alg, enc, &vec![1; len]).unwrap_err();
            assert_eq!(
                (e.code(), e.jwe_refusal()),
                ("ERR_KEY_INVALID", Some(JweRefusal::KeyLength)),
                "{alg:?} {len}"
            );
        }
    }

    #[test]
    fn dir_needs_one_enc_and_a_wrapping_key_none() {
        assert_eq!(JweKey::new(None, A::Dir, None, &[1; 16]).unwrap_err().code(), "ERR_INVALID_OPTIONS");
        assert_eq!(
            JweKey::new(None, A::A128Kw, Some(E::A128Gcm), &[1; 16]).unwrap_err().code(),
            "ERR_INVALID_OPTIONS"
        );
    }

    #[test]
    fn debug_redacts_the_key() {
        let k = JweKey::new(Some("k"), A::A128Kw, None, b"SECRET_SECRET_16").unwrap();
        assert!(!format!("{k:?}").contains("SECRET"));
    }

    #[test]
    fn the_ring_refuses_ambiguity_and_one_key_under_two_algorithms() {
        let kw = |kid: Option<&str>, b: u8| JweKey::new(kid, A::A128Kw, None, &[b; 16]).unwrap();
        let e = JweKeyRing::new(vec![kw(None, 1), kw(None, 2)]).unwrap_err();
        assert_eq!(e.key_problem(), Some(KeyProblem::Ambiguous));
        let dir = JweKey::new(None, A::Dir, Some(E::A128Gcm), &[1; 16]).unwrap();
        let e = JweKeyRing::new(vec![kw(Some("a"), 1), dir]).unwrap_err();
        assert_eq!(e.key_problem(), Some(KeyProblem::TwoAlgorithms));
        let ring = JweKeyRing::new(vec![kw(Some("a"), 1), kw(Some("b"), 2)]).unwrap();
        assert_eq!(ring.select(A::A128Kw, E::A128Gcm, Some("b")).unwrap().bytes(), &[2; 16]);
        assert!(ring.select(A::A128Kw, E::A128Gcm, Some("c")).is_none());
        assert!(ring.select(A::A128Kw, E::A128Gcm, None).is_none(), "two candidates, no kid");
        assert!(ring.select(A::A256Kw, E::A128Gcm, Some("a")).is_none(), "never another algorithm's key");
    }

    #[test]
    fn a_dir_key_serves_only_its_enc() {
        let ring =
            JweKeyRing::new(vec![JweKey::new(None, A::Dir, Some(E::A256Gcm), &[1; 32]).unwrap()]).unwrap();
        assert!(ring.select(A::Dir, E::A256Gcm, None).is_some());
        assert!(ring.select(A::Dir, E::A128CbcHs256, None).is_none(), "same length, other enc");
    }
}
