//! The JSON writer: string literals, for the headers `Signer` builds and the claim names
//! `inspect` lists. Everything else the crate emits is JSON it was given.

#[allow(unused_imports)]
use crate::prelude::*;

/// Appends `s` as a JSON string literal.
#[cfg_attr(not(any(feature = "hmac", target_arch = "wasm32")), allow(dead_code))]
pub(crate) fn push_json_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let b = c as u8;
                for nibble in [b >> 4, b & 15] {
                    out.push(char::from(*HEX.get(usize::from(nibble)).unwrap_or(&b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut s = String::new();
        push_json_string(&mut s, "a\"b\\c\n\u{1}é");
        assert_eq!(s, r#""a\"b\\c\n\u0001é""#);
        assert!(super::super::parse_object(&format!("{{\"k\":{s}}}")).is_ok());
    }
}
