//! Wycheproof (tests/vectors/wycheproof/, C2SP/wycheproof at dac1dd47, Apache-2.0) through the
//! Rust core: the HMAC-SHA-256/384/512 vectors through `HmacKey`, and every HS256/384/512 case of
//! `json_web_signature_test.json` through `Verifier`. Every case is named by file and `tcId`; the
//! cases whose outcome is a decision of jwt-wasm are listed below with their reasons, and asserted.
//! The JS side runs the same JWS cases: tests/js/core/wycheproof.test.mjs.
#![cfg(feature = "hmac")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use jwt_wasm::{Algorithm, HmacKey, KeyRing, Validation, Verifier};
use serde_json::Value;

const JWS_FILE: &str = "json_web_signature_test.json";

/// A fixed `now` (no case carries a claims set, so the policy is never reached).
const NOW: f64 = 1_700_000_000.0;

/// The JWS cases whose jwt-wasm outcome differs from a plain reading of Wycheproof's `result`
/// (`valid` → verifies, `invalid` → refused before the signature is accepted), with the code
/// jwt-wasm answers and why. Every `acceptable` case must be listed here too (none is an HS case
/// at this commit). The JS suite holds the same list.
const DECISIONS: &[(u64, &str, &str)] = &[
    // `valid` JWS whose payload is not a JWT Claims Set: jwt-wasm verifies JWTs (RFC 7519 §7.2
    // step 10: the payload must be a JSON object). The MAC verifies (checked below on its own),
    // then the payload step refuses it.
    (1, "ERR_JWT_INVALID", "payload `foo` is not a JSON object"),
    (348, "ERR_JWT_INVALID", "payload is RFC 7520 §4.4's text, not a JSON object"),
    (352, "ERR_JWT_INVALID", "payload is RFC 7520 §4.4's text, not a JSON object"),
    (357, "ERR_JWT_INVALID", "payload `Test` is not a JSON object"),
    (358, "ERR_JWT_INVALID", "payload `T21325668` is not a JSON object"),
    (359, "ERR_JWT_INVALID", "payload `T8123413` is not a JSON object"),
    (376, "ERR_JWT_INVALID", "payload `Test` is not a JSON object (the header's spaces are fine)"),
    (377, "ERR_JWT_INVALID", "payload `Test` is not a JSON object (the header's tab and LF are fine)"),
    // `valid` in Wycheproof, refused on purpose: base64url is strict (RFC 7515 §2, RFC 4648 §5:
    // no character outside the alphabet is skipped), so a `?` inside a segment is malformed.
    (372, "ERR_JWS_INVALID", "`?` inserted in the header segment: not base64url"),
    (373, "ERR_JWS_INVALID", "`?` appended to the payload segment: not base64url"),
    // `invalid` in Wycheproof, but the token is byte for byte tcId 357's (the padding the case
    // name speaks of is absent from the data): the MAC verifies, and only the payload step
    // refuses it. Asserted so that a corrected file, or a change of ours, is noticed.
    (367, "ERR_JWT_INVALID", "same token as tcId 357 (no padding in the data); payload not JSON"),
    (370, "ERR_JWT_INVALID", "same token as tcId 357 (no padding in the data); payload not JSON"),
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/wycheproof")
}

fn load(file: &str) -> Value {
    let path = dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Lenient base64url for the vectors' JWK fields (no padding expected, none required).
fn b64url(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => panic!("not base64url: {s}"),
    };
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | u32::from(val(c));
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    out
}

fn tests_of(group: &Value) -> &Vec<Value> {
    group["tests"].as_array().unwrap()
}

/// One HMAC file: a full-length tag must equal the core's MAC and verify; a truncated tag must
/// equal the MAC's prefix when `valid` and never verify (JWS wants the full digest, RFC 7518
/// §3.2); an `invalid` tag never verifies; a key shorter than the digest is refused.
fn hmac_file(file: &str, alg: Algorithm, digest: usize) -> BTreeMap<&'static str, usize> {
    let doc = load(file);
    let mut counts = BTreeMap::new();
    let mut seen: u64 = 0;
    for group in doc["testGroups"].as_array().unwrap() {
        for t in tests_of(group) {
            seen += 1;
            let id = t["tcId"].as_u64().unwrap();
            let at = format!("{file} tcId {id} ({})", t["comment"].as_str().unwrap_or(""));
            let (key, msg, tag) = (
                hex(t["key"].as_str().unwrap()),
                hex(t["msg"].as_str().unwrap()),
                hex(t["tag"].as_str().unwrap()),
            );
            let result = t["result"].as_str().unwrap();
            assert!(result == "valid" || result == "invalid", "{at}: result {result} needs a decision");
            *counts.entry(if result == "valid" { "valid" } else { "invalid" }).or_insert(0) += 1;
            let k = match HmacKey::new(None, alg, &key) {
                Ok(k) => {
                    assert!(key.len() >= digest, "{at}: a {}-byte key was accepted", key.len());
                    k
                }
                Err(e) => {
                    assert!(key.len() < digest, "{at}: a {}-byte key was refused", key.len());
                    assert_eq!(e.code(), "ERR_KEY_INVALID", "{at}");
                    *counts.entry("refused: key shorter than the digest").or_insert(0) += 1;
                    continue;
                }
            };
            let mac = k.sign(&[&msg]);
            assert_eq!(mac.len(), digest, "{at}");
            let verifies = k.verify(&[&msg], &tag);
            match (result, tag.len() == digest) {
                ("valid", true) => {
                    assert_eq!(mac, tag, "{at}: the core's MAC differs from the vector's tag");
                    assert!(verifies, "{at}: a valid full-length tag did not verify");
                    *counts.entry("verified: valid, full length").or_insert(0) += 1;
                }
                ("valid", false) => {
                    assert_eq!(
                        &mac[..tag.len()],
                        &tag[..],
                        "{at}: the MAC's prefix differs from the truncated tag"
                    );
                    assert!(!verifies, "{at}: a truncated tag verified");
                    *counts.entry("refused: valid but truncated").or_insert(0) += 1;
                }
                (_, full) => {
                    let n = tag.len().min(mac.len());
                    assert_ne!(&mac[..n], &tag[..], "{at}: an invalid tag equals the core's MAC");
                    assert!(!verifies, "{at}: an invalid tag verified");
                    let bucket =
                        if full { "refused: invalid, full length" } else { "refused: invalid, truncated" };
                    *counts.entry(bucket).or_insert(0) += 1;
                }
            }
        }
    }
    assert_eq!(Some(seen), doc["numberOfTests"].as_u64(), "{file}: numberOfTests");
    eprintln!("{file}: {seen} cases {counts:?}");
    counts
}

/// The same in each HMAC file: 174 cases, 66 `valid` (30 full-length tags verified, 30 truncated
/// tags whose prefix matched but which never verify, 6 under a key shorter than the digest, which
/// `HmacKey` refuses) and 108 `invalid`, all refused.
fn expected_hmac_counts() -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("valid", 66),
        ("invalid", 108),
        ("verified: valid, full length", 30),
        ("refused: valid but truncated", 30),
        ("refused: key shorter than the digest", 6),
        ("refused: invalid, full length", 54),
        ("refused: invalid, truncated", 54),
    ])
}

#[test]
fn hmac_sha256_vectors() {
    assert_eq!(hmac_file("hmac_sha256_test.json", Algorithm::HS256, 32), expected_hmac_counts());
}

#[test]
fn hmac_sha384_vectors() {
    assert_eq!(hmac_file("hmac_sha384_test.json", Algorithm::HS384, 48), expected_hmac_counts());
}

#[test]
fn hmac_sha512_vectors() {
    assert_eq!(hmac_file("hmac_sha512_test.json", Algorithm::HS512, 64), expected_hmac_counts());
}

/// The header of a compact token, if its first segment decodes to JSON.
fn header_alg(jws: &Value) -> Option<String> {
    let first = jws.as_str()?.split('.').next()?;
    let text = String::from_utf8(b64url_checked(first)?).ok()?;
    let v: Value = serde_json::from_str(&text).ok()?;
    v["alg"].as_str().map(str::to_owned)
}

fn b64url_checked(s: &str) -> Option<Vec<u8>> {
    s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_').then(|| b64url(s))
}

/// The key a case is verified with: the group's `oct` JWK; for an HS token in a group of an EC
/// key (the symmetric/asymmetric confusion case), the public point `04‖x‖y` as HMAC bytes, the
/// most a misconfigured verifier could hold (jwt-wasm has no EC keys to confuse).
fn group_key(group: &Value) -> (HmacKey, Algorithm) {
    let jwk = if group["private"].is_object() { &group["private"] } else { &group["public"] };
    match jwk["kty"].as_str() {
        Some("oct") => {
            let alg = Algorithm::from_name(jwk["alg"].as_str().unwrap()).unwrap();
            let secret = b64url(jwk["k"].as_str().unwrap());
            (HmacKey::new(jwk["kid"].as_str(), alg, &secret).unwrap(), alg)
        }
        Some("EC") => {
            let mut point = vec![4u8];
            point.extend(b64url(jwk["x"].as_str().unwrap()));
            point.extend(b64url(jwk["y"].as_str().unwrap()));
            (HmacKey::new(jwk["kid"].as_str(), Algorithm::HS256, &point).unwrap(), Algorithm::HS256)
        }
        other => panic!("an HS case in a group of kty {other:?}: decide how to run it"),
    }
}

#[test]
fn json_web_signature_hs_cases() {
    let doc = load(JWS_FILE);
    let decisions: BTreeMap<u64, (&str, &str)> =
        DECISIONS.iter().map(|&(id, code, why)| (id, (code, why))).collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut decided = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        let jwk = if group["private"].is_object() { &group["private"] } else { &group["public"] };
        let hs_group = jwk["kty"] == "oct";
        for t in tests_of(group) {
            let hs_token = header_alg(&t["jws"]).is_some_and(|a| a.starts_with("HS"));
            if !hs_group && !hs_token {
                continue;
            }
            let id = t["tcId"].as_u64().unwrap();
            let at = format!("{JWS_FILE} tcId {id} ({})", t["comment"].as_str().unwrap_or(""));
            let result = t["result"].as_str().unwrap();
            *counts.entry(result.to_owned()).or_insert(0) += 1;
            let (key, alg) = group_key(group);
            let policy = Validation::new([alg].into_iter().collect()).unwrap();
            let verifier = Verifier::new(KeyRing::new(vec![key.clone()]).unwrap(), policy).unwrap();
            // A JSON serialization is not a string token; it goes in as its JSON text.
            let token = t["jws"].as_str().map_or_else(|| t["jws"].to_string(), str::to_owned);
            let outcome = verifier.verify(&token, NOW);
            match decisions.get(&id) {
                Some(&(code, why)) => {
                    decided.push(id);
                    let got = outcome.as_ref().map_err(jwt_wasm::Error::code);
                    assert_eq!(got.err(), Some(code), "{at}: decided {code} ({why})");
                    if code == "ERR_JWT_INVALID" {
                        // The payload step is reached only after the MAC; check the MAC alone too.
                        let (signed, sig) = token.rsplit_once('.').unwrap();
                        assert!(
                            key.verify(&[signed.as_bytes()], &b64url(sig)),
                            "{at}: the MAC should verify"
                        );
                    }
                    *counts.entry(format!("{result}, decided: {code}")).or_insert(0) += 1;
                }
                None => {
                    assert_ne!(
                        result, "acceptable",
                        "{at}: an acceptable case needs a decision in DECISIONS"
                    );
                    if result == "valid" {
                        assert!(outcome.is_ok(), "{at}: a valid case was refused: {outcome:?}");
                    } else {
                        let code = outcome.as_ref().map(|_| "verified").unwrap_or_else(jwt_wasm::Error::code);
                        assert!(
                            code != "verified" && code != "ERR_JWT_INVALID",
                            "{at}: an invalid case must be refused before its signature is accepted, got {code}"
                        );
                        *counts.entry(format!("invalid, refused: {code}")).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    decided.sort_unstable();
    let mut listed: Vec<u64> = decisions.keys().copied().collect();
    listed.sort_unstable();
    assert_eq!(decided, listed, "every decision names a case that was run");
    eprintln!("{JWS_FILE}: HS cases {counts:?}");
    // 41 HS cases: 10 `valid`, 31 `invalid`, 0 `acceptable`; by the code jwt-wasm answers.
    let expected: BTreeMap<String, usize> = [
        ("valid", 10),
        ("invalid", 31),
        ("valid, decided: ERR_JWT_INVALID", 8),
        ("valid, decided: ERR_JWS_INVALID", 2),
        ("invalid, decided: ERR_JWT_INVALID", 2),
        ("invalid, refused: ERR_JWS_INVALID", 23),
        ("invalid, refused: ERR_JWS_SIGNATURE_VERIFICATION_FAILED", 4),
        ("invalid, refused: ERR_JOSE_ALG_NOT_ALLOWED", 1),
        ("invalid, refused: ERR_JWKS_NO_MATCHING_KEY", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(counts, expected, "{JWS_FILE}: HS cases by outcome");
}
