//! EC P-256 and P-384: the field primes and group orders as big-endian constants, the check of a
//! public key's coordinates (exactly the field size, below the prime p) and of an ECDSA
//! signature's form (r‖s of exactly twice the field size, 0 < r, s < n: the "psychic signature"
//! class, CVE-2022-21449). Byte comparisons of fixed-length big-endian integers, no arithmetic:
//! whether the point is on the curve is checked by the runtime's key import (WebCrypto
//! `importKey` refuses a point off the curve), the one place that has curve arithmetic.

use super::alg::Family;

/// The P-256 field prime p (SEC 2 §2.4.2, FIPS 186-4 D.1.2.3).
const P256_P: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];
/// The P-256 group order n.
const P256_N: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc,
    0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// The P-384 field prime p (SEC 2 §2.5.1, FIPS 186-4 D.1.2.4).
const P384_P: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff,
    0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
];
/// The P-384 group order n.
const P384_N: [u8; 48] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf, 0x58, 0x1a,
    0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
];

/// A curve of ours: its field size in bytes, its prime p and group order n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Curve {
    /// The JWK `crv` name.
    pub name: &'static str,
    /// The field size in bytes (a coordinate's, and each of r and s).
    pub bytes: usize,
    p: &'static [u8],
    n: &'static [u8],
}

/// P-256.
pub(crate) const P256: Curve = Curve { name: "P-256", bytes: 32, p: &P256_P, n: &P256_N };
/// P-384.
pub(crate) const P384: Curve = Curve { name: "P-384", bytes: 48, p: &P384_P, n: &P384_N };

impl Curve {
    /// The curve of a JWK `crv` we verify (`None`: another curve, skipped).
    pub(crate) fn from_crv(crv: &str) -> Option<Self> {
        [P256, P384].into_iter().find(|c| c.name == crv)
    }

    /// The key family of this curve.
    pub(crate) fn family(self) -> Family {
        if self.bytes == P256.bytes {
            Family::P256
        } else {
            Family::P384
        }
    }

    /// A public key coordinate: exactly the field size, and below p (RFC 7518 §6.2.1.2; SEC 1
    /// §3.2.2.1 step 2). Big-endian integers of equal length compare as byte strings.
    pub(crate) fn coordinate_ok(self, c: &[u8]) -> bool {
        c.len() == self.bytes && c < self.p
    }

    /// An ECDSA signature r‖s (RFC 7518 §3.4): exactly twice the field size, and each of r and s
    /// in 1..n-1 (SEC 1 §4.1.4 step 1). A zero r or s verifies any message in a verifier that
    /// forgets this (CVE-2022-21449), so the runtime never sees one.
    pub(crate) fn signature_ok(self, sig: &[u8]) -> bool {
        if sig.len() != 2 * self.bytes {
            return false;
        }
        let (r, s) = sig.split_at(self.bytes);
        [r, s].iter().all(|x| x.iter().any(|&b| b != 0) && *x < self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minus_one(v: &[u8]) -> Vec<u8> {
        let mut v = v.to_vec();
        for b in v.iter_mut().rev() {
            let (x, borrow) = b.overflowing_sub(1);
            *b = x;
            if !borrow {
                break;
            }
        }
        v
    }

    #[test]
    fn coordinates_have_the_field_size_and_are_below_p() {
        for c in [P256, P384] {
            assert!(c.coordinate_ok(&minus_one(c.p)));
            assert!(c.coordinate_ok(&vec![0; c.bytes]));
            assert!(!c.coordinate_ok(c.p), "p itself");
            assert!(!c.coordinate_ok(&vec![0xff; c.bytes]));
            assert!(!c.coordinate_ok(&vec![1; c.bytes - 1]), "short");
            assert!(!c.coordinate_ok(&vec![1; c.bytes + 1]), "long");
        }
    }

    #[test]
    fn psychic_signatures_are_refused() {
        for c in [P256, P384] {
            let one = {
                let mut v = vec![0; c.bytes];
                v[c.bytes - 1] = 1;
                v
            };
            let ok = [one.clone(), minus_one(c.n)].concat();
            assert!(c.signature_ok(&ok));
            let zero = vec![0; c.bytes];
            for bad in [
                [zero.clone(), zero.clone()].concat(),
                [zero.clone(), one.clone()].concat(),
                [one.clone(), zero.clone()].concat(),
                [c.n.to_vec(), one.clone()].concat(),
                [one.clone(), c.n.to_vec()].concat(),
                [one.clone(), vec![0xff; c.bytes]].concat(),
                ok[1..].to_vec(),
                [ok.clone(), vec![0]].concat(),
            ] {
                assert!(!c.signature_ok(&bad), "{} {bad:02x?}", c.name);
            }
        }
    }
}
