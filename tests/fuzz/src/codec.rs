//! The `json` and `base64url` fuzz checks: the codecs on their own, each against an oracle.

use jwt_wasm::__fuzz::{b64_decode_into, b64_decode_wide, b64_encode_into};
use jwt_wasm::json;

use crate::oracle::{json_never_looser_than_serde, reference_b64_decode};

/// The strict JSON reader: never looser than serde_json (same members where both accept), and
/// it reads back what serde_json writes of an accepted document (the same members again).
pub fn json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if !json_never_looser_than_serde(text) {
        return;
    }
    // Round trip through serde_json's writer (escapes, number spellings of its own).
    if let Ok(map) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        let Ok(written) = serde_json::to_string(&map) else {
            panic!("serde_json cannot write what it read: {text:?}");
        };
        assert!(
            json_never_looser_than_serde(&written),
            "json::parse_object refuses serde_json's rewrite {written:?} of {text:?}"
        );
        let (Ok(a), Ok(b)) = (json::parse_object(text), json::parse_object(&written)) else {
            return;
        };
        assert_eq!(a.len(), b.len(), "the rewrite has other members: {written:?} of {text:?}");
    }
}

/// Strict base64url: encoding round-trips every byte string with the expected length; the
/// decoder accepts exactly what the bit-by-bit reference accepts, and what it accepts is the
/// one canonical encoding of its output (decode never accepts non-canonical input); the speed
/// artifact's decoder (`decode_wide`, eight characters at a time) gives exactly what it gives.
pub fn base64url(data: &[u8]) {
    let mut text = String::new();
    b64_encode_into(data, &mut text);
    assert_eq!(text.len(), (data.len() * 4).div_ceil(3), "encoded length of {data:?}");
    let mut back = Vec::new();
    assert!(b64_decode_into(text.as_bytes(), &mut back).is_ok(), "decode refuses encode's {text:?}");
    assert_eq!(back, data, "decode(encode(x)) != x for {data:?}");

    let mut out = Vec::new();
    let ours = b64_decode_into(data, &mut out).map(|()| out);
    let reference = reference_b64_decode(data);
    assert_eq!(ours.as_ref().ok(), reference.as_ref(), "decoder and reference differ on {data:?}");
    let mut wide = vec![0xaa; 3];
    let wide = b64_decode_wide(data, &mut wide).map(|()| wide);
    assert_eq!(wide, ours, "the wide decoder and decode_into differ on {data:?}");
    if let Ok(bytes) = ours {
        let mut again = String::new();
        b64_encode_into(&bytes, &mut again);
        assert_eq!(again.as_bytes(), data, "decode accepted a non-canonical spelling");
    }
}
