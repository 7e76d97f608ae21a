//! Certificates to JWKs (`cert_jwk`, the `pk_cert_key` op): self-signed OpenSSL certificates
//! (tests/vectors/keys/certs.json) against the JWK node:crypto reads from each; the PEM and the
//! bare base64 (`x5c`) forms; strict DER (trailing bytes, BER lengths, truncation refused); and
//! the key checks of a JWK (a 1024-bit RSA key, a P-521 key).
#![cfg(feature = "keys")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation
)]

use jwt_wasm::{cert_jwk, read_jwk, JwkProblem, PublicAlgorithm, Read};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys/certs.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

/// The bare base64 body of a PEM block, as `x5c` carries it.
fn x5c(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn std_b64_decode(s: &str) -> Vec<u8> {
    // Only for building malformed inputs; the oracle is node:crypto's JWK.
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|&c| c != b'=') {
        bits = (bits << 6) | table.iter().position(|&t| t == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

fn std_b64_encode(bytes: &[u8]) -> String {
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(table[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn each_certificate_gives_the_jwk_node_reads_from_it() {
    let cases = cases();
    assert_eq!(cases.len(), 6);
    for c in &cases {
        let name = c["name"].as_str().unwrap();
        let pem = c["pem"].as_str().unwrap();
        for input in [pem.to_owned(), x5c(pem), pem.replace('\n', "\r\n")] {
            let got = cert_jwk(&input);
            match c["expect"].as_str().unwrap() {
                "ok" => {
                    let jwk: Value =
                        serde_json::from_str(&got.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
                    assert_eq!(jwk, c["jwk"], "{name}");
                    // The JWK reads back as a key of its family.
                    let all = PublicAlgorithm::ALL
                        .into_iter()
                        .filter(|a| {
                            !a.name().starts_with("PS")
                                && *a != PublicAlgorithm::RS384
                                && *a != PublicAlgorithm::RS512
                        })
                        .collect();
                    assert!(matches!(read_jwk(&jwk.to_string(), all).unwrap(), Read::Key(_)), "{name}");
                }
                problem => assert_eq!(got.unwrap_err().jwk_problem().unwrap().as_str(), problem, "{name}"),
            }
        }
    }
}

#[test]
fn only_strict_der_is_read() {
    let pem = cases()[1]["pem"].as_str().unwrap().to_owned();
    let der = std_b64_decode(&x5c(&pem));
    let refused = |der: &[u8], what: &str| {
        let e = cert_jwk(&std_b64_encode(der)).unwrap_err();
        assert_eq!(e.jwk_problem(), Some(JwkProblem::Certificate), "{what}");
    };
    refused(&[der.clone(), vec![0]].concat(), "a trailing byte");
    refused(&der[..der.len() - 1], "truncated");
    // The outer length in a longer form than needed (BER, not DER).
    let mut ber = vec![0x30, 0x83, 0x00];
    ber.extend_from_slice(&der[2..]);
    refused(&ber, "a padded length");
    let mut indefinite = vec![0x30, 0x80];
    indefinite.extend_from_slice(&der[4..]);
    indefinite.extend([0, 0]);
    refused(&indefinite, "an indefinite length");
    for bad in [
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----".to_owned(),
        pem.replace("CERTIFICATE-----\n", "CERTIFICATE-----\n "),
        format!("{pem}\n{pem}"),
        pem.replace("BEGIN CERTIFICATE", "BEGIN PUBLIC KEY"),
        "@@@@".to_owned(),
    ] {
        assert_eq!(cert_jwk(&bad).unwrap_err().jwk_problem(), Some(JwkProblem::Certificate), "{bad:?}");
    }
}
