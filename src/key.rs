//! HMAC keys, each bound to exactly one algorithm (RFC 8725 §3.1) and optionally to the issuer
//! it speaks for, pre-keyed once; and the ring that holds them.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

#[cfg(feature = "native-mac")]
use ctutils::CtEq;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::alg::Algorithm;
use crate::error::{ErrorKind, KeyProblem, Result};
use crate::key_format::key_format;

#[derive(Clone)]
enum State {
    S256(Hmac<Sha256>),
    S384(Hmac<Sha384>),
    S512(Hmac<Sha512>),
}

/// An HMAC secret bound to one algorithm, with an optional key id.
///
/// The HMAC state is keyed once when the key is built; each verification clones it.
/// `Debug` never prints the secret.
#[derive(Clone)]
pub struct HmacKey {
    kid: Option<String>,
    alg: Algorithm,
    state: State,
    /// SHA-256 of the secret less its trailing zero bytes, only to find one secret under two
    /// algorithms in a ring.
    fingerprint: [u8; 32],
    issuer: Option<String>,
}

impl HmacKey {
    /// Builds a key. Refuses with `ERR_KEY_INVALID` ([`KeyProblem`] says why) a secret in a
    /// public-key format (a PEM block, an OpenSSH public key, a JWK, a DER public key or
    /// certificate: the RS256 → HS256 confusion), and an empty secret or one shorter than the
    /// hash output (32, 48 or 64 bytes for HS256, HS384, HS512: RFC 7518 §3.2).
    pub fn new(kid: Option<&str>, alg: Algorithm, secret: &[u8]) -> Result<Self> {
        if let Some(problem) = key_format(secret) {
            return Err(ErrorKind::KeyInvalid(problem).into());
        }
        if secret.is_empty() || secret.len() < alg.digest_len() {
            return Err(ErrorKind::KeyInvalid(KeyProblem::Short).into());
        }
        let bad = |_| ErrorKind::KeyInvalid(KeyProblem::Short);
        let state = match alg {
            Algorithm::HS256 => State::S256(Hmac::new_from_slice(secret).map_err(bad)?),
            Algorithm::HS384 => State::S384(Hmac::new_from_slice(secret).map_err(bad)?),
            Algorithm::HS512 => State::S512(Hmac::new_from_slice(secret).map_err(bad)?),
        };
        // HMAC pads a key with zero bytes to its block, so `s` and `s` followed by zeros are one
        // key: the fingerprint ignores trailing zeros.
        let end = secret.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        let fingerprint = Sha256::digest(secret.get(..end).unwrap_or(secret)).into();
        Ok(Self { kid: kid.map(str::to_owned), alg, state, fingerprint, issuer: None })
    }

    /// Binds the key to the issuer it speaks for: a token this key verifies must carry exactly
    /// this `iss` (else `ERR_JWT_CLAIM_VALIDATION_FAILED` on `iss`), whatever the issuer
    /// allowlist says. An empty issuer is refused (`ERR_INVALID_OPTIONS`).
    pub fn with_issuer(mut self, issuer: &str) -> Result<Self> {
        if issuer.is_empty() {
            return Err(ErrorKind::InvalidOptions.into());
        }
        self.issuer = Some(issuer.to_owned());
        Ok(self)
    }

    /// The issuer this key speaks for, if it is bound to one.
    #[must_use]
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The key id, if any.
    #[must_use]
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The one algorithm this key is used with.
    #[must_use]
    pub fn alg(&self) -> Algorithm {
        self.alg
    }

    /// Checks `tag` over `parts` in constant time. The tag length must equal the digest length.
    #[must_use]
    pub fn verify(&self, parts: &[&[u8]], tag: &[u8]) -> bool {
        if tag.len() != self.alg.digest_len() {
            return false;
        }
        fn check<M: Mac + Clone>(m: &M, parts: &[&[u8]], tag: &[u8]) -> bool {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            m.verify_slice(tag).is_ok()
        }
        match &self.state {
            State::S256(m) => check(m, parts, tag),
            State::S384(m) => check(m, parts, tag),
            State::S512(m) => check(m, parts, tag),
        }
    }

    /// Checks `tag` against `mac`, a MAC of the signing input computed outside the core (a
    /// runtime's native HMAC with this key), in constant time: both must be the digest length.
    #[must_use]
    #[cfg(feature = "native-mac")]
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // natively, only its test
    pub(crate) fn matches(&self, mac: &[u8], tag: &[u8]) -> bool {
        let n = self.alg.digest_len();
        mac.len() == n && tag.len() == n && bool::from(mac.ct_eq(tag))
    }

    /// Computes the tag over `parts`.
    #[must_use]
    pub fn sign(&self, parts: &[&[u8]]) -> Vec<u8> {
        fn tag<M: Mac + Clone>(m: &M, parts: &[&[u8]]) -> Vec<u8> {
            let mut m = m.clone();
            for p in parts {
                m.update(p);
            }
            m.finalize().into_bytes().to_vec()
        }
        match &self.state {
            State::S256(m) => tag(m, parts),
            State::S384(m) => tag(m, parts),
            State::S512(m) => tag(m, parts),
        }
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacKey(")?;
        f.write_str(self.alg.name())?;
        f.write_str(", secret redacted)")
    }
}

/// A set of keys. Each entry is `{ kid?, alg, secret }`; see [`KeyRing::select`] for the rules.
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    keys: Vec<HmacKey>,
}

impl KeyRing {
    /// Builds a ring. Refused with `ERR_KEY_INVALID`: two keys with the same `alg` and the same
    /// `kid` (or both without one), ambiguous; and one secret under two algorithms, which
    /// RFC 8725 §3.1 forbids.
    pub fn new(keys: Vec<HmacKey>) -> Result<Self> {
        for (i, a) in keys.iter().enumerate() {
            for b in keys.iter().skip(i + 1) {
                let problem = if a.alg == b.alg && a.kid == b.kid {
                    KeyProblem::Ambiguous
                } else if a.alg != b.alg && a.fingerprint == b.fingerprint {
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
    pub fn keys(&self) -> &[HmacKey] {
        &self.keys
    }

    /// Chooses the key for a header's `alg` and `kid`, among the keys of that algorithm:
    /// a `kid` picks the key with exactly that kid, else the single key without a kid;
    /// no `kid` needs exactly one candidate. The `kid` is only ever compared, never interpreted.
    #[must_use]
    pub fn select(&self, alg: Algorithm, kid: Option<&str>) -> Option<&HmacKey> {
        let mut candidates = self.keys.iter().filter(|k| k.alg == alg);
        match kid {
            Some(kid) => {
                if let Some(k) = self.keys.iter().find(|k| k.alg == alg && k.kid.as_deref() == Some(kid)) {
                    return Some(k);
                }
                let mut unnamed = self.keys.iter().filter(|k| k.alg == alg && k.kid.is_none());
                match (unnamed.next(), unnamed.next()) {
                    (Some(k), None) => Some(k),
                    _ => None,
                }
            }
            None => match (candidates.next(), candidates.next()) {
                (Some(k), None) => Some(k),
                _ => None,
            },
        }
    }
}

#[cfg(all(test, feature = "native-mac"))]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// The native path's step 5 (`matches`, a MAC computed outside the core) agrees with the
    /// core's own (`verify`) on every Wycheproof HMAC vector whose key the core accepts: full,
    /// truncated and wrong tags (tests/vectors/wycheproof/, Apache-2.0).
    #[test]
    fn matches_agrees_with_verify_on_wycheproof_hmac() {
        for (file, alg) in [
            ("hmac_sha256_test.json", Algorithm::HS256),
            ("hmac_sha384_test.json", Algorithm::HS384),
            ("hmac_sha512_test.json", Algorithm::HS512),
        ] {
            let path =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/wycheproof").join(file);
            let doc: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let (mut ran, mut verified) = (0, 0);
            for t in doc["testGroups"].as_array().unwrap().iter().flat_map(|g| g["tests"].as_array().unwrap())
            {
                let Ok(k) = HmacKey::new(None, alg, &hex(t["key"].as_str().unwrap())) else { continue };
                let (msg, tag) = (hex(t["msg"].as_str().unwrap()), hex(t["tag"].as_str().unwrap()));
                let native = k.sign(&[&msg]); // stands for the runtime's MAC: same bytes
                assert_eq!(k.matches(&native, &tag), k.verify(&[&msg], &tag), "{file} tcId {}", t["tcId"]);
                assert!(!k.matches(&native[..native.len() - 1], &native[..native.len() - 1]), "a short MAC");
                ran += 1;
                verified += usize::from(k.matches(&native, &tag));
            }
            assert_eq!((ran, verified), (168, 30), "{file}");
        }
    }
}
