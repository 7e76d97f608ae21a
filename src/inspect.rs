//! What a UI needs to know about a token it holds, **without verifying it**.

use crate::decode::{decode_parts, Unverified};
use crate::error::Result;
use crate::json::Value;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::protocol::warn;

/// The default access-token lifetime ceiling for the `LONG_LIFETIME` warning: 2 hours.
pub const DEFAULT_MAX_LIFETIME: f64 = 7200.0;

/// The result of [`inspect`]. All times in seconds since the epoch; nothing is verified.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The decoded parts.
    pub token: Unverified,
    /// `exp`, if present.
    pub exp: Option<f64>,
    /// `nbf`, if present.
    pub nbf: Option<f64>,
    /// `iat`, if present.
    pub iat: Option<f64>,
    /// `exp - now`, if `exp` is present (negative once expired).
    pub expires_in: Option<f64>,
    /// `now >= exp`.
    pub expired: bool,
    /// `now < nbf`.
    pub not_yet_valid: bool,
    /// `exp - iat`, if both are present.
    pub lifetime: Option<f64>,
    /// A bit set of [`warn`] flags (declared with the wire protocol, src/protocol.rs).
    pub warnings: u32,
    /// Names of the claims that look like personal data.
    pub personal_data: Vec<String>,
}

const PERSONAL_NAMES: [&str; 12] = [
    "email",
    "phone",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "address",
    "birthdate",
    "ssn",
    "ip",
    "ip_address",
];

/// Decodes and describes `token` at `now` **without verifying it** (no key, no signature).
/// Use it to schedule refreshes and to show a token's anatomy, never to authorise anything.
/// Registered claims are typed as strictly as in verification.
/// The size caps are a token cap or [`Limits`](crate::Limits), as for `decode_unverified`.
pub fn inspect(
    token: &str,
    now: f64,
    max_lifetime: f64,
    limits: impl Into<crate::Limits>,
) -> Result<Inspection> {
    let token = decode_parts(token, limits.into())?;
    let (exp, nbf, iat, mut warnings, personal_data) = {
        let header = token.header()?;
        let claims = token.claims()?;
        let mut warnings = 0;
        if header.alg.eq_ignore_ascii_case("none") {
            warnings |= warn::ALG_NONE;
        }
        let personal: Vec<String> = claims
            .members
            .iter()
            .filter(|m| looks_personal(&m.name, &m.value))
            .map(|m| m.name.clone().into_owned())
            .collect();
        if !personal.is_empty() {
            warnings |= warn::PERSONAL_DATA;
        }
        (claims.exp, claims.nbf, claims.iat, warnings, personal)
    };
    let lifetime = exp.zip(iat).map(|(e, i)| e - i);
    match exp {
        None => warnings |= warn::NO_EXP,
        Some(e) if lifetime.unwrap_or(e - now) > max_lifetime => warnings |= warn::LONG_LIFETIME,
        Some(_) => {}
    }
    Ok(Inspection {
        token,
        exp,
        nbf,
        iat,
        expires_in: exp.map(|e| e - now),
        expired: exp.is_some_and(|e| now >= e),
        not_yet_valid: nbf.is_some_and(|n| now < n),
        lifetime,
        warnings,
        personal_data,
    })
}

fn looks_personal(name: &str, value: &Value<'_>) -> bool {
    if PERSONAL_NAMES.iter().any(|p| p.eq_ignore_ascii_case(name)) {
        return true;
    }
    match value {
        Value::Str(s) => looks_like_email(s) || looks_like_phone(s),
        Value::Strings(list) => list.iter().any(|s| looks_like_email(s) || looks_like_phone(s)),
        _ => false,
    }
}

/// `local@domain.tld` with no spaces.
fn looks_like_email(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 254 {
        return false; // longer than any deliverable address (RFC 5321 §4.5.3.1)
    }
    let Some(at) = b.iter().position(|&c| c == b'@') else {
        return false;
    };
    let domain = b.get(at + 1..).unwrap_or(&[]);
    let Some(dot) = domain.iter().rposition(|&c| c == b'.') else {
        return false;
    };
    let tld = domain.get(dot + 1..).unwrap_or(&[]);
    at > 0
        && dot > 0
        && tld.len() >= 2
        && tld.iter().all(u8::is_ascii_alphabetic)
        && !b.iter().any(|&c| c <= b' ')
}

/// 7 to 15 digits (E.164 length) with a leading `+` or a separator (space, `-`, `(`), and
/// only digits and `space - . ( )` otherwise.
fn looks_like_phone(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 32 {
        return false;
    }
    let body = b.strip_prefix(b"+").unwrap_or(b);
    let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
    let separated = body.len() < b.len() || body.iter().any(|c| matches!(c, b' ' | b'-' | b'('));
    (7..=15).contains(&digits)
        && separated
        && body.iter().all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'-' | b'.' | b'(' | b')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_shapes() {
        assert!(looks_like_email("a.b@example.org"));
        assert!(!looks_like_email("user@localhost"));
        assert!(!looks_like_email("@example.org"));
        assert!(looks_like_phone("+44 20 7946 0958"));
        assert!(looks_like_phone("(555) 123-4567"));
        assert!(!looks_like_phone("1732000000"), "a bare timestamp-like number string is not a phone");
        assert!(!looks_like_phone("+12"));
        assert!(looks_personal("Email", &Value::Null));
        assert!(!looks_personal("sub", &Value::Str("user-42".into())));
    }
}
