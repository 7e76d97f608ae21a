//! The dots of a token (`.`), for the splits of a JWS (src/segments.rs) and a JWE
//! (src/jwe/compact.rs): the first dot, the last, and whether a long segment (a JWS payload, a
//! JWE ciphertext) holds one. `position`, `rposition` and `contains` (memchr, a word at a time)
//! in every build but the Node and workerd artifacts built for speed (feature `speed`, with `+simd128`): there
//! sixteen bytes a step (memchr searched four, wasm32's word, and was 1.5 % of a nested decrypt
//! on workerd; the two splits, a byte a step, 2 %). Safe code only, as src/b64/simd.rs.

#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::{u64x2, u8x16_bitmask, u8x16_eq, u8x16_splat, v128};

/// Sixteen bytes as one vector.
#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn lanes(c: &[u8; 16]) -> v128 {
    let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7] = *c;
    u64x2(
        u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]),
        u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
    )
}

/// The lanes of sixteen bytes that are a dot, one bit each (bit 0: the first byte).
#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn dots(c: &[u8; 16]) -> u16 {
    u8x16_bitmask(u8x16_eq(lanes(c), u8x16_splat(b'.')))
}

/// Where the first dot of `s` lies.
#[cfg(not(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
pub(crate) fn first_dot(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| b == b'.')
}

/// Where the last dot of `s` lies.
#[cfg(not(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
pub(crate) fn last_dot(s: &[u8]) -> Option<usize> {
    s.iter().rposition(|&b| b == b'.')
}

/// Where the first dot of `s` lies, sixteen bytes at a time.
#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) fn first_dot(s: &[u8]) -> Option<usize> {
    let (sixteens, rest) = s.as_chunks::<16>();
    for (i, c) in sixteens.iter().enumerate() {
        let m = dots(c);
        if m != 0 {
            return Some(16 * i + m.trailing_zeros() as usize);
        }
    }
    rest.iter().position(|&b| b == b'.').map(|at| 16 * sixteens.len() + at)
}

/// Where the last dot of `s` lies, sixteen bytes at a time from the end.
#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) fn last_dot(s: &[u8]) -> Option<usize> {
    let (front, sixteens) = s.as_rchunks::<16>();
    for (i, c) in sixteens.iter().enumerate().rev() {
        let m = dots(c);
        if m != 0 {
            return Some(front.len() + 16 * i + 15 - m.leading_zeros() as usize);
        }
    }
    front.iter().rposition(|&b| b == b'.')
}

/// Whether `s` holds a `.`.
#[cfg(not(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
pub(crate) fn holds_dot(s: &[u8]) -> bool {
    s.contains(&b'.')
}

/// Whether `s` holds a `.`, sixteen bytes at a time.
#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) fn holds_dot(s: &[u8]) -> bool {
    use core::arch::wasm32::{v128_any_true, v128_or};
    let (sixteens, rest) = s.as_chunks::<16>();
    let mut seen = u8x16_splat(0);
    for c in sixteens {
        seen = v128_or(seen, u8x16_eq(lanes(c), u8x16_splat(b'.')));
    }
    v128_any_true(seen) || rest.contains(&b'.')
}

#[cfg(test)]
mod tests {
    use super::{first_dot, holds_dot, last_dot};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_dots_are_found_at_every_position_of_every_length_first_and_last() {
        for len in 0..70 {
            let s = vec![b'A'; len];
            assert!(!holds_dot(&s), "{len}");
            assert_eq!((first_dot(&s), last_dot(&s)), (None, None), "{len}");
            for at in 0..len {
                let mut t = s.clone();
                t[at] = b'.';
                assert!(holds_dot(&t), "{len} {at}");
                assert_eq!((first_dot(&t), last_dot(&t)), (Some(at), Some(at)), "{len} {at}");
                for other in 0..len {
                    let mut u = t.clone();
                    u[other] = b'.';
                    let want = (u.iter().position(|&b| b == b'.'), u.iter().rposition(|&b| b == b'.'));
                    assert_eq!((first_dot(&u), last_dot(&u)), want, "{len} {at} {other}");
                }
                t[at] = b'.' ^ 0x80; // the same low bits: no dot
                assert!(!holds_dot(&t), "{len} {at}");
                assert_eq!((first_dot(&t), last_dot(&t)), (None, None), "{len} {at}");
            }
        }
    }
}
