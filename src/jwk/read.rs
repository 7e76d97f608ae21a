//! The strict reading of one JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) into a `PublicKey`,
//! in this order: the member types; `kty: oct` refused; private members refused; `use` (`enc`:
//! skipped); `key_ops`; `kid`; the material of `kty`/`crv` (another kty or curve: skipped); then
//! the algorithm binding, never from a token: `alg` must fit the key (a known algorithm outside
//! the allowlist: skipped); without `alg`, the one allowed algorithm of the key's family (RSA
//! with several allowed: refused, "give the key an alg").

use super::alg::{Family, PublicAlgorithm, PublicAlgorithmSet};
use super::ec::Curve;
use super::key::{Material, PublicKey};
use super::{okp, rsa};
use crate::b64;
use crate::error::{Error, JwkProblem, Result};
use crate::json::{self, Member, Value};
#[allow(unused_imports)]
use crate::prelude::*;

/// The longest kid accepted, in bytes (real key sets use at most about 90: a thumbprint, a
/// URL-ish name); a cap keeps the ring's memory and the comparisons bounded.
pub const MAX_KID_BYTES: usize = 256;

/// The private members of RSA, EC, OKP and oct keys (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037).
const PRIVATE: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// The operations of RFC 7517 §4.3.
const KEY_OPS: [&str; 8] =
    ["sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits"];

/// What reading one JWK gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// A key to verify with.
    Key(PublicKey),
    /// A key we do not verify with: another kty or curve, `use: enc`, or a known algorithm
    /// outside the allowlist. Counted, not refused.
    Skipped,
}

/// Reads one JWK, the JSON text of an object.
pub fn read_jwk(src: &str, allowed: PublicAlgorithmSet) -> Result<Read> {
    let members = json::parse_object(src).map_err(|_| JwkProblem::Malformed)?;
    read_members(&members, allowed)
}

fn text<'m>(members: &'m [Member<'_>], name: &str) -> Result<Option<&'m str>> {
    match members.iter().find(|m| m.name == name).map(|m| &m.value) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.as_ref())),
        Some(_) => Err(JwkProblem::Malformed.into()),
    }
}

/// A required base64url member, decoded.
fn bytes(members: &[Member<'_>], name: &str) -> Result<Vec<u8>> {
    let s = text(members, name)?.ok_or(JwkProblem::Malformed)?;
    let mut out = Vec::new();
    b64::decode_into(s.as_bytes(), &mut out).map_err(|()| JwkProblem::Base64url)?;
    Ok(out)
}

/// Reads the members of one JWK (already a strict JSON object).
pub(crate) fn read_members(members: &[Member<'_>], allowed: PublicAlgorithmSet) -> Result<Read> {
    let kty = text(members, "kty")?.ok_or(JwkProblem::Malformed)?;
    if kty == "oct" {
        return Err(JwkProblem::Oct.into());
    }
    if members.iter().any(|m| PRIVATE.contains(&m.name.as_ref())) {
        return Err(JwkProblem::Private.into());
    }
    match text(members, "use")? {
        None | Some("sig") => {}
        Some("enc") => return Ok(Read::Skipped),
        Some(_) => return Err(JwkProblem::Use.into()),
    }
    key_ops(members)?;
    let kid = match text(members, "kid")? {
        Some(k) if k.is_empty() || k.len() > MAX_KID_BYTES => return Err(JwkProblem::Kid.into()),
        k => k.map(str::to_owned),
    };
    let alg = text(members, "alg")?;
    let Some(material) = material(kty, members)? else {
        return Ok(Read::Skipped);
    };
    let Some(alg) = bind(material.family(), alg, allowed)? else {
        return Ok(Read::Skipped);
    };
    Ok(Read::Key(PublicKey { alg, kid, material }))
}

/// `key_ops`, when present: an array of distinct known operations that has `verify`.
fn key_ops(members: &[Member<'_>]) -> Result<()> {
    let ops = match members.iter().find(|m| m.name == "key_ops").map(|m| &m.value) {
        None => return Ok(()),
        Some(Value::Strings(ops)) => ops,
        Some(_) => return Err(JwkProblem::Malformed.into()),
    };
    let unknown = ops.iter().any(|o| !KEY_OPS.contains(&o.as_ref()));
    let repeated = ops.iter().enumerate().any(|(i, o)| ops.iter().skip(i + 1).any(|p| p == o));
    if unknown || repeated || !ops.iter().any(|o| o == "verify") {
        return Err(JwkProblem::KeyOps.into());
    }
    Ok(())
}

/// The checked material of a kty (and crv) we verify; `None` for another kty or curve.
fn material(kty: &str, members: &[Member<'_>]) -> Result<Option<Material>> {
    match kty {
        "RSA" => {
            let (n, e) = (bytes(members, "n")?, bytes(members, "e")?);
            rsa::check(&n, &e)?;
            Ok(Some(Material::Rsa { n, e }))
        }
        "EC" => {
            let crv = text(members, "crv")?.ok_or(JwkProblem::Malformed)?;
            let Some(curve) = Curve::from_crv(crv) else {
                return Ok(None);
            };
            let (x, y) = (bytes(members, "x")?, bytes(members, "y")?);
            if !curve.coordinate_ok(&x) || !curve.coordinate_ok(&y) {
                return Err(JwkProblem::EcCoordinate.into());
            }
            Ok(Some(Material::Ec { curve, x, y }))
        }
        "OKP" => {
            let crv = text(members, "crv")?.ok_or(JwkProblem::Malformed)?;
            if crv != "Ed25519" {
                return Ok(None);
            }
            let x = bytes(members, "x")?;
            if !okp::key_ok(&x) {
                return Err(JwkProblem::OkpKey.into());
            }
            Ok(Some(Material::Ed25519 { x }))
        }
        _ => Ok(None),
    }
}

/// The one algorithm a key of `family` is bound to, from its `alg` or, without one, from the
/// allowlist; `None`: skipped (its algorithm is not allowed).
fn bind(family: Family, alg: Option<&str>, allowed: PublicAlgorithmSet) -> Result<Option<PublicAlgorithm>> {
    if let Some(name) = alg {
        let alg = PublicAlgorithm::from_name(name).filter(|a| a.family() == family).ok_or(JwkProblem::Alg)?;
        // EdDSA and Ed25519 are two names of one scheme: either allowed name keeps the key.
        let usable = allowed.of_family(family).any(|a| alg.verifies(a));
        return Ok(usable.then_some(alg));
    }
    let mut candidates = allowed.of_family(family);
    let first = candidates.next();
    if family == Family::Rsa && candidates.next().is_some() {
        return Err(Error::from(JwkProblem::NoAlg));
    }
    Ok(first)
}
