//! Wycheproof `json_web_key_test.json` (tests/vectors/wycheproof/, copied with its licence), every
//! case by `tcId`, through the public-key reader and `PublicVerifier::begin`: each group's public
//! set (or, for the symmetric groups that have none, its private set) is read with every public
//! algorithm allowed; a set the reader reads then meets the case's token. The decisions below say,
//! per case, where it is refused: by the reader (with the JWK problem), at key choice, or by the
//! runtime (the signature and the on-curve check are WebCrypto's, run by keys-js's tests).
#![cfg(feature = "keys")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use jwt_wasm::{
    read_jwks, Algorithm, Buffers, PublicAlgorithm, PublicAlgorithmSet, PublicVerifier, Validation,
};
use serde_json::Value;

/// What happens to each case: `reader:<problem or code>`, `begin:<code>`, or `runtime` (begin
/// hands the signature to the runtime, whose verdict decides), with why where it is not the
/// file's `result`.
const DECISIONS: &[(u64, &str, &str)] = &[
    (1, "reader:oct", "a mixed set: its HMAC key refuses the public set"),
    (
        2,
        "reader:oct",
        "valid for an HMAC verifier; an HMAC set is no public key set (jwt-wasm's Verifier reads secrets)",
    ),
    (3, "reader:oct", ""),
    (4, "reader:oct", "duplicate kids of HMAC keys: the first key already refuses the set"),
    (5, "runtime", "valid: the RS256 signature is WebCrypto's (keys-js)"),
    (6, "begin:ERR_JWKS_NO_MATCHING_KEY", "use enc: the key is skipped, no key for the token"),
    (7, "reader:rsa_roca", "a ROCA modulus (CVE-2017-15361), refused by its fingerprint"),
    (8, "reader:rsa_short", "1024-bit modulus"),
    (9, "reader:rsa_exponent", "e = 1"),
    (10, "reader:oct", ""),
    (11, "reader:oct", ""),
    (12, "reader:oct", ""),
    (13, "reader:oct", "valid for an HMAC verifier; not a public key"),
    (14, "reader:oct", "valid for an HMAC verifier; not a public key"),
    (15, "reader:oct", "valid for an HMAC verifier; not a public key"),
    (16, "reader:oct", ""),
    (17, "reader:oct", ""),
    (18, "reader:oct", ""),
    (19, "reader:alg", "ES521 on a P-256 key"),
    (20, "reader:alg", "ES224 on a P-256 key"),
    (21, "begin:ERR_JWKS_NO_MATCHING_KEY", "use enc: skipped"),
    (22, "runtime", "a point off the curve: the runtime's key import refuses it (keys-js tests it)"),
    (23, "reader:ec_coordinate", "P-256-sized coordinates on P-384"),
    (24, "reader:malformed", "kty RSA without n"),
    (25, "reader:oct", "an AES key"),
    (26, "reader:oct", "an AES key-wrap key"),
];

fn outcome(group: &Value, jws: &str) -> String {
    let keys = group.get("public").unwrap_or(&group["private"]);
    let all: PublicAlgorithmSet = PublicAlgorithm::ALL.into_iter().collect();
    let read = match read_jwks(&keys.to_string(), all) {
        Ok(r) => r,
        Err(e) => return format!("reader:{}", e.jwk_problem().map_or(e.code(), |p| p.as_str())),
    };
    let policy = Validation::new([Algorithm::HS256].into_iter().collect()).unwrap();
    let v = PublicVerifier::new(read.keys, all, policy).unwrap();
    match v.begin(jws.as_bytes(), 0.0, &mut Buffers::default()) {
        Ok(_) => "runtime".into(),
        Err(e) => format!("begin:{}", e.code()),
    }
}

#[test]
fn every_json_web_key_case_by_tcid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/wycheproof/json_web_key_test.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut seen = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let got = outcome(group, t["jws"].as_str().unwrap());
            let (_, want, why) = DECISIONS
                .iter()
                .find(|d| d.0 == id)
                .unwrap_or_else(|| panic!("tcId {id}: no decision, got {got}"));
            assert_eq!(&got, want, "tcId {id} ({}): {why}", t["comment"]);
            // Only a case the file calls valid, or one the runtime decides, may reach the runtime.
            if got == "runtime" && t["result"] != "valid" {
                assert!(
                    !why.is_empty(),
                    "tcId {id}: an invalid case reaches the runtime without a stated reason"
                );
            }
            seen.push(id);
        }
    }
    assert_eq!(seen.len() as u64, doc["numberOfTests"].as_u64().unwrap());
    assert_eq!(seen.len(), DECISIONS.len());
}
