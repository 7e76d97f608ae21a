//! The strict JSON reader: one object, RFC 8259 to the letter, bounded depth, no duplicate names.

use super::number::number_value;
use super::{JsonError, Member, Value, MAX_DEPTH};
#[allow(unused_imports)]
use crate::prelude::*;

/// Parses `src` as one JSON object and returns its members in document order.
pub fn parse_object(src: &str) -> Result<Vec<Member<'_>>, JsonError> {
    let mut p = Parser { src, bytes: src.as_bytes(), pos: 0 };
    p.ws();
    if p.peek() != Some(b'{') {
        return Err(JsonError);
    }
    // Room for a typical header or claims set at once, rather than growing 0, 4, 8.
    let mut members = Vec::with_capacity(8);
    p.object(1, &mut |name, value| members.push(Member { name, value }))?;
    p.ws();
    if p.pos != p.bytes.len() {
        return Err(JsonError);
    }
    if repeats(&members) {
        return Err(JsonError);
    }
    Ok(members)
}

/// Up to this many top-level names are compared pairwise (at most 120 comparisons, nothing allocated);
/// more are sorted by [`has_duplicates`], which stays O(n log n) on any document.
const FEW: usize = 16;

/// Whether two of the top-level `members` have equal names. A header or claims set has a
/// handful of members: comparing them pairwise saved the name list and its sort on every token
/// (the profile of issue 10: about 4 % of a small-token verify). Nested objects keep the sort.
fn repeats(members: &[Member<'_>]) -> bool {
    if members.len() <= FEW {
        let mut rest = members;
        while let Some((first, tail)) = rest.split_first() {
            if tail.iter().any(|m| m.name == first.name) {
                return true;
            }
            rest = tail;
        }
        return false;
    }
    let mut names: Vec<&str> = members.iter().map(|m| m.name.as_ref()).collect();
    has_duplicates(&mut names)
}

/// Sorts the names (heapsort: O(n log n) in the worst case, no recursion, and a tenth of the
/// wasm of `sort_unstable`) and looks for equal neighbours.
pub(super) fn has_duplicates(names: &mut [&str]) -> bool {
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

    /// Moves the cursor over string bytes that stand for themselves, to the next quote,
    /// backslash or control byte (or the end). One tight search instead of a `peek` and a
    /// `match` a byte: the strings were most of the reader's time on a 5.8 KB token (issue 10);
    /// sixteen bytes a step in the SIMD artifact (src/json/scan.rs).
    fn plain_run(&mut self) {
        self.pos += super::scan::plain_len(self.bytes.get(self.pos..).unwrap_or_default());
    }

    /// A string; borrowed when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.eat(b'"')?;
        let start = self.pos;
        // Fast path: scan to the closing quote; borrow if no escape was seen.
        self.plain_run();
        if self.peek() == Some(b'"') {
            let s = self.src.get(start..self.pos).ok_or(JsonError)?;
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
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
                    self.plain_run();
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

/// The raw text of each element of the array that is the value of the top-level member `name`
/// of the object `src`, which is first read whole by [`parse_object`] (strict, duplicates refused
/// at every depth). `None`: there is no such member, or it is not an array. For a key set's
/// `keys` (feature `keys`), each element then read by [`parse_object`] again.
#[cfg(feature = "keys")]
pub fn array_member_items<'a>(src: &'a str, name: &str) -> Result<Option<Vec<&'a str>>, JsonError> {
    parse_object(src)?;
    let mut p = Parser { src, bytes: src.as_bytes(), pos: 0 };
    p.ws();
    p.eat(b'{')?;
    p.ws();
    if p.peek() == Some(b'}') {
        return Ok(None);
    }
    loop {
        p.ws();
        let key = p.string()?;
        p.ws();
        p.eat(b':')?;
        p.ws();
        if key == name {
            if p.peek() != Some(b'[') {
                return Ok(None);
            }
            p.eat(b'[')?;
            let mut items = Vec::new();
            p.ws();
            if p.peek() == Some(b']') {
                return Ok(Some(items));
            }
            loop {
                p.ws();
                let start = p.pos;
                p.value(2)?;
                items.push(src.get(start..p.pos).ok_or(JsonError)?);
                p.ws();
                match p.bump() {
                    Some(b',') => {}
                    Some(b']') => return Ok(Some(items)),
                    _ => return Err(JsonError),
                }
            }
        }
        p.value(1)?;
        p.ws();
        match p.bump() {
            Some(b',') => {}
            _ => return Ok(None),
        }
    }
}
