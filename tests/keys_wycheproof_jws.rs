//! Wycheproof `json_web_signature_test.json`, its structure side (tests/vectors/wycheproof/):
//! every public-key case (RSA, RSA-PSS, ECDSA groups; the HMAC ones are tests/wycheproof.rs's),
//! by `tcId`, through the reader and `PublicVerifier::begin`. A case either stops here (the key
//! refused or skipped, the token refused before the runtime) or reaches the runtime, which
//! keys-js's tests run with WebCrypto. Every `valid` case of an algorithm we verify reaches the
//! runtime; the counts of the others are pinned, so a change in where a case stops shows.
#![cfg(feature = "keys")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;

use jwt_wasm::{
    read_jwk, Algorithm, Buffers, PublicAlgorithm, PublicAlgorithmSet, PublicVerifier, Read, Validation,
};
use serde_json::Value;

/// The header's `alg`, if the token's first segment decodes to a JSON object with one.
fn token_alg(jws: &str) -> Option<String> {
    let mut header = Vec::new();
    jwt_wasm::__fuzz::b64_decode_into(jws.split('.').next()?.as_bytes(), &mut header).ok()?;
    let v: Value = serde_json::from_slice(&header).ok()?;
    v["alg"].as_str().map(str::to_owned)
}

fn outcome(public: &Value, jws: &str) -> String {
    // The allowlist is the token's algorithm when it is a public one, else RS256: the key is
    // bound by its own alg (or, without one, by that allowlist), never by the token.
    let alg = token_alg(jws).and_then(|a| PublicAlgorithm::from_name(&a)).unwrap_or(PublicAlgorithm::RS256);
    let allowed: PublicAlgorithmSet = [alg].into_iter().collect();
    let key = match read_jwk(&public.to_string(), allowed) {
        Ok(Read::Key(k)) => k,
        Ok(Read::Skipped) => return "skipped".into(),
        Err(e) => return format!("reader:{}", e.jwk_problem().map_or(e.code(), |p| p.as_str())),
    };
    let policy = Validation::new([Algorithm::HS256].into_iter().collect()).unwrap();
    let v = PublicVerifier::new(vec![key], allowed, policy).unwrap();
    match v.begin(jws.as_bytes(), 0.0, &mut Buffers::default()) {
        Ok(_) => "runtime".into(),
        Err(e) => format!("begin:{}", e.code()),
    }
}

#[test]
fn every_public_key_signature_case_by_tcid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/wycheproof/json_web_signature_test.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut ids = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        let Some(public) = group.get("public") else { continue }; // HMAC: tests/wycheproof.rs
        for t in group["tests"].as_array().unwrap() {
            let jws = t["jws"].as_str().unwrap();
            let got = outcome(public, jws);
            let result = t["result"].as_str().unwrap().to_owned();
            if result == "valid" {
                // Refused on purpose: a P-521 key (no ES512 here) is skipped, a key whose own alg
                // is not the token's (tcId 346: a PS256 key, a PS384 token) is bound to its alg
                // (RFC 8725 §3.1) and skipped under the token's allowlist, and an empty payload
                // segment is no JWT (ERR_JWS_INVALID, segments.rs, as on the HMAC path).
                let p521 = public["crv"] == "P-521"
                    || public["alg"].as_str().is_some_and(|a| Some(a.to_owned()) != token_alg(jws));
                let empty = jws.split('.').nth(1) == Some("");
                let want = match (p521, empty) {
                    (true, _) => "skipped",
                    (_, true) => "begin:ERR_JWS_INVALID",
                    _ => "runtime",
                };
                assert_eq!(got, want, "tcId {}: a valid case ({})", t["tcId"], group["comment"]);
            }
            ids.push(t["tcId"].as_u64().unwrap());
            *counts.entry((result, got)).or_default() += 1;
        }
    }
    let n = |r: &str, o: &str| counts.get(&(r.to_owned(), o.to_owned())).copied().unwrap_or(0);
    assert_eq!(ids.len(), COUNTS.iter().map(|c| c.2).sum::<usize>(), "every public-key case is counted");
    for (result, got, count) in COUNTS {
        assert_eq!(n(result, got), *count, "{result} cases that end at {got}");
    }
}

/// Where the public-key cases end, by the file's `result`: the invalid ones that reach the
/// runtime (forged signatures of a well-formed length) are refused there, in keys-js's run.
const COUNTS: &[(&str, &str, usize)] = &[
    ("valid", "runtime", 26),
    ("valid", "skipped", 4),
    ("valid", "begin:ERR_JWS_INVALID", 6),
    ("invalid", "runtime", 267),
    ("invalid", "skipped", 17),
    ("invalid", "reader:key_ops", 2),
    ("invalid", "begin:ERR_JWS_INVALID", 11),
    ("invalid", "begin:ERR_JWS_SIGNATURE_VERIFICATION_FAILED", 26),
    ("invalid", "begin:ERR_JWKS_NO_MATCHING_KEY", 2),
];
