//! Whether a segment holds a dot (`.`): the check that a long segment (a JWS payload, a JWE
//! ciphertext) is one segment, after the split found the dots around it. `contains` (memchr,
//! a word at a time) in every build, but in the Node and workerd artifact (`jwe-ticket`, built
//! with `+simd128`), where it searched four bytes a step (wasm32's word) and was 1.5 % of a
//! nested decrypt on workerd: sixteen bytes a step. Safe code only, as src/b64/simd.rs.

/// Whether `s` holds a `.`.
#[cfg(not(all(feature = "jwe-ticket", target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
pub(crate) fn holds_dot(s: &[u8]) -> bool {
    s.contains(&b'.')
}

/// Whether `s` holds a `.`, sixteen bytes at a time.
#[cfg(all(feature = "jwe-ticket", target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) fn holds_dot(s: &[u8]) -> bool {
    use core::arch::wasm32::{u64x2, u8x16_eq, u8x16_splat, v128_any_true, v128_or};
    let (sixteens, rest) = s.as_chunks::<16>();
    let mut seen = u8x16_splat(0);
    for c in sixteens {
        let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7] = *c;
        let v = u64x2(
            u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]),
            u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
        );
        seen = v128_or(seen, u8x16_eq(v, u8x16_splat(b'.')));
    }
    v128_any_true(seen) || rest.contains(&b'.')
}

#[cfg(test)]
mod tests {
    use super::holds_dot;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_dot_is_found_at_every_position_of_every_length() {
        for len in 0..70 {
            let s = vec![b'A'; len];
            assert!(!holds_dot(&s), "{len}");
            for at in 0..len {
                let mut t = s.clone();
                t[at] = b'.';
                assert!(holds_dot(&t), "{len} {at}");
                t[at] = b'.' ^ 0x80; // the same low bits: no dot
                assert!(!holds_dot(&t), "{len} {at}");
            }
        }
    }
}
