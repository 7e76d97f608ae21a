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
//!
//! The reader (`reader.rs`, with its number literals in `number.rs`) and the writer of JSON
//! string literals (`writer.rs`, for the headers `Signer` builds and the names `inspect` lists)
//! live side by side. Public (hidden from the docs) only for the fuzz targets in tests/fuzz/.

#[allow(unused_imports)]
use crate::prelude::*;

mod number;
mod reader;
mod scan;
#[cfg(test)]
mod tests;
mod writer;

#[cfg(feature = "keys")]
pub use reader::array_member_items;
pub use reader::parse_object;
// Used by the signer and by the wasm boundary (inspect's names): unused by a native claims-only build.
#[cfg_attr(not(any(feature = "hmac", target_arch = "wasm32")), allow(unused_imports))]
pub(crate) use writer::push_json_string;

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
