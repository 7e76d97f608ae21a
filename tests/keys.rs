//! The public-key capability (feature `keys`) against the RFC vectors (tests/vectors/keys/rfc.json:
//! RFC 7515 A.2 and A.3, RFC 8037 A.4, RFC 7520 §4.1–§4.3): the signature arithmetic is the
//! runtime's, so this asserts what `begin` hands it (the chosen key, the signing input's length,
//! the signature bytes) and what `end` makes of each verdict. The attacks are in tests/keys_attacks.rs.
#![cfg(feature = "keys")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation
)]

use jwt_wasm::{
    read_jwk, Algorithm, Buffers, PublicAlgorithm, PublicAlgorithmSet, PublicKey, PublicVerifier, Read,
    Validation,
};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys/rfc.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn allowed(case: &Value) -> PublicAlgorithmSet {
    case["allowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| PublicAlgorithm::from_name(a.as_str().unwrap()).unwrap())
        .collect()
}

/// The policy of these cases: the defaults (exp required), HS256 as the unread HMAC allowlist.
fn policy() -> Validation {
    Validation::new([Algorithm::HS256].into_iter().collect()).unwrap()
}

fn b64url(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    jwt_wasm::__fuzz::b64_decode_into(s.as_bytes(), &mut out).unwrap();
    out
}

fn key(case: &Value) -> Option<PublicKey> {
    match read_jwk(&case["jwk"].to_string(), allowed(case)).unwrap() {
        Read::Key(k) => Some(k),
        Read::Skipped => None,
    }
}

#[test]
fn every_rfc_vector_goes_through_begin_and_end() {
    let cases = cases();
    assert_eq!(cases.len(), 6);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let token = case["token"].as_str().unwrap();
        let now = case["now"].as_f64().unwrap();
        let k = key(case);
        if case["skipped"] == true {
            assert!(k.is_none(), "{name}: the key is skipped");
        }
        let keys: Vec<PublicKey> = k.into_iter().collect();
        let v = PublicVerifier::new(keys.clone(), allowed(case), policy()).unwrap();
        let mut bufs = Buffers::default();
        let begun = v.begin(token.as_bytes(), now, &mut bufs);
        if let Some(code) = case["begin"].as_str() {
            assert_eq!(begun.unwrap_err().code(), code, "{name}");
            continue;
        }
        let begun = begun.unwrap_or_else(|e| panic!("{name}: {e}"));
        let alg = PublicAlgorithm::from_name(case["alg"].as_str().unwrap()).unwrap();
        assert_eq!((begun.key, keys[0].alg()), (0, alg), "{name}: the key and its algorithm");
        assert_eq!(begun.signed_len, token.rfind('.').unwrap(), "{name}: the signing input");
        let sig = b64url(token.rsplit('.').next().unwrap());
        assert_eq!(bufs.signature(), sig.as_slice(), "{name}: the signature bytes");
        assert_eq!(sig.len() as u64, case["signature_bytes"].as_u64().unwrap(), "{name}");
        // The verdict: a refusal is a refusal, whatever the payload.
        let refused = v.end(token.as_bytes(), now, false, 0, &mut bufs).unwrap_err();
        assert_eq!(refused.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "{name}");
        let ended = v.end(token.as_bytes(), now, true, 0, &mut bufs);
        match case["end"].as_str().unwrap() {
            "ok" => {
                ended.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(bufs.payload_json().contains("\"iss\":\"joe\""), "{name}");
                // Time is judged after the signature: expired now, but only with a verified one.
                let late = v.end(token.as_bytes(), 1_300_819_381.0, true, 0, &mut bufs).unwrap_err();
                assert_eq!(late.code(), "ERR_JWT_EXPIRED", "{name}");
                let forged = v.end(token.as_bytes(), 1_300_819_381.0, false, 0, &mut bufs).unwrap_err();
                assert_eq!(forged.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "{name}");
            }
            code => assert_eq!(ended.unwrap_err().code(), code, "{name}"),
        }
        // `end` keeps no state from `begin`: another key index than the one steps 1-4 choose.
        assert_eq!(
            v.end(token.as_bytes(), now, true, 1, &mut bufs).unwrap_err().code(),
            "ERR_INVALID_OPTIONS"
        );
    }
}

#[test]
fn the_minimal_jwk_is_what_was_read_without_kid_alg_use() {
    for case in cases().iter().filter(|c| c["skipped"] != true) {
        let k = key(case).unwrap();
        let jwk: Value = serde_json::from_str(&k.jwk()).unwrap();
        let mut want = case["jwk"].clone();
        for m in ["kid", "alg", "use"] {
            want.as_object_mut().unwrap().remove(m);
        }
        assert_eq!(jwk, want, "{}", case["name"]);
        assert_eq!(k.kid(), case["jwk"]["kid"].as_str());
    }
}

#[test]
fn eddsa_and_ed25519_are_two_names_of_one_scheme() {
    let case = &cases()[2];
    let token = case["token"].as_str().unwrap();
    let jwk = case["jwk"].to_string();
    let only = |a| -> PublicAlgorithmSet { [a].into_iter().collect() };
    // Only RFC 9864's name allowed: the key is bound to Ed25519, and a token saying EdDSA is
    // not allowed (its alg must be exactly a name of the allowlist).
    let Read::Key(k) = read_jwk(&jwk, only(PublicAlgorithm::Ed25519)).unwrap() else { panic!() };
    assert_eq!(k.alg(), PublicAlgorithm::Ed25519);
    let v = PublicVerifier::new(vec![k.clone()], only(PublicAlgorithm::Ed25519), policy()).unwrap();
    let e = v.begin(token.as_bytes(), 0.0, &mut Buffers::default()).unwrap_err();
    assert_eq!(e.code(), "ERR_JOSE_ALG_NOT_ALLOWED");
    // Both allowed: a key bound to Ed25519 verifies a token named EdDSA.
    let both: PublicAlgorithmSet = [PublicAlgorithm::EdDSA, PublicAlgorithm::Ed25519].into_iter().collect();
    let v = PublicVerifier::new(vec![k], both, policy()).unwrap();
    assert_eq!(v.begin(token.as_bytes(), 0.0, &mut Buffers::default()).unwrap().key, 0);
}
