//! A typed view of the registered claims (RFC 7519 §4.1), keeping "present but wrong" apart
//! from "absent".

use crate::error::{ClaimReason, Error, Result};
use crate::json::{self, Member, Value};
#[allow(unused_imports)]
use crate::prelude::*;

/// The audience claim: a string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience<'a> {
    /// `"aud": "x"`.
    One(Cow<'a, str>),
    /// `"aud": ["x", "y"]`.
    Many(Vec<Cow<'a, str>>),
}

impl Audience<'_> {
    /// Whether any of the token's audiences is one of `allowed`.
    #[must_use]
    pub fn meets(&self, allowed: &[String]) -> bool {
        match self {
            Self::One(a) => allowed.iter().any(|x| x == a),
            Self::Many(list) => list.iter().any(|a| allowed.iter().any(|x| x == a)),
        }
    }
}

/// The registered claims of a payload, typed strictly, plus every top-level member.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims<'a> {
    /// `exp`: a finite JSON number (fractions allowed).
    pub exp: Option<f64>,
    /// `nbf`.
    pub nbf: Option<f64>,
    /// `iat`.
    pub iat: Option<f64>,
    /// `iss`.
    pub iss: Option<Cow<'a, str>>,
    /// `sub`.
    pub sub: Option<Cow<'a, str>>,
    /// `jti`.
    pub jti: Option<Cow<'a, str>>,
    /// `aud`.
    pub aud: Option<Audience<'a>>,
    /// Every top-level member, in document order.
    pub members: Vec<Member<'a>>,
}

impl<'a> Claims<'a> {
    /// Parses a payload: a strict JSON object (`ERR_JWT_INVALID` otherwise) whose registered
    /// claims have their RFC 7519 types (`ERR_JWT_CLAIM_VALIDATION_FAILED`, reason `invalid`).
    pub fn parse(src: &'a str) -> Result<Self> {
        let members = json::parse_object(src).map_err(|_| crate::error::ErrorKind::JwtInvalid)?;
        Self::from_members(members)
    }

    fn from_members(members: Vec<Member<'a>>) -> Result<Self> {
        let mut c = Claims {
            exp: None,
            nbf: None,
            iat: None,
            iss: None,
            sub: None,
            jti: None,
            aud: None,
            members: Vec::new(),
        };
        for m in &members {
            let name = m.name.as_ref();
            let invalid = || Error::claim(name, ClaimReason::Invalid);
            match name {
                "exp" | "nbf" | "iat" => {
                    let n = match m.value {
                        Value::Num(n) if n.is_finite() => n,
                        _ => return Err(invalid()),
                    };
                    let slot = match name {
                        "exp" => &mut c.exp,
                        "nbf" => &mut c.nbf,
                        _ => &mut c.iat,
                    };
                    *slot = Some(n);
                }
                "iss" | "sub" | "jti" => {
                    let s = match &m.value {
                        Value::Str(s) => s.clone(),
                        _ => return Err(invalid()),
                    };
                    let slot = match name {
                        "iss" => &mut c.iss,
                        "sub" => &mut c.sub,
                        _ => &mut c.jti,
                    };
                    *slot = Some(s);
                }
                "aud" => {
                    c.aud = Some(match &m.value {
                        Value::Str(s) => Audience::One(s.clone()),
                        Value::Strings(list) => Audience::Many(list.clone()),
                        _ => return Err(invalid()),
                    });
                }
                _ => {}
            }
        }
        c.members = members;
        Ok(c)
    }

    /// Whether a top-level member of this name is present (any type, `null` included).
    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.members.iter().any(|m| m.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> (String, Option<String>, Option<&'static str>) {
        let e = Claims::parse(s).unwrap_err();
        (e.code().to_owned(), e.claim_name().map(str::to_owned), e.reason().map(ClaimReason::as_str))
    }

    #[test]
    fn numeric_dates_must_be_finite_numbers() {
        for s in
            [r#"{"exp":"1"}"#, r#"{"exp":null}"#, r#"{"exp":1e400}"#, r#"{"exp":[1]}"#, r#"{"exp":true}"#]
        {
            assert_eq!(
                err(s),
                ("ERR_JWT_CLAIM_VALIDATION_FAILED".into(), Some("exp".into()), Some("invalid")),
                "{s}"
            );
        }
        assert_eq!(err(r#"{"nbf":"0"}"#).1.as_deref(), Some("nbf"));
        assert_eq!(err(r#"{"iat":{}}"#).1.as_deref(), Some("iat"));
        let c = Claims::parse(r#"{"exp":1.5,"nbf":-3,"iat":0}"#).unwrap();
        assert_eq!((c.exp, c.nbf, c.iat), (Some(1.5), Some(-3.0), Some(0.0)));
    }

    #[test]
    fn string_claims_and_audience_are_typed() {
        assert_eq!(err(r#"{"iss":1}"#).1.as_deref(), Some("iss"));
        assert_eq!(err(r#"{"sub":null}"#).1.as_deref(), Some("sub"));
        assert_eq!(err(r#"{"jti":[]}"#).1.as_deref(), Some("jti"));
        assert_eq!(err(r#"{"aud":["a",1]}"#).1.as_deref(), Some("aud"));
        assert_eq!(err(r#"{"aud":{}}"#).1.as_deref(), Some("aud"));
        let c = Claims::parse(r#"{"aud":["a","b"]}"#).unwrap();
        assert!(c.aud.unwrap().meets(&["b".into()]));
    }

    #[test]
    fn payload_must_be_an_object() {
        assert_eq!(err("[]").0, "ERR_JWT_INVALID");
        assert_eq!(err(r#"{"a":1,"a":1}"#).0, "ERR_JWT_INVALID");
    }
}
