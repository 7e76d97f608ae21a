//! Strict base64url (RFC 7515 §2, RFC 4648 §5): URL alphabet only, no padding, no whitespace,
//! and canonical trailing bits, so every byte string has exactly one accepted encoding.
//!
//! Sixty lines of our own instead of the `base64` crate: its generic engine cost about 5 KB of
//! wasm, a fifth of the size budget, for the one strict configuration we need.

#[allow(unused_imports)]
use crate::prelude::*;
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Outside the alphabet in [`SEXTETS`] (bit 6 set: no sextet has it).
const X: u8 = 0xff;

/// The 6-bit value of each ASCII byte, [`X`] outside the URL alphabet: one lookup a character
/// instead of a chain of range tests (decoding was 8 % of a small-token verify in the profile
/// of issue 10). A literal, checked against `ALPHABET` by the test `sextets_match_the_alphabet`.
#[rustfmt::skip]
const SEXTETS: [u8; 256] = [
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, 62, X, X,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, X, X, X, X, X, X,
    X, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, X, X, X, X, 63,
    X, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
    X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X,
];

/// The 6-bit value of a base64url character, or 0xff (bit 6 set: no sextet has it).
fn sextet(c: u8) -> u32 {
    u32::from(SEXTETS.get(usize::from(c)).copied().unwrap_or(X))
}

/// Decodes into `out` (cleared first; its contents are unspecified after an error). `Err(())` for any non-canonical input (callers map it
/// to their own error; public only through the doc-hidden `__fuzz` module).
///
/// Whole quads first, written into `out` sized once (an `extend_from_slice` paid a `reserve`
/// call per quad), then the 2- or 3-character tail, and one alphabet check for all of them at
/// the end (base64url was a fifth of a 5.8 KB token's verify in the profile of issue 10).
#[allow(clippy::cast_possible_truncation, clippy::result_unit_err)]
pub fn decode_into(input: &[u8], out: &mut Vec<u8>) -> Result<(), ()> {
    out.clear();
    let (body, tail) = input.split_at(input.len() - input.len() % 4);
    out.resize(body.len() / 4 * 3, 0);
    // A character outside the alphabet gives `X`, the only value above 63.
    let mut seen = 0u32;
    for (i, chars) in body.chunks_exact(4).enumerate() {
        let acc = match *chars {
            [a, b, c, d] => {
                let [a, b, c, d] = [sextet(a), sextet(b), sextet(c), sextet(d)];
                seen |= a | b | c | d;
                (a << 18) | (b << 12) | (c << 6) | d
            }
            _ => 0,
        };
        if let Some([a, b, c]) = out.get_mut(3 * i..3 * i + 3) {
            (*a, *b, *c) = ((acc >> 16) as u8, (acc >> 8) as u8, acc as u8);
        }
    }
    let mut quad = |chars: &[u8]| {
        let mut acc = 0u32;
        for &c in chars {
            let v = sextet(c);
            (acc, seen) = ((acc << 6) | v, seen | v);
        }
        acc
    };
    let acc = quad(tail);
    match tail.len() {
        0 => {}
        // 3 chars = 18 bits = 2 bytes + 2 bits that must be zero.
        3 if acc & 0b11 == 0 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        // 2 chars = 12 bits = 1 byte + 4 bits that must be zero; a lone final character carries
        // only 6 bits: never a whole byte.
        2 if acc & 0b1111 == 0 => out.push((acc >> 4) as u8),
        _ => return Err(()),
    }
    if seen > 63 {
        return Err(());
    }
    Ok(())
}

/// The rule of an unpadded encoding's end for the speed decoders ([`decode_wide`],
/// `simd::decode_simd`; `decode_into` keeps its own copy above, inlined as it was, because the
/// browsers' artifacts are held to their bytes): the 0, 2 or 3 characters after the whole quads
/// appended to `out` as 0, 1 or 2 bytes, their unused bits zero (canonical); `Err(())` otherwise.
/// Gives the sextets or'ed together, for the caller's one alphabet check. The tests
/// `the_wide_decoder_*` hold the decoders to one another.
#[allow(clippy::cast_possible_truncation, clippy::result_unit_err)]
#[cfg_attr(not(feature = "speed"), allow(dead_code))]
fn tail_into(tail: &[u8], out: &mut Vec<u8>) -> Result<u32, ()> {
    let (mut acc, mut seen) = (0u32, 0u32);
    for &c in tail {
        let v = sextet(c);
        (acc, seen) = ((acc << 6) | v, seen | v);
    }
    match tail.len() {
        0 => {}
        // 3 chars = 18 bits = 2 bytes + 2 bits that must be zero.
        3 if acc & 0b11 == 0 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
        // 2 chars = 12 bits = 1 byte + 4 bits that must be zero; a lone final character carries
        // only 6 bits: never a whole byte.
        2 if acc & 0b1111 == 0 => out.push((acc >> 4) as u8),
        _ => return Err(()),
    }
    Ok(seen)
}

/// The decoder the build's callers take ([`b64::decode`](decode)): [`decode_into`], or in the
/// Node and workerd artifacts built for speed (feature `speed`, no size budget) [`decode_wide`],
/// which accepts and refuses exactly the same (tests `the_wide_decoder_*`).
#[cfg(not(feature = "speed"))]
pub use self::decode_into as decode;
#[cfg(all(feature = "speed", not(all(target_arch = "wasm32", target_feature = "simd128"))))]
pub use self::decode_wide as decode;
/// Built with WebAssembly SIMD (the Node and workerd artifact is): sixteen characters at a time
/// (src/b64/simd.rs), the same rules, tested against `decode_into` on the built artifacts
/// (tests/js/core/artifacts.test.mjs).
#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
pub use self::simd::decode_simd as decode;

#[cfg(all(feature = "speed", target_arch = "wasm32", target_feature = "simd128"))]
mod simd;

/// [`decode_into`] eight characters at a time, without a bounds check in the loop (two quads
/// into one `u64`, six bytes written from it): the same strict rules, the same result and the
/// same refusals, for the artifacts built for speed (feature `speed`), where base64url is the larger
/// part of a nested decrypt's own work after the inner token's HMAC.
#[allow(clippy::cast_possible_truncation, clippy::result_unit_err)]
#[cfg_attr(
    any(not(feature = "speed"), all(target_arch = "wasm32", target_feature = "simd128")),
    allow(dead_code)
)]
pub fn decode_wide(input: &[u8], out: &mut Vec<u8>) -> Result<(), ()> {
    out.clear();
    let (body, tail) = input.split_at(input.len() - input.len() % 4);
    // Room for the tail too, once: a push past an exact `resize` would grow the buffer again.
    out.reserve(body.len() / 4 * 3 + 2);
    out.resize(body.len() / 4 * 3, 0);
    let s = |c: u8| u64::from(sextet(c));
    let mut seen = 0u64;
    let (eights, rest) = body.as_chunks::<8>();
    let (sixes, last) = out.as_chunks_mut::<6>();
    for (&[a, b, c, d, e, f, g, h], o) in eights.iter().zip(sixes) {
        let [a, b, c, d, e, f, g, h] = [s(a), s(b), s(c), s(d), s(e), s(f), s(g), s(h)];
        seen |= a | b | c | d | e | f | g | h;
        let v = (a << 42) | (b << 36) | (c << 30) | (d << 24) | (e << 18) | (f << 12) | (g << 6) | h;
        let [_, _, b0, b1, b2, b3, b4, b5] = v.to_be_bytes();
        *o = [b0, b1, b2, b3, b4, b5];
    }
    // An odd quad left over (four characters, three bytes), then the tail as in `decode_into`.
    if let ([a, b, c, d], [o0, o1, o2]) = (rest, last) {
        let [a, b, c, d] = [s(*a), s(*b), s(*c), s(*d)];
        seen |= a | b | c | d;
        let v = (a << 18) | (b << 12) | (c << 6) | d;
        (*o0, *o1, *o2) = ((v >> 16) as u8, (v >> 8) as u8, v as u8);
    }
    seen |= u64::from(tail_into(tail, out)?);
    if seen > 63 {
        return Err(());
    }
    Ok(())
}

/// Appends the unpadded encoding of `input` to `out`.
pub fn encode_into(input: &[u8], out: &mut String) {
    let char_at = |v: u32| char::from(*ALPHABET.get((v & 63) as usize).unwrap_or(&b'A'));
    out.reserve(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let mut acc: u32 = 0;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= u32::from(b) << (16 - 8 * i);
        }
        for i in 0..=chunk.len() {
            out.push(char_at(acc >> (18 - 6 * i)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // Built for wasm32 (with `+simd128`: `make test-rust` runs them so in Node) the tests run
    // under wasm-bindgen-test, so that the SIMD decoder, which exists only there, is tested too.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The speed decoders of this build, each held to `decode_into`: the wide one, and built
    /// for wasm32 with SIMD the sixteen-at-a-time one (src/b64/simd.rs).
    type Decoder = fn(&[u8], &mut Vec<u8>) -> Result<(), ()>;
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    const SPEED: &[(&str, Decoder)] = &[("wide", decode_wide)];
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    const SPEED: &[(&str, Decoder)] = &[("wide", decode_wide), ("simd", simd::decode_simd)];

    fn decode(input: &[u8]) -> Result<Vec<u8>, ()> {
        let mut out = Vec::new();
        decode_into(input, &mut out).map(|()| out)
    }

    fn encode(input: &[u8]) -> String {
        let mut s = String::new();
        encode_into(input, &mut s);
        s
    }

    /// `len` bytes from a simple LCG whose state is `x`.
    fn pseudo_random(x: &mut u32, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                *x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (*x >> 16) as u8
            })
            .collect()
    }

    /// Every input of the tests below and more: every speed decoder gives the bytes
    /// `decode_into` gives, or refuses as it does.
    fn same_as_compact(input: &[u8]) {
        let mut a = Vec::new();
        let ra = decode_into(input, &mut a);
        for (name, speed) in SPEED {
            let mut b = vec![0xee; 3]; // not empty: the decoder clears what was there
            let rb = speed(input, &mut b);
            assert_eq!(ra, rb, "{name} {input:?}");
            if ra.is_ok() {
                assert_eq!(a, b, "{name} {input:?}");
            }
        }
    }

    #[test]
    fn the_speed_decoders_give_what_the_compact_one_gives_for_every_byte_at_every_position() {
        // Lengths over one, two and three groups of sixteen (every SIMD lane, the scalar quads
        // and tails after them), each position given each of the 256 byte values: the
        // alphabet's 64 (other bytes decoded, perhaps non-canonical at the end) and the rest.
        let mut x: u32 = 4242;
        // Encodings of 16, 22, 31, 32, 35, 43, 48 and 50 characters.
        for n in [12usize, 16, 23, 24, 26, 32, 36, 37] {
            let good = encode(&pseudo_random(&mut x, n)).into_bytes();
            same_as_compact(&good);
            for at in 0..good.len() {
                for c in 0..=255u8 {
                    let mut s = good.clone();
                    s[at] = c;
                    same_as_compact(&s);
                }
            }
        }
    }

    #[test]
    fn the_wide_decoder_gives_what_the_compact_one_gives_for_every_length_and_bad_character() {
        let mut x: u32 = 777;
        for len in 0usize..120 {
            let data = pseudo_random(&mut x, len);
            let enc = encode(&data);
            same_as_compact(enc.as_bytes());
            for (name, speed) in SPEED {
                assert_eq!(speed(enc.as_bytes(), &mut Vec::new()), Ok(()), "{name}");
            }
            // Every position given every kind of bad character, and every trailing-bit change.
            for at in 0..enc.len() {
                for bad in [b'.', b'=', b'+', b'/', b' ', b'\n', 0x80, 0xff, b'A', b'_'] {
                    let mut s = enc.as_bytes().to_vec();
                    s[at] = bad;
                    same_as_compact(&s);
                }
            }
            for cut in 0..enc.len() {
                same_as_compact(&enc.as_bytes()[..cut]);
            }
        }
        for bad in ["YQ==", "YQ=", "Y Q", "YQ\n", "+w", "/w", "a", "YQ.", "Y%", "YWJjZ", "YR", "YWJ"] {
            same_as_compact(bad.as_bytes());
            for (name, speed) in SPEED {
                assert!(speed(bad.as_bytes(), &mut Vec::new()).is_err(), "{name} {bad}");
            }
        }
    }

    #[test]
    fn the_speed_decoders_give_what_the_compact_one_gives_for_random_mixes_of_good_and_bad_bytes() {
        // Many changes at once, of every length up to five groups of sixteen: mostly the alphabet,
        // some bytes outside it, and now and then a whole valid encoding with its tail altered.
        let mut x: u32 = 99;
        for round in 0..20_000u32 {
            let len = (pseudo_random(&mut x, 1)[0] % 81) as usize;
            let bytes = pseudo_random(&mut x, len);
            let input: Vec<u8> = if round % 4 == 0 {
                let mut e = encode(&bytes).into_bytes();
                if let Some(last) = e.last_mut() {
                    *last = ALPHABET[usize::from(bytes.first().copied().unwrap_or(0) % 64)];
                }
                e
            } else {
                bytes
                    .iter()
                    .map(|&b| if b < 230 { ALPHABET[usize::from(b % 64)] } else { b'.' ^ (b & 0x81) })
                    .collect()
            };
            same_as_compact(&input);
        }
    }

    #[test]
    fn the_wide_decoder_refuses_a_bad_character_in_any_lane_of_its_eight() {
        let good = encode(&[0x5a; 48]); // 64 characters: eight rounds of eight, no tail
        for at in 0..good.len() {
            for bad in 0..=255u8 {
                if ALPHABET.contains(&bad) {
                    continue;
                }
                let mut s = good.as_bytes().to_vec();
                s[at] = bad;
                for (name, speed) in SPEED {
                    assert!(speed(&s, &mut Vec::new()).is_err(), "{name} {at} {bad}");
                }
            }
        }
    }

    #[test]
    fn sextets_match_the_alphabet() {
        for c in 0..=255u8 {
            let want = ALPHABET.iter().position(|&a| a == c).map_or(u32::from(X), |i| i as u32);
            assert_eq!(sextet(c), want, "{c}");
        }
    }

    #[test]
    fn rfc4648_vectors_without_padding() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes()), enc);
            assert_eq!(decode(enc.as_bytes()).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn round_trips_every_byte() {
        let data: Vec<u8> = (0..=255).collect();
        for n in 0..data.len() {
            assert_eq!(decode(encode(&data[..n]).as_bytes()).unwrap(), &data[..n]);
        }
    }

    #[test]
    fn rejects_padding_whitespace_and_standard_alphabet() {
        for bad in ["YQ==", "YQ=", "Y Q", "YQ\n", "+w", "/w", "a", "YQ.", "Y%", "YWJjZ"] {
            assert!(decode(bad.as_bytes()).is_err(), "{bad}");
        }
        assert_eq!(decode(b"-w").unwrap(), [0xfb]);
        assert_eq!(decode(b"_w").unwrap(), [0xff]);
    }

    #[test]
    fn rejects_a_character_outside_the_alphabet_at_any_position() {
        let good = encode(b"0123456789abcdefghijklmnopqrstuvwxyz");
        for len in 2..=good.len() {
            for at in 0..len {
                for bad in [b'.', b'=', b'+', b'/', b' ', 0x80, 0xff] {
                    let mut s = good.as_bytes()[..len].to_vec();
                    s[at] = bad;
                    assert!(decode(&s).is_err(), "{len} {at} {bad}");
                }
            }
        }
    }

    #[test]
    fn rejects_non_canonical_trailing_bits() {
        assert_eq!(decode(b"YQ").unwrap(), b"a");
        assert!(decode(b"YR").is_err());
        assert!(decode(b"YWJ").is_err());
        assert_eq!(decode(b"YWI").unwrap(), b"ab");
    }

    #[test]
    fn round_trips_pseudo_random_data_of_every_length() {
        let mut x: u32 = 12345;
        for len in 0usize..200 {
            let data = pseudo_random(&mut x, len);
            let enc = encode(&data);
            assert_eq!(enc.len(), (len * 4).div_ceil(3));
            assert_eq!(decode(enc.as_bytes()).unwrap(), data);
        }
    }
}
