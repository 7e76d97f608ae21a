//! The public-key signature algorithms (`PublicAlgorithm`) and their allowlist
//! (`PublicAlgorithmSet`): a type apart from the HMAC `Algorithm`, so no HMAC verification can be
//! asked for with a public key, nor a public-key one with a secret.

use crate::protocol::{PkAlgDesc, PK_ALGS};

/// A public-key JWS algorithm (RFC 7518 §3.3–§3.5, RFC 8037, RFC 9864's `Ed25519`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256 (salt 32).
    PS256,
    /// RSASSA-PSS with SHA-384 (salt 48).
    PS384,
    /// RSASSA-PSS with SHA-512 (salt 64).
    PS512,
    /// ECDSA P-256 with SHA-256.
    ES256,
    /// ECDSA P-384 with SHA-384.
    ES384,
    /// EdDSA (RFC 8037), Ed25519 keys only here.
    EdDSA,
    /// Ed25519, RFC 9864's fully specified name of the same scheme.
    Ed25519,
}

/// The key family an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// RSA (any modulus of at least 2048 bits).
    Rsa,
    /// EC P-256.
    P256,
    /// EC P-384.
    P384,
    /// OKP Ed25519.
    Ed25519,
}

impl PublicAlgorithm {
    /// Every algorithm, by wire index (`protocol::PK_ALGS`).
    pub const ALL: [Self; 10] = [
        Self::RS256,
        Self::RS384,
        Self::RS512,
        Self::PS256,
        Self::PS384,
        Self::PS512,
        Self::ES256,
        Self::ES384,
        Self::EdDSA,
        Self::Ed25519,
    ];

    /// The algorithm of an exact `alg` name (case-sensitive), if it is one of these.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Its wire index.
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Its row of `PK_ALGS`.
    #[must_use]
    pub fn wire(self) -> &'static PkAlgDesc {
        // `index` is below 10 by construction; `PK_ALGS` has 10 rows.
        PK_ALGS.get(self.index()).unwrap_or(&PK_ALGS[0])
    }

    /// Its `alg` name.
    #[must_use]
    pub fn name(self) -> &'static str {
        self.wire().name
    }

    pub(crate) const fn family(self) -> Family {
        match self {
            Self::RS256 | Self::RS384 | Self::RS512 | Self::PS256 | Self::PS384 | Self::PS512 => Family::Rsa,
            Self::ES256 => Family::P256,
            Self::ES384 => Family::P384,
            Self::EdDSA | Self::Ed25519 => Family::Ed25519,
        }
    }

    /// Whether a key bound to `self` verifies a token whose header names `token_alg`: the same
    /// algorithm, or the two names of Ed25519 (`EdDSA`, `Ed25519`).
    #[must_use]
    pub fn verifies(self, token_alg: Self) -> bool {
        self == token_alg || (self.family() == Family::Ed25519 && token_alg.family() == Family::Ed25519)
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of allowed public-key algorithms (bit `i` = `PK_ALGS[i]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PublicAlgorithmSet(u16);

impl PublicAlgorithmSet {
    /// The set of wire bits `bits` (bit i = `PK_ALGS[i]`); `None` when empty or a bit is unknown.
    #[must_use]
    pub fn from_bits(bits: u32) -> Option<Self> {
        let bits = u16::try_from(bits).ok()?;
        (bits != 0 && bits < (1 << PublicAlgorithm::ALL.len())).then_some(Self(bits))
    }

    /// Adds an algorithm.
    pub fn insert(&mut self, alg: PublicAlgorithm) {
        self.0 |= alg.bit();
    }

    /// Whether `alg` is allowed.
    #[must_use]
    pub const fn contains(self, alg: PublicAlgorithm) -> bool {
        self.0 & alg.bit() != 0
    }

    /// Whether nothing is allowed.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The allowed algorithms of a key family, in wire order.
    pub(crate) fn of_family(self, family: Family) -> impl Iterator<Item = PublicAlgorithm> {
        PublicAlgorithm::ALL.into_iter().filter(move |a| a.family() == family && self.contains(*a))
    }
}

impl FromIterator<PublicAlgorithm> for PublicAlgorithmSet {
    fn from_iter<I: IntoIterator<Item = PublicAlgorithm>>(iter: I) -> Self {
        let mut s = Self::default();
        for a in iter {
            s.insert(a);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_indices_follow_the_wire_table() {
        for (i, a) in PublicAlgorithm::ALL.into_iter().enumerate() {
            assert_eq!(a.index(), i);
            assert_eq!(PublicAlgorithm::from_name(a.name()), Some(a));
        }
        for bad in ["HS256", "none", "rs256", "ES512", "ES256K", ""] {
            assert_eq!(PublicAlgorithm::from_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_two_ed25519_names_verify_each_other_only() {
        use PublicAlgorithm::*;
        assert!(EdDSA.verifies(Ed25519) && Ed25519.verifies(EdDSA));
        assert!(!RS256.verifies(PS256) && !ES256.verifies(ES384) && !EdDSA.verifies(ES256));
    }

    #[test]
    fn an_empty_or_unknown_mask_is_refused() {
        assert_eq!(PublicAlgorithmSet::from_bits(0), None);
        assert_eq!(PublicAlgorithmSet::from_bits(1 << 10), None);
        let s = PublicAlgorithmSet::from_bits(0b11_0100_0001).unwrap();
        assert!(s.contains(PublicAlgorithm::RS256) && s.contains(PublicAlgorithm::ES256));
        assert!(!s.contains(PublicAlgorithm::PS256));
        assert_eq!(s.of_family(Family::Ed25519).count(), 2);
    }
}
