//! An X.509 certificate (RFC 5280 §4.1) to the minimal public JWK of its SubjectPublicKeyInfo:
//! a PEM `CERTIFICATE` block, or the bare standard base64 of its DER as in `x5c` (RFC 7517
//! §4.7) and in Firebase's certificate endpoint. Strict DER (der.rs) from the outer SEQUENCE to
//! the key, nothing after it; the key checked as a JWK's is (RSA ≥ 2048 bits and a sane
//! exponent, EC P-256/P-384 coordinates below p, Ed25519 32 bytes). The certificate's own
//! signature, validity and chain are not judged: a key set's certificates are trusted as its
//! JWKs are, by where they were fetched from.

use super::der::{tag, Der, DerError};
use super::ec::{Curve, P256, P384};
use super::key::Material;
use super::{okp, rsa};
use crate::error::{JwkProblem, Result};
#[allow(unused_imports)]
use crate::prelude::*;

/// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 A.1).
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 §2.1.1).
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// secp256r1, 1.2.840.10045.3.1.7 (RFC 5480 §2.1.1.1).
const SECP256R1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// secp384r1, 1.3.132.0.34.
const SECP384R1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// id-Ed25519, 1.3.101.112 (RFC 8410 §3).
const ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// The PEM armour of a certificate (RFC 7468 §5.1).
const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const END: &str = "-----END CERTIFICATE-----";

/// The longest certificate accepted, in bytes of DER (real ones are 1–2 KB).
const MAX_DER_BYTES: usize = 16 * 1024;

/// The minimal public JWK of a certificate's key.
pub fn cert_jwk(text: &str) -> Result<String> {
    cert_material(text).map(|m| m.jwk())
}

pub(crate) fn cert_material(text: &str) -> Result<Material> {
    let bad = || crate::Error::from(JwkProblem::Certificate);
    let text = text.trim_matches(|c| c == '\n' || c == '\r' || c == ' ');
    let body = match text.strip_prefix(BEGIN) {
        Some(rest) => rest.strip_suffix(END).ok_or_else(bad)?,
        None => text,
    };
    // The PEM body's lines (RFC 7468: base64 lines, LF or CRLF); a bare x5c value has none.
    let b64: String = body.split(['\n', '\r']).collect();
    if b64.contains(['-', ' ']) {
        return Err(bad());
    }
    let der = std_base64(b64.as_bytes()).ok_or_else(bad)?;
    if der.len() > MAX_DER_BYTES {
        return Err(bad());
    }
    spki(&der).map_err(|_| bad())?
}

/// The SubjectPublicKeyInfo of a DER certificate, as checked material (the key checks' own
/// problems, else `Certificate`).
fn spki(der: &[u8]) -> Result<Result<Material>, DerError> {
    let mut outer = Der::new(der);
    let mut cert = outer.nested(tag::SEQUENCE)?;
    if !outer.is_empty() {
        return Err(DerError);
    }
    let mut tbs = cert.nested(tag::SEQUENCE)?;
    cert.expect(tag::SEQUENCE)?; // signatureAlgorithm
    cert.octet_bits()?; // signatureValue
    if !cert.is_empty() {
        return Err(DerError);
    }
    if tbs.peek() == Some(tag::CONTEXT_0) {
        tbs.any()?; // version
    }
    tbs.expect(tag::INTEGER)?; // serialNumber (any integer: some CAs wrote negative ones)
    for _ in 0..4 {
        tbs.expect(tag::SEQUENCE)?; // signature, issuer, validity, subject
    }
    let mut info = tbs.nested(tag::SEQUENCE)?;
    // The rest of the TBS (issuerUniqueID, subjectUniqueID, extensions) is well-formed DER.
    while !tbs.is_empty() {
        tbs.any()?;
    }
    let mut alg = info.nested(tag::SEQUENCE)?;
    let key = info.octet_bits()?;
    if !info.is_empty() {
        return Err(DerError);
    }
    let oid = alg.expect(tag::OID)?;
    let material = match oid {
        RSA_ENCRYPTION => {
            // Parameters: NULL (RFC 3279 §2.3.1).
            if !alg.expect(tag::NULL)?.is_empty() {
                return Err(DerError);
            }
            let mut seq = Der::new(key);
            let mut pk = seq.nested(tag::SEQUENCE)?;
            let (n, e) = (pk.positive_integer()?, pk.positive_integer()?);
            if !pk.is_empty() || !seq.is_empty() {
                return Err(DerError);
            }
            rsa::check(n, e).map(|()| Material::Rsa { n: n.to_vec(), e: e.to_vec() }).map_err(Into::into)
        }
        EC_PUBLIC_KEY => {
            let curve = match alg.expect(tag::OID)? {
                SECP256R1 => P256,
                SECP384R1 => P384,
                _ => return Ok(Err(JwkProblem::Certificate.into())),
            };
            Ok(ec_point(curve, key)).and_then(|r| r.ok_or(JwkProblem::EcCoordinate.into()))
        }
        ED25519 => {
            // No parameters (RFC 8410 §3).
            if !okp::key_ok(key) {
                return Ok(Err(JwkProblem::OkpKey.into()));
            }
            Ok(Material::Ed25519 { x: key.to_vec() })
        }
        _ => Err(JwkProblem::Certificate.into()),
    };
    if !alg.is_empty() {
        return Err(DerError);
    }
    Ok(material)
}

/// An uncompressed point `04 ‖ X ‖ Y` (SEC 1 §2.3.3) of the curve, each coordinate below p.
fn ec_point(curve: Curve, key: &[u8]) -> Option<Material> {
    let (&form, xy) = key.split_first()?;
    if form != 0x04 || xy.len() != 2 * curve.bytes {
        return None;
    }
    let (x, y) = xy.split_at(curve.bytes);
    (curve.coordinate_ok(x) && curve.coordinate_ok(y)).then(|| Material::Ec {
        curve,
        x: x.to_vec(),
        y: y.to_vec(),
    })
}

/// Strict standard base64 (RFC 4648 §4) with its padding, canonical (zero unused bits).
fn std_base64(input: &[u8]) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }
    if input.is_empty() || !input.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let quads = input.chunks_exact(4);
    let last = quads.len() - 1;
    for (i, q) in quads.enumerate() {
        let pad = q.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i != last) {
            return None;
        }
        let mut n = 0u32;
        for &c in q.iter().take(4 - pad) {
            n = (n << 6) | value(c)?;
        }
        n <<= match pad {
            0 => 0,
            1 => 6,
            _ => 12,
        };
        let bytes = n.to_be_bytes();
        let (take, unused) = match pad {
            0 => (3, 0),
            1 => (2, n & 0xff),
            _ => (1, n & 0xffff),
        };
        if unused != 0 {
            return None;
        }
        out.extend(bytes.iter().skip(1).take(take));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_base64_is_strict() {
        assert_eq!(std_base64(b"TWFu"), Some(b"Man".to_vec()));
        assert_eq!(std_base64(b"TWE="), Some(b"Ma".to_vec()));
        assert_eq!(std_base64(b"TQ=="), Some(b"M".to_vec()));
        for bad in [&b"TWF"[..], b"TQ", b"TR==", b"TWF=", b"T===", b"TQ==TWFu", b"TW-u", b""] {
            assert_eq!(std_base64(bad), None, "{:?}", core::str::from_utf8(bad));
        }
    }

    #[test]
    fn not_a_certificate_is_refused() {
        for bad in ["", "MIIB", BEGIN, "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----", "AAAA"] {
            assert_eq!(cert_jwk(bad).unwrap_err().jwk_problem(), Some(JwkProblem::Certificate), "{bad}");
        }
    }
}
