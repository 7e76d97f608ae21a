//! OKP Ed25519 (RFC 8037): the public key's length and a signature's canonical S, below the group
//! order L (RFC 8032 §5.1.7: a verifier refuses S ≥ L, which otherwise makes signatures
//! malleable). Byte comparisons only: the runtime (or ed25519-dalek) does the curve arithmetic,
//! and its key import refuses an `x` that does not decode to a point.

/// An Ed25519 public key and each half of a signature, in bytes.
pub(crate) const KEY_BYTES: usize = 32;

/// The order L of the Ed25519 base point, 2^252 + 27742317777372353535851937790883648493
/// (RFC 8032 §5.1), big-endian.
const ED25519_L: [u8; 32] = [
    0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14,
    0xde, 0xf9, 0xde, 0xa2, 0xf7, 0x9c, 0xd6, 0x58, 0x12, 0x63, 0x1a, 0x5c, 0xf5, 0xd3, 0xed,
];

/// A public key `x` of exactly 32 bytes (RFC 8037 §2).
pub(crate) fn key_ok(x: &[u8]) -> bool {
    x.len() == KEY_BYTES
}

/// A signature R‖S of 64 bytes whose S (little-endian, RFC 8032 §5.1.6) is below L.
pub(crate) fn signature_ok(sig: &[u8]) -> bool {
    let Some(s) = sig.get(KEY_BYTES..).filter(|_| sig.len() == 2 * KEY_BYTES) else {
        return false;
    };
    // S is little-endian: compare its bytes from the most significant one down.
    for (a, l) in s.iter().rev().zip(ED25519_L.iter()) {
        if a != l {
            return a < l;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s_must_be_canonical() {
        let le = |be: &[u8]| be.iter().rev().copied().collect::<Vec<u8>>();
        let r = [7u8; 32];
        let mut l_minus_one = ED25519_L;
        l_minus_one[31] -= 1;
        assert!(signature_ok(&[r.as_slice(), &le(&l_minus_one)].concat()));
        assert!(signature_ok(&[0u8; 64]));
        assert!(!signature_ok(&[r.as_slice(), &le(&ED25519_L)].concat()), "S = L");
        let mut l_plus = ED25519_L;
        l_plus[31] += 1;
        assert!(!signature_ok(&[r.as_slice(), &le(&l_plus)].concat()), "S = L + 1");
        assert!(!signature_ok(&[r.as_slice(), &[0xff; 32]].concat()));
        assert!(!signature_ok(&[0u8; 63]) && !signature_ok(&[0u8; 65]));
        assert!(key_ok(&[0; 32]) && !key_ok(&[0; 31]) && !key_ok(&[0; 33]));
    }
}
