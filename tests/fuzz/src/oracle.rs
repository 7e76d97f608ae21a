//! Oracles the fuzz checks compare the core against: serde_json for the strict JSON reader, and
//! a bit-by-bit reference decoder for strict base64url.

use jwt_wasm::json;

/// Our reader is never looser than serde_json, and where both accept they read the same
/// members. One exemption: literals that overflow `f64` (such as `1e400`), which serde_json
/// refuses ("number out of range") while we read them as infinite so that claim typing can
/// call them `invalid` (a NumericDate must be finite). Returns whether our reader accepted.
pub fn json_never_looser_than_serde(text: &str) -> bool {
    let Ok(members) = json::parse_object(text) else {
        return false;
    };
    let theirs = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        Ok(map) => map,
        Err(e) => {
            let out_of_range = e.to_string().starts_with("number out of range");
            assert!(out_of_range, "json::parse_object accepted what serde_json refuses ({e}): {text:?}");
            return true;
        }
    };
    // We refuse duplicates, so both see the same number of distinct members.
    assert_eq!(members.len(), theirs.len(), "member count differs from serde_json: {text:?}");
    for m in &members {
        let Some(t) = theirs.get(m.name.as_ref()) else {
            panic!("member {:?} unknown to serde_json: {text:?}", m.name);
        };
        assert!(same_value(&m.value, t), "member {:?} reads {:?}, serde_json {t}: {text:?}", m.name, m.value);
    }
    true
}

fn same_value(ours: &json::Value<'_>, theirs: &serde_json::Value) -> bool {
    use serde_json::Value as S;
    match (ours, theirs) {
        (json::Value::Str(a), S::String(b)) => a == b,
        (json::Value::Num(a), S::Number(b)) => {
            let Some(b) = b.as_f64() else { return false };
            // Exact on the fast path; within a few ulps beyond it (see json/number.rs).
            *a == b || (a - b).abs() <= 1e-13 * b.abs().max(1e-290)
        }
        (json::Value::Strings(a), S::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| y.as_str() == Some(x.as_ref()))
        }
        (json::Value::Bool(a), S::Bool(b)) => a == b,
        (json::Value::Null, S::Null) => true,
        (json::Value::Other, S::Array(b)) => b.iter().any(|v| !v.is_string()),
        (json::Value::Other, S::Object(_)) => true,
        _ => false,
    }
}

/// Strict base64url decoded the long way, one bit at a time: `None` for a character outside
/// the URL alphabet, a length that leaves a lone character, or non-zero trailing bits.
pub fn reference_b64_decode(text: &[u8]) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = Vec::with_capacity(text.len() * 6);
    for c in text {
        let v = ALPHABET.iter().position(|a| a == c)?;
        bits.extend((0..6).rev().map(|i| (v >> i) & 1 == 1));
    }
    let whole = bits.len() / 8;
    // A leftover of 6 bits (a lone character) or any set leftover bit is not canonical.
    let rest = bits.get(whole * 8..)?;
    if rest.len() >= 6 || rest.iter().any(|&b| b) {
        return None;
    }
    Some(bits.chunks_exact(8).map(|byte| byte.iter().fold(0u8, |acc, &b| (acc << 1) | u8::from(b))).collect())
}
