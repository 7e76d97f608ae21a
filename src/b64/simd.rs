//! Strict base64url decoding sixteen characters at a time with WebAssembly SIMD (simd128), for
//! the Node and workerd artifacts built for speed (feature `speed`, with `+simd128`): the rules of
//! [`super::decode_into`] (the URL alphabet only, no padding, canonical trailing bits), each
//! character classified by its two nibbles (two table lookups by byte shuffle) and turned into its
//! sextet by one added offset, sixteen sextets packed into twelve bytes by a shift, a
//! multiply-add and a byte shuffle; what is left (fewer than sixteen
//! characters) goes through the scalar code of [`super::decode_wide`]'s rules. A character
//! outside the alphabet in any lane is remembered and refused at the end, as `decode_into` does.
//! Safe code only: the lanes are built from and read back into plain integers.

use super::{sextet, tail_into};
#[allow(unused_imports)]
use crate::prelude::*;
use core::arch::wasm32::{
    i16x8, i16x8_shl, i32x4_dot_i16x8, i8x16, i8x16_swizzle, u16x8_shr, u16x8_splat, u64x2,
    u64x2_extract_lane, u8x16, u8x16_add, u8x16_eq, u8x16_shr, u8x16_splat, v128, v128_and, v128_any_true,
    v128_or,
};

/// By a character's high nibble, the one class of the alphabet with that high nibble, as a bit:
/// `0x2_` '-', `0x3_` the digits, `0x4_` A-O, `0x5_` P-Z and '_', `0x6_` a-o, `0x7_` p-z; none
/// for the other eight nibbles (controls, punctuation, every byte from 0x80 on).
const CLASS_OF_HIGH: v128 = u8x16(0, 0, 1, 2, 4, 8, 16, 32, 0, 0, 0, 0, 0, 0, 0, 0);

/// By a character's low nibble, the classes in which that low nibble is in the alphabet: 0 in
/// '0', 'P', 'p'; 1-9 in all but '-'; A in 'J', 'Z', 'j', 'z'; B, C, E in A-O and a-o; D in
/// '-', 'M', 'm'; F in 'O', '_', 'o'. A character is in the alphabet when the two share a bit.
const CLASSES_OF_LOW: v128 = u8x16(42, 62, 62, 62, 62, 62, 62, 62, 62, 62, 60, 20, 20, 21, 20, 28);

/// By high nibble, the offset from character to sextet (mod 256) of its class: '-' +17, digits
/// +4, upper case -65, lower case -71; '_' (high nibble 5, with P-Z) takes 33 more, -32.
const OFFSET_OF_HIGH: v128 = u8x16(0, 0, 17, 4, 191, 191, 185, 185, 0, 0, 0, 0, 0, 0, 0, 0);

/// Sixteen characters: twelve bytes (the low twelve of the result's lanes) and the lanes that
/// are outside the alphabet (all ones there).
#[inline(always)]
fn sixteen(c: &[u8; 16]) -> (v128, v128) {
    let [a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7] = *c;
    let v = u64x2(
        u64::from_le_bytes([a0, a1, a2, a3, a4, a5, a6, a7]),
        u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]),
    );
    // The class by the high nibble, checked against the classes the low nibble allows.
    let (high, low) = (u8x16_shr(v, 4), v128_and(v, u8x16_splat(0x0f)));
    let shared = v128_and(i8x16_swizzle(CLASS_OF_HIGH, high), i8x16_swizzle(CLASSES_OF_LOW, low));
    let outside = u8x16_eq(shared, u8x16_splat(0));
    let under = v128_and(u8x16_eq(v, u8x16_splat(b'_')), u8x16_splat(33));
    let s = u8x16_add(u8x16_add(v, i8x16_swizzle(OFFSET_OF_HIGH, high)), under);
    // Pairs of sextets into 12 bits (the first the high six), pairs of those into 24 bits (one
    // multiply-add: the first times 4096 plus the second).
    let t = v128_or(i16x8_shl(v128_and(s, u16x8_splat(0x00ff)), 6), u16x8_shr(s, 8));
    let w = i32x4_dot_i16x8(t, i16x8(4096, 1, 4096, 1, 4096, 1, 4096, 1));
    // Each 24-bit lane's three bytes, most significant first; lanes 12..16 out of range: zero.
    let bytes = i8x16_swizzle(w, i8x16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    (bytes, outside)
}

/// As [`super::decode_into`]: the same bytes for every input it accepts, `Err(())` for every
/// input it refuses (`out` is unspecified then).
#[allow(clippy::cast_possible_truncation, clippy::result_unit_err)]
pub fn decode_simd(input: &[u8], out: &mut Vec<u8>) -> Result<(), ()> {
    out.clear();
    let (body, tail) = input.split_at(input.len() - input.len() % 4);
    let n = body.len() / 4 * 3;
    // Four bytes of slack past the whole quads, so that every sixteen characters are written as
    // sixteen bytes (the twelve, then four that the next group or the truncation overwrites): two
    // stores where writing exactly twelve took twelve one-byte stores. Also room for the tail.
    out.resize(n + 4, 0);
    let (sixteens, rest) = body.as_chunks::<16>();
    let mut bad = u8x16_splat(0);
    for (i, c) in sixteens.iter().enumerate() {
        let (bytes, outside) = sixteen(c);
        bad = v128_or(bad, outside);
        let [lo, hi] = [u64x2_extract_lane::<0>(bytes), u64x2_extract_lane::<1>(bytes)];
        if let Some(o) = out.get_mut(12 * i..).and_then(<[u8]>::first_chunk_mut::<16>) {
            *o = (u128::from(hi) << 64 | u128::from(lo)).to_le_bytes();
        }
    }
    let rest_out = out.get_mut(sixteens.len() * 12..n).unwrap_or_default();
    // Up to three quads left, then the tail of two or three characters.
    let s = |c: u8| sextet(c);
    let mut seen = 0u32;
    for (&[a, b, c, d], o) in rest.as_chunks::<4>().0.iter().zip(rest_out.as_chunks_mut::<3>().0) {
        let [a, b, c, d] = [s(a), s(b), s(c), s(d)];
        seen |= a | b | c | d;
        let v = (a << 18) | (b << 12) | (c << 6) | d;
        *o = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    }
    out.truncate(n);
    seen |= tail_into(tail, out)?;
    if seen > 63 || v128_any_true(bad) {
        return Err(());
    }
    Ok(())
}
