//! The algorithms: HS256, HS384, HS512 (RFC 7518 §3.2). Nothing else, and never `none`.

#[allow(unused_imports)]
use crate::prelude::*;
/// An HMAC-SHA2 JWS algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
}

impl Algorithm {
    /// All supported algorithms.
    pub const ALL: [Self; 3] = [Self::HS256, Self::HS384, Self::HS512];

    /// Parses the exact, case-sensitive JOSE name. `none`, `HS256 ` or `hs256` give `None`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "HS256" => Some(Self::HS256),
            "HS384" => Some(Self::HS384),
            "HS512" => Some(Self::HS512),
            _ => None,
        }
    }

    /// The JOSE name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::HS256 => "HS256",
            Self::HS384 => "HS384",
            Self::HS512 => "HS512",
        }
    }

    /// The digest (and signature) length in bytes; also the minimum key length.
    #[must_use]
    pub const fn digest_len(self) -> usize {
        match self {
            Self::HS256 => 32,
            Self::HS384 => 48,
            Self::HS512 => 64,
        }
    }

    /// A bit for algorithm sets.
    #[must_use]
    pub(crate) const fn bit(self) -> u8 {
        match self {
            Self::HS256 => 1,
            Self::HS384 => 2,
            Self::HS512 => 4,
        }
    }
}

/// A set of algorithms (the `algorithms` option).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlgorithmSet(u8);

impl AlgorithmSet {
    /// The empty set.
    #[must_use]
    pub const fn empty() -> Self {
        Self(0)
    }

    /// Adds one algorithm.
    pub fn insert(&mut self, alg: Algorithm) {
        self.0 |= alg.bit();
    }

    /// Whether `alg` is in the set.
    #[must_use]
    pub const fn contains(self, alg: Algorithm) -> bool {
        self.0 & alg.bit() != 0
    }

    /// Whether the set is empty.
    #[must_use]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Algorithm> for AlgorithmSet {
    fn from_iter<I: IntoIterator<Item = Algorithm>>(iter: I) -> Self {
        let mut set = Self::empty();
        for a in iter {
            set.insert(a);
        }
        set
    }
}
