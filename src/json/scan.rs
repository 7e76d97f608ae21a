//! The length of a JSON string's run of bytes that stand for themselves: up to the next quote,
//! backslash or control byte (or the end). A byte at a time in every build but the Node and
//! workerd artifacts built for speed (feature `speed`, with `+simd128`): there sixteen bytes a step (the
//! strings were a fifth of the strict reader's time on a nested decrypt on workerd). Safe code
//! only, as src/b64/simd.rs.

/// How many bytes at the start of `rest` are neither `"`, `\` nor below 0x20.
#[cfg(not(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
pub(super) fn plain_len(rest: &[u8]) -> usize {
    rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len())
}

/// How many bytes at the start of `rest` are neither `"`, `\` nor below 0x20, sixteen at a time.
#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
pub(super) fn plain_len(rest: &[u8]) -> usize {
    use core::arch::wasm32::{u64x2, u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128_or};
    let (sixteens, tail) = rest.as_chunks::<16>();
    for (i, c) in sixteens.iter().enumerate() {
        let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7] = *c;
        let v = u64x2(
            u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]),
            u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
        );
        let special = v128_or(
            v128_or(u8x16_eq(v, u8x16_splat(b'"')), u8x16_eq(v, u8x16_splat(b'\\'))),
            u8x16_lt(v, u8x16_splat(0x20)),
        );
        let m = u8x16_bitmask(special);
        if m != 0 {
            return 16 * i + m.trailing_zeros() as usize;
        }
    }
    let at = 16 * sixteens.len();
    at + tail.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(tail.len())
}

#[cfg(test)]
mod tests {
    use super::plain_len;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_run_ends_at_every_special_byte_at_every_position_and_nowhere_else() {
        let special = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
        for len in 0..40 {
            let plain = vec![b'a'; len];
            assert_eq!(plain_len(&plain), len, "{len}");
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut s = plain.clone();
                    s[at] = b;
                    let want = if special(b) { at } else { len };
                    assert_eq!(plain_len(&s), want, "{len} {at} {b}");
                }
            }
        }
    }
}
