//! The JOSE header, read from an untrusted segment.

use crate::error::{ErrorKind, Result};
use crate::json::{self, Value};
#[allow(unused_imports)]
use crate::prelude::*;

/// The header members this library reads. `jku`, `x5u`, `jwk` and `x5c` are never used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    /// `alg`, exactly as written (untrusted until checked against the allowlist).
    pub alg: Cow<'a, str>,
    /// `typ`, if present.
    pub typ: Option<Cow<'a, str>>,
    /// `kid`, if present (only ever compared as an exact map key).
    pub kid: Option<Cow<'a, str>>,
}

/// Parses and checks a header: a strict JSON object with a string `alg`; `typ`, `kid`, `cty`
/// strings when present (`ERR_JWS_INVALID` otherwise). Refused with `ERR_JOSE_NOT_SUPPORTED`:
/// any `crit` (we understand no extension), `b64` other than `true` (RFC 7797), and a nested
/// JWT (`cty: JWT`, RFC 8725 §3.3).
pub fn parse(src: &str) -> Result<Header<'_>> {
    let members = json::parse_object(src).map_err(|_| ErrorKind::JwsInvalid)?;
    let (mut alg, mut typ, mut kid) = (None, None, None);
    let mut unsupported = false;
    for m in members {
        let slot = match m.name.as_ref() {
            "alg" => &mut alg,
            "typ" => &mut typ,
            "kid" => &mut kid,
            "cty" => {
                match m.value {
                    Value::Str(s) => unsupported |= crate::validation::media_type_eq(&s, "JWT"),
                    _ => return Err(ErrorKind::JwsInvalid.into()),
                }
                continue;
            }
            "crit" => {
                unsupported = true;
                continue;
            }
            "b64" => {
                unsupported |= m.value != Value::Bool(true);
                continue;
            }
            _ => continue,
        };
        match m.value {
            Value::Str(s) => *slot = Some(s),
            _ => return Err(ErrorKind::JwsInvalid.into()),
        }
    }
    let alg = alg.ok_or(ErrorKind::JwsInvalid)?;
    if unsupported {
        return Err(ErrorKind::NotSupported.into());
    }
    Ok(Header { alg, typ, kid })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> &'static str {
        parse(s).map(|_| "OK").unwrap_or_else(|e| e.code())
    }

    #[test]
    fn reads_alg_typ_kid() {
        let h = parse(r#"{"alg":"HS256","typ":"JWT","kid":"k1","jku":"https://evil"}"#).unwrap();
        assert_eq!((h.alg.as_ref(), h.typ.as_deref(), h.kid.as_deref()), ("HS256", Some("JWT"), Some("k1")));
    }

    #[test]
    fn structure_errors() {
        assert_eq!(code("{}"), "ERR_JWS_INVALID");
        assert_eq!(code(r#"{"alg":1}"#), "ERR_JWS_INVALID");
        assert_eq!(code(r#"{"alg":"HS256","kid":5}"#), "ERR_JWS_INVALID");
        assert_eq!(code(r#"{"alg":"HS256","alg":"none"}"#), "ERR_JWS_INVALID");
        assert_eq!(code("[]"), "ERR_JWS_INVALID");
    }

    #[test]
    fn crit_b64_and_nesting_are_not_supported() {
        assert_eq!(code(r#"{"alg":"HS256","crit":["exp"]}"#), "ERR_JOSE_NOT_SUPPORTED");
        assert_eq!(code(r#"{"alg":"HS256","crit":[]}"#), "ERR_JOSE_NOT_SUPPORTED");
        assert_eq!(code(r#"{"alg":"HS256","b64":false}"#), "ERR_JOSE_NOT_SUPPORTED");
        assert_eq!(code(r#"{"alg":"HS256","b64":true}"#), "OK");
        assert_eq!(code(r#"{"alg":"HS256","cty":"jwt"}"#), "ERR_JOSE_NOT_SUPPORTED");
        assert_eq!(code(r#"{"alg":"HS256","cty":"application/JWT"}"#), "ERR_JOSE_NOT_SUPPORTED");
        assert_eq!(code(r#"{"alg":"HS256","cty":"json"}"#), "OK");
    }
}
