//! Strict base64url decoding sixteen characters at a time with WebAssembly SIMD (simd128), for
//! the Node and workerd artifact (`jwe-ticket`, built with `+simd128`): the rules of
//! [`super::decode_into`] (the URL alphabet only, no padding, canonical trailing bits), each
//! character classified by ranges and turned into its sextet by one added offset, sixteen sextets
//! packed into twelve bytes by shifts and a byte shuffle; what is left (fewer than sixteen
//! characters) goes through the scalar code of [`super::decode_wide`]'s rules. A character
//! outside the alphabet in any lane is remembered and refused at the end, as `decode_into` does.
//! Safe code only: the lanes are built from and read back into plain integers.

use super::{sextet, tail_into};
#[allow(unused_imports)]
use crate::prelude::*;
use core::arch::wasm32::{
    i16x8_shl, i32x4_shl, i8x16, i8x16_swizzle, u16x8_shr, u16x8_splat, u32x4_extract_lane, u32x4_shr,
    u32x4_splat, u64x2, u64x2_extract_lane, u8x16_add, u8x16_eq, u8x16_ge, u8x16_le, u8x16_splat, v128,
    v128_and, v128_any_true, v128_not, v128_or,
};

/// One lane set: whether each character is in `lo..=hi`.
#[inline(always)]
fn within(v: v128, lo: u8, hi: u8) -> v128 {
    v128_and(u8x16_ge(v, u8x16_splat(lo)), u8x16_le(v, u8x16_splat(hi)))
}

/// Sixteen characters: twelve bytes (the low twelve of the result's lanes) and the lanes that
/// are outside the alphabet (all ones there).
#[inline(always)]
fn sixteen(c: &[u8; 16]) -> (v128, v128) {
    let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7] = *c;
    let v = u64x2(
        u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]),
        u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
    );
    let upper = within(v, b'A', b'Z');
    let lower = within(v, b'a', b'z');
    let digit = within(v, b'0', b'9');
    let dash = u8x16_eq(v, u8x16_splat(b'-'));
    let under = u8x16_eq(v, u8x16_splat(b'_'));
    let valid = v128_or(v128_or(upper, lower), v128_or(digit, v128_or(dash, under)));
    // The sextet is the character plus an offset of its class (mod 256): A-Z -65, a-z -71,
    // 0-9 +4, '-' +17, '_' -32.
    let offset = v128_or(
        v128_or(v128_and(upper, u8x16_splat(191)), v128_and(lower, u8x16_splat(185))),
        v128_or(
            v128_and(digit, u8x16_splat(4)),
            v128_or(v128_and(dash, u8x16_splat(17)), v128_and(under, u8x16_splat(224))),
        ),
    );
    let s = u8x16_add(v, offset);
    // Pairs of sextets into 12 bits (the first the high six), pairs of those into 24 bits.
    let t = v128_or(i16x8_shl(v128_and(s, u16x8_splat(0x00ff)), 6), u16x8_shr(s, 8));
    let w = v128_or(i32x4_shl(v128_and(t, u32x4_splat(0xffff)), 12), u32x4_shr(t, 16));
    // Each 24-bit lane's three bytes, most significant first; lanes 12..16 out of range: zero.
    let bytes = i8x16_swizzle(w, i8x16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    (bytes, v128_not(valid))
}

/// As [`super::decode_into`]: the same bytes for every input it accepts, `Err(())` for every
/// input it refuses (`out` is unspecified then).
#[allow(clippy::cast_possible_truncation, clippy::result_unit_err)]
pub fn decode_simd(input: &[u8], out: &mut Vec<u8>) -> Result<(), ()> {
    out.clear();
    let (body, tail) = input.split_at(input.len() - input.len() % 4);
    out.reserve(body.len() / 4 * 3 + 2);
    out.resize(body.len() / 4 * 3, 0);
    let (sixteens, rest) = body.as_chunks::<16>();
    let (twelves, rest_out) = out.as_chunks_mut::<12>();
    let mut bad = u8x16_splat(0);
    for (c, o) in sixteens.iter().zip(twelves) {
        let (bytes, outside) = sixteen(c);
        bad = v128_or(bad, outside);
        let [l0, l1, l2, l3, l4, l5, l6, l7] = u64x2_extract_lane::<0>(bytes).to_le_bytes();
        let [h0, h1, h2, h3] = u32x4_extract_lane::<2>(bytes).to_le_bytes();
        *o = [l0, l1, l2, l3, l4, l5, l6, l7, h0, h1, h2, h3];
    }
    // Up to three quads left, then the tail of two or three characters.
    let s = |c: u8| sextet(c);
    let mut seen = 0u32;
    for (&[a, b, c, d], o) in rest.as_chunks::<4>().0.iter().zip(rest_out.as_chunks_mut::<3>().0) {
        let [a, b, c, d] = [s(a), s(b), s(c), s(d)];
        seen |= a | b | c | d;
        let v = (a << 18) | (b << 12) | (c << 6) | d;
        *o = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    }
    seen |= tail_into(tail, out)?;
    if seen > 63 || v128_any_true(bad) {
        return Err(());
    }
    Ok(())
}
