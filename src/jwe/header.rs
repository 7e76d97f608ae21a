//! The JWE protected header (RFC 7516 §4), read by the strict JSON reader of the JWS header
//! (duplicate names refused). The refusals come in a fixed order: `zip`; the PBES2, ECDH-ES
//! and RSA families (and their parameters `p2c`, `p2s`, `epk`); `crit`; `jku`, `jwk`, `x5u`,
//! `x5c`; then any other `alg` or `enc`. Unknown members are ignored (RFC 7516 §4: unless
//! `crit` names them, and any `crit` is refused).

use super::alg::{ContentEncryption, KeyManagement};
use crate::error::{ErrorKind, JweRefusal, Result};
use crate::json::{self, Value};
#[allow(unused_imports)]
use crate::prelude::*;

/// The members of a protected header this library reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JweHeader<'a> {
    /// `alg`, in scope (not yet checked against the allowlist).
    pub alg: KeyManagement,
    /// `enc`, in scope (not yet checked against the allowlist).
    pub enc: ContentEncryption,
    /// `kid`, if present (only ever compared as an exact map key).
    pub kid: Option<Cow<'a, str>>,
    /// `cty`, if present (`JWT` for a nested token).
    pub cty: Option<Cow<'a, str>>,
    /// `typ`, if present.
    pub typ: Option<Cow<'a, str>>,
}

/// Parses and checks a decoded protected header: a strict JSON object with string `alg` and
/// `enc`, and string `kid`, `cty`, `typ` when present (`ERR_JWE_INVALID` otherwise).
pub fn parse(src: &str) -> Result<JweHeader<'_>> {
    let invalid = || ErrorKind::JweInvalid;
    let members = json::parse_object(src).map_err(|_| invalid())?;
    let (mut alg, mut enc, mut kid, mut cty, mut typ) = (None, None, None, None, None);
    let (mut zip, mut pbes2, mut ecdh, mut crit, mut key_source) = (false, false, false, false, false);
    for m in members {
        let slot = match m.name.as_ref() {
            "alg" => &mut alg,
            "enc" => &mut enc,
            "kid" => &mut kid,
            "cty" => &mut cty,
            "typ" => &mut typ,
            name => {
                match name {
                    "zip" => zip = true,
                    "p2c" | "p2s" => pbes2 = true,
                    "epk" | "apu" | "apv" => ecdh = true,
                    "crit" => crit = true,
                    "jku" | "jwk" | "x5u" | "x5c" => key_source = true,
                    _ => {}
                }
                continue;
            }
        };
        match m.value {
            Value::Str(s) => *slot = Some(s),
            _ => return Err(invalid().into()),
        }
    }
    let (Some(alg), Some(enc)) = (alg, enc) else {
        return Err(invalid().into());
    };
    let alg = KeyManagement::from_name(&alg);
    let family = match alg {
        Err(r @ (JweRefusal::Pbes2 | JweRefusal::Ecdh | JweRefusal::Rsa)) => Some(r),
        _ if pbes2 => Some(JweRefusal::Pbes2),
        _ if ecdh => Some(JweRefusal::Ecdh),
        _ => None,
    };
    let refused = |r| Err(ErrorKind::JweRefused(r).into());
    if zip {
        return refused(JweRefusal::Zip);
    }
    if let Some(r) = family {
        return refused(r);
    }
    if crit {
        return refused(JweRefusal::Crit);
    }
    if key_source {
        return refused(JweRefusal::KeySource);
    }
    let alg = alg.or_else(refused_kind)?;
    let enc = ContentEncryption::from_name(&enc).or_else(refused_kind)?;
    Ok(JweHeader { alg, enc, kid, cty, typ })
}

fn refused_kind<T>(r: JweRefusal) -> Result<T> {
    Err(ErrorKind::JweRefused(r).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(s: &str) -> (&'static str, Option<JweRefusal>) {
        match parse(s) {
            Ok(_) => ("OK", None),
            Err(e) => (e.code(), e.jwe_refusal()),
        }
    }

    fn refused(s: &str, r: JweRefusal) {
        assert_eq!(refusal(s), (r.code(), Some(r)), "{s}");
    }

    #[test]
    fn reads_alg_enc_kid_cty_typ() {
        let h = parse(r#"{"alg":"A128KW","enc":"A128CBC-HS256","kid":"k","cty":"JWT","typ":"JOSE","x":1}"#)
            .unwrap();
        assert_eq!((h.alg, h.enc), (KeyManagement::A128Kw, ContentEncryption::A128CbcHs256));
        assert_eq!(
            (h.kid.as_deref(), h.cty.as_deref(), h.typ.as_deref()),
            (Some("k"), Some("JWT"), Some("JOSE"))
        );
    }

    #[test]
    fn structure_errors_are_jwe_invalid() {
        for bad in [
            "{}",
            r#"{"alg":"dir"}"#,
            r#"{"enc":"A128GCM"}"#,
            r#"{"alg":1,"enc":"A128GCM"}"#,
            r#"{"alg":"dir","enc":"A128GCM","kid":5}"#,
            r#"{"alg":"dir","enc":"A128GCM","cty":null}"#,
            r#"{"alg":"dir","enc":"A128GCM","alg":"dir"}"#,
            r#"{"alg":"dir","enc":"A128GCM","enc":"A256GCM"}"#,
            r#"{"alg":"dir","enc":"A128GCM",}"#,
            "[]",
        ] {
            assert_eq!(refusal(bad), ("ERR_JWE_INVALID", None), "{bad}");
        }
    }

    #[test]
    fn zip_pbes2_ecdh_rsa_crit_and_key_sources_are_refused_by_name() {
        refused(r#"{"alg":"A128KW","enc":"A128GCM","zip":"DEF"}"#, JweRefusal::Zip);
        refused(r#"{"alg":"PBES2-HS256+A128KW","enc":"A128GCM"}"#, JweRefusal::Pbes2);
        refused(r#"{"alg":"A128KW","enc":"A128GCM","p2c":100000000}"#, JweRefusal::Pbes2);
        refused(r#"{"alg":"dir","enc":"A128GCM","p2s":"c2FsdA"}"#, JweRefusal::Pbes2);
        refused(r#"{"alg":"ECDH-ES","enc":"A128GCM"}"#, JweRefusal::Ecdh);
        refused(r#"{"alg":"A256KW","enc":"A128GCM","epk":{}}"#, JweRefusal::Ecdh);
        refused(r#"{"alg":"RSA-OAEP","enc":"A128GCM"}"#, JweRefusal::Rsa);
        refused(r#"{"alg":"RSA1_5","enc":"A128GCM"}"#, JweRefusal::Rsa);
        refused(r#"{"alg":"dir","enc":"A128GCM","crit":["exp"],"exp":1}"#, JweRefusal::Crit);
        refused(r#"{"alg":"dir","enc":"A128GCM","crit":[]}"#, JweRefusal::Crit);
        for source in ["jku", "x5u"] {
            refused(
                &format!(r#"{{"alg":"dir","enc":"A128GCM","{source}":"https://evil"}}"#),
                JweRefusal::KeySource,
            );
        }
        refused(r#"{"alg":"dir","enc":"A128GCM","jwk":{"kty":"oct"}}"#, JweRefusal::KeySource);
        refused(r#"{"alg":"dir","enc":"A128GCM","x5c":["MII"]}"#, JweRefusal::KeySource);
        refused(r#"{"alg":"A192KW","enc":"A128GCM"}"#, JweRefusal::Alg);
        refused(r#"{"alg":"A128GCMKW","enc":"A128GCM","iv":"x","tag":"y"}"#, JweRefusal::Alg);
        refused(r#"{"alg":"none","enc":"A128GCM"}"#, JweRefusal::Alg);
        refused(r#"{"alg":"dir","enc":"A192CBC-HS384"}"#, JweRefusal::Enc);
        refused(r#"{"alg":"HS256","enc":"HS256"}"#, JweRefusal::Alg);
        // The order: zip before the family, the family before crit, crit before key sources.
        refused(r#"{"alg":"PBES2-HS256+A128KW","enc":"A128GCM","zip":"DEF"}"#, JweRefusal::Zip);
        refused(r#"{"alg":"RSA-OAEP","enc":"A128GCM","crit":["b64"]}"#, JweRefusal::Rsa);
        refused(r#"{"alg":"dir","enc":"A128GCM","crit":["x"],"jku":"u"}"#, JweRefusal::Crit);
    }
}
