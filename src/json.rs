//! A small, strict JSON reader for JOSE headers and JWT claims sets.
//!
//! It validates the whole document against RFC 8259 (no trailing commas, no comments, no
//! leading zeros, no lone surrogates, no control characters in strings), bounds the nesting
//! depth, rejects duplicate member names in every object (after unescaping, so `"a"` and
//! `"\u0061"` collide), and hands back only the top-level members, typed just enough for the
//! registered claims. JavaScript parses the same bytes again with `JSON.parse` for custom
//! claims, which is safe because duplicates were rejected here.
//!
//! It exists instead of serde_json to keep the wasm small (serde_json costs about 30 KB gzip).

#[allow(unused_imports)]
use crate::prelude::*;
/// Maximum nesting depth of arrays and objects (the top-level object is depth 1).
pub const MAX_DEPTH: usize = 32;

/// A top-level member's value, typed just enough for JOSE.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// A JSON string, unescaped.
    Str(Cow<'a, str>),
    /// A JSON number as `f64` (may be infinite when the literal overflows, e.g. `1e400`).
    Num(f64),
    /// An array whose elements are all strings (possibly empty).
    Strings(Vec<Cow<'a, str>>),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// Any other array, or an object.
    Other,
}

/// A top-level member: its unescaped name and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The member name, unescaped.
    pub name: Cow<'a, str>,
    /// The value.
    pub value: Value<'a>,
}

/// The document is not strict JSON, not an object, too deep, or has duplicate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError;

/// Powers of ten that `f64` represents exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// The value of a number literal already checked against the JSON grammar.
///
/// Exact (correctly rounded) whenever the significand has at most 15 significant digits and
/// the decimal exponent lies within ±22 (Clinger's fast path): every timestamp a JWT carries,
/// milliseconds included. Beyond that it is within a few units in the last place, overflows
/// to infinity (which claim typing refuses) and underflows to zero. It replaces `str::parse`,
/// whose tables cost about 10 KB of wasm.
#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn number_value(text: &[u8]) -> f64 {
    let (negative, body) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut mantissa: u64 = 0;
    let mut exp10: i64 = 0;
    let mut digits = 0u32;
    let mut in_fraction = false;
    let mut iter = body.iter();
    for &c in iter.by_ref() {
        match c {
            b'0'..=b'9' => {
                if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    if mantissa != 0 {
                        digits += 1;
                    }
                    if in_fraction {
                        exp10 -= 1;
                    }
                } else if !in_fraction {
                    exp10 += 1;
                }
            }
            b'.' => in_fraction = true,
            _ => break,
        }
    }
    // The exponent part, if any (the grammar guarantees digits follow).
    let mut exp_part: i64 = 0;
    let mut exp_negative = false;
    for &c in iter {
        match c {
            b'-' => exp_negative = true,
            b'0'..=b'9' => exp_part = (exp_part * 10 + i64::from(c - b'0')).min(100_000),
            _ => {}
        }
    }
    exp10 += if exp_negative { -exp_part } else { exp_part };
    let m = mantissa as f64;
    let value = if mantissa == 0 {
        0.0
    } else if mantissa < (1 << 53) && (-22..=22).contains(&exp10) {
        let p = EXACT_POW10.get(exp10.unsigned_abs() as usize).copied().unwrap_or(1.0);
        if exp10 < 0 {
            m / p
        } else {
            m * p
        }
    } else if exp10 > 308 + 19 {
        f64::INFINITY
    } else if exp10 < -343 {
        0.0
    } else {
        let mut v = m;
        let mut e = exp10;
        while e > 22 {
            v *= 1e22;
            e -= 22;
        }
        while e < -22 {
            v /= 1e22;
            e += 22;
        }
        let p = EXACT_POW10.get(e.unsigned_abs() as usize).copied().unwrap_or(1.0);
        if e < 0 {
            v / p
        } else {
            v * p
        }
    };
    if negative {
        -value
    } else {
        value
    }
}

/// Parses `src` as one JSON object and returns its members in document order.
pub fn parse_object(src: &str) -> Result<Vec<Member<'_>>, JsonError> {
    let mut p = Parser { src, bytes: src.as_bytes(), pos: 0 };
    p.ws();
    if p.peek() != Some(b'{') {
        return Err(JsonError);
    }
    let mut members = Vec::new();
    p.object(1, &mut |name, value| members.push(Member { name, value }))?;
    p.ws();
    if p.pos != p.bytes.len() {
        return Err(JsonError);
    }
    let mut names: Vec<&str> = members.iter().map(|m| m.name.as_ref()).collect();
    if has_duplicates(&mut names) {
        return Err(JsonError);
    }
    Ok(members)
}

/// Sorts the names (heapsort: O(n log n) in the worst case, no recursion, and a tenth of the
/// wasm of `sort_unstable`) and looks for equal neighbours.
fn has_duplicates(names: &mut [&str]) -> bool {
    fn sift_down(v: &mut [&str], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v.get(child) < v.get(child + 1) {
                child += 1;
            }
            if v.get(root) >= v.get(child) {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = names.len();
    for i in (0..n / 2).rev() {
        sift_down(names, i, n);
    }
    for end in (1..n).rev() {
        names.swap(0, end);
        sift_down(names, 0, end);
    }
    names.windows(2).any(|w| matches!(w, [a, b] if a == b))
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

type Sink<'s, 'a> = dyn FnMut(Cow<'a, str>, Value<'a>) + 's;

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, b: u8) -> Result<(), JsonError> {
        if self.bump() == Some(b) {
            Ok(())
        } else {
            Err(JsonError)
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Parses an object at `depth`; top-level members go to `sink`, nested ones are checked.
    fn object(&mut self, depth: usize, sink: &mut Sink<'_, 'a>) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError);
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        let nested = depth > 1;
        let mut names: Vec<Cow<'a, str>> = Vec::new();
        loop {
            self.ws();
            let name = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            if nested {
                names.push(name);
                self.value(depth)?;
            } else {
                let value = self.top_value(depth)?;
                sink(name, value);
            }
            self.ws();
            match self.bump() {
                Some(b',') => {}
                Some(b'}') => break,
                _ => return Err(JsonError),
            }
        }
        if nested {
            let mut refs: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
            if has_duplicates(&mut refs) {
                return Err(JsonError);
            }
        }
        Ok(())
    }

    /// A value directly inside the top-level object: typed for the caller.
    fn top_value(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        match self.peek() {
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b'[') => {
                // Try the common "array of strings" shape (aud); fall back to a full check.
                let start = self.pos;
                if let Some(list) = self.string_array()? {
                    return Ok(Value::Strings(list));
                }
                self.pos = start;
                self.value(depth)?;
                Ok(Value::Other)
            }
            Some(b'{') => {
                self.value(depth)?;
                Ok(Value::Other)
            }
            Some(b't') => self.literal("true").map(|()| Value::Bool(true)),
            Some(b'f') => self.literal("false").map(|()| Value::Bool(false)),
            Some(b'n') => self.literal("null").map(|()| Value::Null),
            _ => self.number().map(Value::Num),
        }
    }

    /// `Some(list)` when the array at the cursor holds only strings; `None` (cursor undefined)
    /// when some element is not a string.
    fn string_array(&mut self) -> Result<Option<Vec<Cow<'a, str>>>, JsonError> {
        self.eat(b'[')?;
        let mut list = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Some(list));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Ok(None);
            }
            list.push(self.string()?);
            self.ws();
            match self.bump() {
                Some(b',') => {}
                Some(b']') => return Ok(Some(list)),
                _ => return Err(JsonError),
            }
        }
    }

    /// Any value, checked but not kept. `depth` is the depth of the enclosing container.
    fn value(&mut self, depth: usize) -> Result<(), JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1, &mut |_, _| {}),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(drop),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            _ => self.number().map(drop),
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError);
        }
        self.eat(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.ws();
            self.value(depth)?;
            self.ws();
            match self.bump() {
                Some(b',') => {}
                Some(b']') => return Ok(()),
                _ => return Err(JsonError),
            }
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(())
        } else {
            Err(JsonError)
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// RFC 8259 §6 number grammar, then the exact decimal-to-binary conversion of `core`.
    fn number(&mut self) -> Result<f64, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(JsonError),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(JsonError);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(JsonError);
            }
        }
        let text = self.bytes.get(start..self.pos).ok_or(JsonError)?;
        Ok(number_value(text))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.bump() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(JsonError),
            };
            v = (v << 4) | u32::from(d);
        }
        Ok(v)
    }

    /// A string; borrowed when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.eat(b'"')?;
        let start = self.pos;
        // Fast path: scan to the closing quote; borrow if no escape was seen.
        loop {
            match self.peek() {
                Some(b'"') => {
                    let s = self.src.get(start..self.pos).ok_or(JsonError)?;
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(0x00..=0x1f) | None => return Err(JsonError),
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::from(self.src.get(start..self.pos).ok_or(JsonError)?);
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = match self.bump() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => self.unicode_escape()?,
                        _ => return Err(JsonError),
                    };
                    out.push(c);
                }
                Some(0x00..=0x1f) | None => return Err(JsonError),
                Some(_) => {
                    // Copy the run up to the next quote, backslash or control byte in one go;
                    // those are ASCII, so the run ends on a character boundary.
                    let start = self.pos;
                    while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                        self.pos += 1;
                    }
                    out.push_str(self.src.get(start..self.pos).ok_or(JsonError)?);
                }
            }
        }
    }

    /// `\uXXXX`, with surrogate pairs joined; a lone surrogate is an error.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let hi = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&hi) {
            if self.bump() != Some(b'\\') || self.bump() != Some(b'u') {
                return Err(JsonError);
            }
            let lo = self.hex4()?;
            if !(0xDC00..0xE000).contains(&lo) {
                return Err(JsonError);
            }
            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
        } else if (0xDC00..0xE000).contains(&hi) {
            return Err(JsonError);
        } else {
            hi
        };
        char::from_u32(code).ok_or(JsonError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> bool {
        parse_object(s).is_ok()
    }

    #[test]
    fn accepts_strict_objects() {
        assert!(ok("{}"));
        assert!(ok(" {\"a\":1} "));
        assert!(ok(r#"{"a":[1,{"b":[true,false,null]},"x"],"c":-0.5e+3,"d":"\u00e9\ud83d\ude00"}"#));
    }

    #[test]
    fn rejects_non_objects_and_trailing_data() {
        for s in ["[]", "1", "\"a\"", "null", "{}x", "{} {}", "", " "] {
            assert!(!ok(s), "{s}");
        }
    }

    #[test]
    fn rejects_loose_syntax() {
        for s in [
            "{\"a\":1,}",
            "{'a':1}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":.5}",
            "{\"a\":1e}",
            "{\"a\":+1}",
            "{\"a\":NaN}",
            "{\"a\":Infinity}",
            "{\"a\":tru}",
            "{\"a\":\"\t\"}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\udc00\"}",
            "{\"a\":\"\\ud800\\u0041\"}",
            "{\"a\" 1}",
            "{\"a\":[1,]}",
            "{/*c*/}",
            "{\"a\":1 \"b\":2}",
        ] {
            assert!(!ok(s), "{s}");
        }
    }

    #[test]
    fn duplicate_names_are_rejected_after_unescaping() {
        assert!(!ok(r#"{"a":1,"a":2}"#));
        assert!(!ok(r#"{"a":1,"\u0061":2}"#));
        assert!(!ok(r#"{"x":{"a":1,"a":2}}"#));
        assert!(!ok(r#"{"x":[{"a":1,"a":2}]}"#));
        assert!(ok(r#"{"x":{"a":1},"y":{"a":2}}"#));
    }

    #[test]
    fn duplicate_check_sorts_correctly() {
        let mut x: u32 = 7;
        for n in 0..300 {
            let owned: Vec<String> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    format!("k{}", x % 1000)
                })
                .collect();
            let mut names: Vec<&str> = owned.iter().map(String::as_str).collect();
            let mut expected = names.clone();
            expected.sort_unstable();
            let expected_dup = expected.windows(2).any(|w| w[0] == w[1]);
            assert_eq!(has_duplicates(&mut names), expected_dup);
            assert_eq!(names, expected);
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep_ok = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(ok(&deep_ok));
        let too_deep = format!("{{\"a\":{}1{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(!ok(&too_deep));
        let huge = format!("{{\"a\":{}", "[".repeat(100_000));
        assert!(!ok(&huge));
    }

    #[test]
    fn top_level_values_are_typed() {
        let m =
            parse_object(r#"{"s":"x","n":1.5,"a":["p","q"],"e":[],"m":[1,"x"],"b":true,"z":null,"o":{}}"#)
                .unwrap();
        let v: Vec<_> = m.into_iter().map(|m| m.value).collect();
        assert_eq!(v[0], Value::Str("x".into()));
        assert_eq!(v[1], Value::Num(1.5));
        assert_eq!(v[2], Value::Strings(vec!["p".into(), "q".into()]));
        assert_eq!(v[3], Value::Strings(vec![]));
        assert_eq!(v[4], Value::Other);
        assert_eq!(v[5], Value::Bool(true));
        assert_eq!(v[6], Value::Null);
        assert_eq!(v[7], Value::Other);
    }

    #[test]
    fn numbers_overflowing_to_infinity_are_reported_as_such() {
        let m = parse_object(r#"{"n":1e400}"#).unwrap();
        assert_eq!(m[0].value, Value::Num(f64::INFINITY));
    }

    #[test]
    fn numbers_are_read_exactly_on_the_fast_path_and_closely_beyond() {
        let cases = [
            "0",
            "-0",
            "1",
            "1732000000",
            "1732000000.5",
            "1732000000.123",
            "-12.25e-2",
            "1e22",
            "9007199254740991",
            "0.1",
            "1.5e300",
            "2.5e-300",
            "123456789012345678901234567890",
            "1e400",
            "-1e400",
            "1e-400",
            "0.000000000000000000000000000001",
            "1E+2",
        ];
        for c in cases {
            let ours = number_value(c.as_bytes());
            let exact: f64 = c.parse().unwrap();
            let close = ours == exact || ((ours - exact) / exact).abs() < 1e-14;
            assert!(close, "{c}: {ours} vs {exact}");
        }
        for c in
            ["1732000000", "1732000000.5", "1732000000.123", "4102444800.999", "0.1", "1e22", "-12.25e-2"]
        {
            assert_eq!(number_value(c.as_bytes()).to_bits(), c.parse::<f64>().unwrap().to_bits(), "{c}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_valid_documents() {
        let docs = [r#"{"a":"\"\\\/\b\f\n\r\t","b":-12.25e-2,"c":[[],{}]}"#, r#"{"k\u00e9":"\ud834\udd1e"}"#];
        for d in docs {
            let ours = parse_object(d).unwrap();
            let theirs: serde_json::Map<String, serde_json::Value> = serde_json::from_str(d).unwrap();
            assert_eq!(ours.len(), theirs.len());
            for m in ours {
                let t = &theirs[m.name.as_ref()];
                match m.value {
                    Value::Str(s) => assert_eq!(t.as_str(), Some(s.as_ref())),
                    Value::Num(n) => assert_eq!(t.as_f64(), Some(n)),
                    _ => {}
                }
            }
        }
    }
}
