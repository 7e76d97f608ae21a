//! RSA public keys (RFC 7518 §6.3.1): the modulus and exponent as canonical big-endian integers,
//! and a signature's length. No arithmetic: the runtime verifies.
//!
//! The modulus has at least 2048 bits (RFC 7518 §3.3, §3.5; NIST SP 800-131A), counted from its
//! first byte, which must not be zero (RFC 7518 §6.3.1.1: "MUST NOT" a leading zero octet), and is
//! odd (a product of odd primes). The exponent is odd, at least 3, and at most 4 bytes: 65537 and 3
//! are what every generator uses, and 4 bytes is the bound of Go's crypto/rsa (E ≤ 2^31 − 1) and of
//! Windows CNG, so a larger exponent is a key some verifiers cannot import; it also keeps an
//! attacker-chosen huge exponent (a slow verify) out.
//!
//! A modulus from the Infineon generator of CVE-2017-15361 (ROCA) is refused: its primes have
//! the form k·M + (65537^a mod M), M a primorial, so n mod p lies in the subgroup 65537 generates
//! modulo every prime p of M (Nemec et al., CCS 2017, §2.3). For the moduli of 1984 to 4096 bits
//! (below 2048 is refused anyway) M has every prime up to 701; testing them all refuses a random
//! modulus with probability about 2^-167. Remainders of small primes, no modular exponentiation
//! of the key: a fingerprint, not RSA arithmetic.

use crate::error::JwkProblem;

/// The smallest modulus accepted, in bits.
pub(crate) const MIN_MODULUS_BITS: usize = 2048;

/// The longest exponent accepted, in bytes.
pub(crate) const MAX_EXPONENT_BYTES: usize = 4;

/// Checks a decoded modulus `n` and exponent `e`.
pub(crate) fn check(n: &[u8], e: &[u8]) -> Result<(), JwkProblem> {
    let (Some(&first), Some(&last)) = (n.first(), n.last()) else {
        return Err(JwkProblem::RsaModulus);
    };
    if first == 0 || last & 1 == 0 {
        return Err(JwkProblem::RsaModulus);
    }
    if bits(n) < MIN_MODULUS_BITS {
        return Err(JwkProblem::RsaShort);
    }
    let (Some(&e_first), Some(&e_last)) = (e.first(), e.last()) else {
        return Err(JwkProblem::RsaExponent);
    };
    if roca_fingerprint(n) {
        return Err(JwkProblem::RsaRoca);
    }
    let tiny = e.len() == 1 && e_first < 3;
    if e_first == 0 || e_last & 1 == 0 || tiny || e.len() > MAX_EXPONENT_BYTES {
        return Err(JwkProblem::RsaExponent);
    }
    Ok(())
}

/// The largest prime of the ROCA primorial tested (the 126th prime).
const ROCA_MAX_PRIME: u32 = 701;

/// Whether `n mod p` lies in the subgroup 65537 generates modulo every odd prime p ≤ 701.
fn roca_fingerprint(n: &[u8]) -> bool {
    (3..=ROCA_MAX_PRIME).filter(|&p| (2..p).take_while(|d| d * d <= p).all(|d| p % d != 0)).all(|p| {
        let r = n.iter().fold(0u32, |acc, &b| (acc * 256 + u32::from(b)) % p);
        let g = 65_537 % p;
        let mut x = 1u32;
        // The powers of g modulo p, until they repeat (at most p - 1 of them).
        for _ in 0..p {
            if x == r {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                break;
            }
        }
        false
    })
}

/// The bit length of a big-endian integer whose first byte is not zero.
fn bits(n: &[u8]) -> usize {
    let top = n.first().map_or(0, |b| 8 - b.leading_zeros() as usize);
    n.len().saturating_sub(1) * 8 + top
}

/// A signature of exactly the modulus length (RFC 8017 §8.2.2 step 1), below the modulus
/// (RFC 8017 §5.2.2 step 1; equal lengths compare as byte strings).
pub(crate) fn signature_ok(n: &[u8], sig: &[u8]) -> bool {
    sig.len() == n.len() && sig < n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modulus(bits: usize) -> Vec<u8> {
        let mut n = vec![0xff; bits.div_ceil(8)];
        let extra = n.len() * 8 - bits;
        n[0] >>= extra;
        n
    }

    #[test]
    fn modulus_bits_are_counted_from_the_first_byte() {
        assert_eq!(check(&modulus(2048), &[1, 0, 1]), Ok(()));
        assert_eq!(check(&modulus(2049), &[1, 0, 1]), Ok(()));
        assert_eq!(check(&modulus(2047), &[1, 0, 1]), Err(JwkProblem::RsaShort));
        assert_eq!(check(&modulus(1024), &[1, 0, 1]), Err(JwkProblem::RsaShort));
        let mut leading_zero = vec![0];
        leading_zero.extend(modulus(2048));
        assert_eq!(check(&leading_zero, &[1, 0, 1]), Err(JwkProblem::RsaModulus));
        let mut even = modulus(2048);
        *even.last_mut().unwrap() = 0xfe;
        assert_eq!(check(&even, &[1, 0, 1]), Err(JwkProblem::RsaModulus));
        assert_eq!(check(&[], &[1, 0, 1]), Err(JwkProblem::RsaModulus));
    }

    #[test]
    fn a_roca_modulus_is_refused() {
        // Wycheproof json_web_key_test.json tcId 7 (jws_rsa_roca_key), a 2049-bit ROCA modulus.
        let roca = "AanFpofbj7KjD4Lf-N2hVMKR7yewSyXhhbirIMTGpfYEhZ_lnt5UoK98DnKIgArXGTu3MaW_HhFw16HGaTDUHqPrId7fe4r11CqRw09yBFuW79V8sYIwHdzCaWflUI6auImYbVfoN9_nD5n8N8SY9DwXw7mwZM9wREPXoDPgOoIWl6q_MPsp7n0zs3Z5ZaiQWOOzl1S9OhwAfSiiOwz6efnXEaxuTEtPd7BjSx7NaFka8Dx9U7YqXy2RFj1O9PjyaDGuRh7YXsX3iMUSP_wSyHQg_c_qHRtKUsNSGCT7OZg0hzm2KphtjnayKJvC64vAbROBR4Ubg6Bxg9IQVZ-QYyE";
        let mut n = Vec::new();
        crate::b64::decode_into(roca.as_bytes(), &mut n).unwrap();
        assert_eq!(check(&n, &[1, 0, 1]), Err(JwkProblem::RsaRoca));
        // RFC 7515 A.2's modulus is no ROCA key.
        let rfc = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
        let mut n = Vec::new();
        crate::b64::decode_into(rfc.as_bytes(), &mut n).unwrap();
        assert_eq!(check(&n, &[1, 0, 1]), Ok(()));
    }

    #[test]
    fn the_exponent_is_odd_small_and_canonical() {
        let n = modulus(2048);
        for good in [&[3u8][..], &[1, 0, 1], &[0x7f, 0xff, 0xff, 0xff]] {
            assert_eq!(check(&n, good), Ok(()), "{good:?}");
        }
        for bad in [&[][..], &[1], &[2], &[0, 1, 0, 1], &[1, 0, 0], &[1, 0, 0, 0, 1]] {
            assert_eq!(check(&n, bad), Err(JwkProblem::RsaExponent), "{bad:?}");
        }
    }

    #[test]
    fn a_signature_has_the_modulus_length_and_is_below_it() {
        let n = modulus(2048);
        assert!(signature_ok(&n, &vec![0; 256]));
        assert!(!signature_ok(&n, &n), "s = n");
        assert!(!signature_ok(&n, &vec![0; 255]) && !signature_ok(&n, &vec![0; 257]));
    }
}
