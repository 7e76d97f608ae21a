//! The policy: what a verified token must also satisfy. `now` is always passed in.

use crate::alg::AlgorithmSet;
use crate::claims::Claims;
use crate::error::{ClaimReason, Error, ErrorKind, Result};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::segments::Limits;

/// The default cap on the token length in bytes (16 KiB).
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 16 * 1024;

/// The default cap on the encoded header segment, in bytes (8 KiB, or the token cap if lower).
pub const DEFAULT_MAX_HEADER_BYTES: usize = 8 * 1024;

/// The former name of [`DEFAULT_MAX_HEADER_BYTES`]: the cap is now configurable
/// ([`Validation::max_header_bytes`], [`Limits`]).
#[deprecated(note = "use DEFAULT_MAX_HEADER_BYTES; the cap is configurable (Validation::max_header_bytes)")]
pub const MAX_HEADER_BYTES: usize = DEFAULT_MAX_HEADER_BYTES;

/// What a token must satisfy besides its signature. Every field states its default.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// Allowed algorithms. Required and non-empty; every key's algorithm must be in it.
    /// No default.
    pub algorithms: AlgorithmSet,
    /// Accepted `iss` values (exact match). `None` means `iss` is not checked; an empty list (or
    /// an empty value) is refused by [`Validation::check`], never read as "no check".
    /// Defaults to `None`.
    pub issuer: Option<Vec<String>>,
    /// Accepted audiences: the token's `aud` (a string or an array) must contain one of them.
    /// With `None`, a token that carries `aud` is rejected (RFC 7519 §4.1.3); an empty list is
    /// refused by [`Validation::check`]. Defaults to `None`.
    pub audience: Option<Vec<String>>,
    /// The required `sub` (exact match, non-empty). Defaults to `None` (not checked).
    pub subject: Option<String>,
    /// Seconds of clock skew tolerated in every time check. Defaults to `0`.
    pub clock_tolerance: f64,
    /// Maximum age in seconds measured from `iat` (which then becomes required).
    /// Defaults to `None`.
    pub max_token_age: Option<f64>,
    /// Claims that must be present: at least one name, none with a control character. Defaults to `["exp"]`. An empty list is
    /// refused by [`Validation::check`] (a list computed at run time that comes out empty must
    /// not accept tokens that never expire).
    pub required_claims: Vec<String>,
    /// The required header `typ` (non-empty), compared after media-type normalisation (`JWT` ≡
    /// `application/jwt`, case-insensitive). Defaults to `None` (`typ` ignored).
    pub typ: Option<String>,
    /// The maximum token length in bytes. Defaults to 16 KiB.
    pub max_token_bytes: usize,
    /// The maximum length of the encoded header segment in bytes, at most `max_token_bytes`.
    /// Defaults to `None`: 8 KiB, or `max_token_bytes` if that is lower.
    pub max_header_bytes: Option<usize>,
}

impl Validation {
    /// A policy with the given algorithms and every other field at its default.
    pub fn new(algorithms: AlgorithmSet) -> Result<Self> {
        if algorithms.is_empty() {
            return Err(ErrorKind::InvalidOptions.into());
        }
        Ok(Self {
            algorithms,
            issuer: None,
            audience: None,
            subject: None,
            clock_tolerance: 0.0,
            max_token_age: None,
            required_claims: vec!["exp".to_owned()],
            typ: None,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            max_header_bytes: None,
        })
    }

    /// Checks the options themselves (finite, non-negative numbers; non-empty allowlists and
    /// values: an empty one never switches its check off), with `ERR_INVALID_OPTIONS`.
    pub fn check(&self) -> Result<()> {
        let bad_secs = |x: f64| !x.is_finite() || x < 0.0;
        let bad_list = |l: &[String]| l.is_empty() || l.iter().any(String::is_empty);
        let bad_value = |v: &Option<String>| v.as_deref().is_some_and(str::is_empty);
        if self.algorithms.is_empty()
            || bad_secs(self.clock_tolerance)
            || self.max_token_age.is_some_and(bad_secs)
            || self.limits().check().is_err()
            || self.issuer.as_deref().is_some_and(bad_list)
            || self.audience.as_deref().is_some_and(bad_list)
            || bad_value(&self.subject)
            || bad_value(&self.typ)
            || bad_list(&self.required_claims)
            || self.required_claims.iter().any(|n| n.chars().any(char::is_control))
        {
            return Err(ErrorKind::InvalidOptions.into());
        }
        Ok(())
    }

    /// The size caps of step 1.
    #[must_use]
    pub fn limits(&self) -> Limits {
        Limits { max_token_bytes: self.max_token_bytes, max_header_bytes: self.max_header_bytes }
    }

    /// Applies the policy to a verified token's claims, in this order: required claims
    /// (`missing`), `iss`, `sub`, `aud`, `typ` (`check_failed`), then time: future `iat`,
    /// `nbf`, `exp` (`ERR_JWT_EXPIRED`), maximum age (`ERR_JWT_EXPIRED`, claim `iat`).
    /// So `ERR_JWT_EXPIRED` means "valid but for time", the case where a refresh makes sense.
    pub fn validate(&self, claims: &Claims<'_>, typ: Option<&str>, now: f64) -> Result<()> {
        self.validate_for(claims, typ, None, now)
    }

    /// [`Validation::validate`] for a token verified by a key bound to `key_issuer`
    /// ([`HmacKey::with_issuer`](crate::HmacKey::with_issuer)): its `iss` must then be present
    /// and equal, checked right after the issuer allowlist.
    pub fn validate_for(
        &self,
        claims: &Claims<'_>,
        typ: Option<&str>,
        key_issuer: Option<&str>,
        now: f64,
    ) -> Result<()> {
        if !now.is_finite() {
            return Err(ErrorKind::InvalidOptions.into());
        }
        let tol = self.clock_tolerance;
        let fail = |claim: &str| Error::claim(claim, ClaimReason::CheckFailed);
        let missing = |claim: &str| Error::claim(claim, ClaimReason::Missing);

        if let Some(name) = self.required_claims.iter().find(|n| !claims.has(n)) {
            return Err(missing(name));
        }
        // `maxTokenAge` makes `iat` required: report that with the other required claims, so
        // that ERR_JWT_EXPIRED keeps meaning "valid but for time".
        if self.max_token_age.is_some() && claims.iat.is_none() {
            return Err(missing("iat"));
        }
        if let Some(issuer) = &self.issuer {
            match &claims.iss {
                None => return Err(missing("iss")),
                Some(iss) if !issuer.iter().any(|x| x == iss) => return Err(fail("iss")),
                Some(_) => {}
            }
        }
        if let Some(want) = key_issuer {
            match &claims.iss {
                None => return Err(missing("iss")),
                Some(iss) if iss != want => return Err(fail("iss")),
                Some(_) => {}
            }
        }
        if let Some(want) = &self.subject {
            match &claims.sub {
                None => return Err(missing("sub")),
                Some(sub) if sub != want => return Err(fail("sub")),
                Some(_) => {}
            }
        }
        match (&claims.aud, &self.audience) {
            (None, Some(_)) => return Err(missing("aud")),
            (Some(_), None) => return Err(fail("aud")),
            (Some(aud), Some(want)) if !aud.meets(want) => return Err(fail("aud")),
            _ => {}
        }
        if let Some(want) = &self.typ {
            match typ {
                None => return Err(missing("typ")),
                Some(t) if !media_type_eq(t, want) => return Err(fail("typ")),
                Some(_) => {}
            }
        }
        if let Some(iat) = claims.iat {
            if iat > now + tol {
                return Err(fail("iat"));
            }
        }
        if let Some(nbf) = claims.nbf {
            if nbf > now + tol {
                return Err(fail("nbf"));
            }
        }
        if let Some(exp) = claims.exp {
            if now >= exp + tol {
                return Err(ErrorKind::Expired { claim: "exp" }.into());
            }
        }
        if let (Some(max_age), Some(iat)) = (self.max_token_age, claims.iat) {
            if now - iat > max_age + tol {
                return Err(ErrorKind::Expired { claim: "iat" }.into());
            }
        }
        Ok(())
    }
}

/// Media-type comparison for `typ` and `cty` (RFC 7515 §4.1.9): ASCII case-insensitive, where
/// a value with no `/` stands for `application/` followed by it, so `JWT`, `jwt` and
/// `application/jwt` are equal. Each side is normalised on its own: `application/` is never
/// stripped from a value, so `application/text/plain` is not `text/plain`.
#[must_use]
pub fn media_type_eq(a: &str, b: &str) -> bool {
    /// `(implied application/, the rest)`: the value itself when it has a `/`.
    fn split(s: &str) -> (bool, &str) {
        (!s.contains('/'), s)
    }
    const APP: &str = "application/";
    let with_prefix = |full: &str, short: &str| {
        full.get(..APP.len()).is_some_and(|p| p.eq_ignore_ascii_case(APP))
            && full.get(APP.len()..).is_some_and(|rest| rest.eq_ignore_ascii_case(short))
    };
    match (split(a), split(b)) {
        ((true, a), (false, full)) | ((false, full), (true, a)) => with_prefix(full, a),
        ((_, a), (_, b)) => a.eq_ignore_ascii_case(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alg::Algorithm;

    fn v() -> Validation {
        Validation::new([Algorithm::HS256].into_iter().collect()).unwrap()
    }

    fn check(v: &Validation, payload: &str, typ: Option<&str>, now: f64) -> String {
        let c = Claims::parse(payload).unwrap();
        match v.validate(&c, typ, now) {
            Ok(()) => "OK".into(),
            Err(e) => format!(
                "{} {} {}",
                e.code(),
                e.claim_name().unwrap_or("-"),
                e.reason().map_or("-", ClaimReason::as_str)
            ),
        }
    }

    #[test]
    fn exp_boundary_is_exclusive_and_tolerance_applies() {
        let mut p = v();
        assert_eq!(check(&p, r#"{"exp":100}"#, None, 99.999), "OK");
        assert_eq!(check(&p, r#"{"exp":100}"#, None, 100.0), "ERR_JWT_EXPIRED exp check_failed");
        p.clock_tolerance = 5.0;
        assert_eq!(check(&p, r#"{"exp":100}"#, None, 104.5), "OK");
        assert_eq!(check(&p, r#"{"exp":100}"#, None, 105.0), "ERR_JWT_EXPIRED exp check_failed");
    }

    #[test]
    fn nbf_and_future_iat() {
        let p = v();
        assert_eq!(
            check(&p, r#"{"exp":1000,"nbf":50.5}"#, None, 50.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED nbf check_failed"
        );
        assert_eq!(check(&p, r#"{"exp":1000,"nbf":50.5}"#, None, 50.5), "OK");
        assert_eq!(
            check(&p, r#"{"exp":1000,"iat":51}"#, None, 50.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED iat check_failed"
        );
    }

    #[test]
    fn max_token_age_requires_iat() {
        let mut p = v();
        p.max_token_age = Some(60.0);
        assert_eq!(check(&p, r#"{"exp":1000}"#, None, 10.0), "ERR_JWT_CLAIM_VALIDATION_FAILED iat missing");
        assert_eq!(check(&p, r#"{"exp":1000,"iat":0}"#, None, 60.0), "OK");
        assert_eq!(check(&p, r#"{"exp":1000,"iat":0}"#, None, 60.5), "ERR_JWT_EXPIRED iat check_failed");
        // An expired token without iat is reported as missing iat, not as expired: it could
        // never pass, so "expired" (refresh and retry) would be the wrong signal.
        assert_eq!(check(&p, r#"{"exp":5}"#, None, 10.0), "ERR_JWT_CLAIM_VALIDATION_FAILED iat missing");
    }

    #[test]
    fn required_claims_default_to_exp() {
        let mut p = v();
        assert_eq!(check(&p, r#"{}"#, None, 0.0), "ERR_JWT_CLAIM_VALIDATION_FAILED exp missing");
        p.required_claims = vec!["exp".into(), "scope".into()];
        assert_eq!(check(&p, r#"{"exp":9}"#, None, 0.0), "ERR_JWT_CLAIM_VALIDATION_FAILED scope missing");
        p.required_claims = vec!["iat".into()];
        assert_eq!(check(&p, r#"{"iat":0}"#, None, 0.0), "OK");
    }

    #[test]
    fn audience_rules() {
        let mut p = v();
        assert_eq!(
            check(&p, r#"{"exp":9,"aud":"x"}"#, None, 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed"
        );
        p.audience = Some(vec!["api".into(), "web".into()]);
        assert_eq!(check(&p, r#"{"exp":9}"#, None, 0.0), "ERR_JWT_CLAIM_VALIDATION_FAILED aud missing");
        assert_eq!(check(&p, r#"{"exp":9,"aud":"web"}"#, None, 0.0), "OK");
        assert_eq!(check(&p, r#"{"exp":9,"aud":["x","api"]}"#, None, 0.0), "OK");
        assert_eq!(
            check(&p, r#"{"exp":9,"aud":["x"]}"#, None, 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed"
        );
        assert_eq!(
            check(&p, r#"{"exp":9,"aud":[]}"#, None, 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed"
        );
    }

    #[test]
    fn issuer_subject_typ() {
        let mut p = v();
        p.issuer = Some(vec!["a".into(), "b".into()]);
        p.subject = Some("u1".into());
        p.typ = Some("at+jwt".into());
        assert_eq!(
            check(&p, r#"{"exp":9,"sub":"u1"}"#, Some("at+jwt"), 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED iss missing"
        );
        assert_eq!(
            check(&p, r#"{"exp":9,"iss":"ab","sub":"u1"}"#, Some("at+jwt"), 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED iss check_failed"
        );
        assert_eq!(
            check(&p, r#"{"exp":9,"iss":"b","sub":"u2"}"#, Some("at+jwt"), 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED sub check_failed"
        );
        assert_eq!(
            check(&p, r#"{"exp":9,"iss":"b","sub":"u1"}"#, None, 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED typ missing"
        );
        assert_eq!(
            check(&p, r#"{"exp":9,"iss":"b","sub":"u1"}"#, Some("JWT"), 0.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED typ check_failed"
        );
        assert_eq!(check(&p, r#"{"exp":9,"iss":"b","sub":"u1"}"#, Some("application/AT+JWT"), 0.0), "OK");
    }

    #[test]
    fn identity_checks_come_before_time() {
        let mut p = v();
        p.issuer = Some(vec!["a".into()]);
        assert_eq!(
            check(&p, r#"{"exp":1,"iss":"z"}"#, None, 5.0),
            "ERR_JWT_CLAIM_VALIDATION_FAILED iss check_failed"
        );
    }

    #[test]
    fn options_are_checked() {
        let mut p = v();
        p.clock_tolerance = f64::NAN;
        assert!(p.check().is_err());
        p.clock_tolerance = -1.0;
        assert!(p.check().is_err());
        assert!(Validation::new(AlgorithmSet::empty()).is_err());
    }

    #[test]
    fn media_types() {
        assert!(media_type_eq("JWT", "application/jwt"));
        assert!(media_type_eq("Application/JWT", "jwt"));
        assert!(!media_type_eq("JWT", "at+jwt"));
        assert!(!media_type_eq("appl", "jwt"));
        // RFC 7515 §4.1.9: `application/` is implied only for a value without a `/`.
        assert!(!media_type_eq("application/text/plain", "text/plain"));
        assert!(!media_type_eq("text/plain", "application/text/plain"));
        assert!(media_type_eq("Text/Plain", "text/plain"));
        assert!(media_type_eq("application/at+jwt", "AT+JWT"));
        assert!(!media_type_eq("application/jwt/x", "jwt"));
    }
}
