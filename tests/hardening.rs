//! The defects of issue 8 through the Rust API: empty lists, `typ`, the header cap, messages,
//! a non-finite `now`, secrets that are not HMAC secrets, one secret under two algorithms, and
//! a key bound to its issuer. The JS side has the same cases (tests/js/core/hardening.test.mjs).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use jwt_wasm::{Algorithm, HmacKey, KeyRing, Signer, Validation, Verifier};

const SECRET: &[u8] = b"hardening test secret, 32+ bytes long";

fn key() -> HmacKey {
    HmacKey::new(None, Algorithm::HS256, SECRET).unwrap()
}

fn policy() -> Validation {
    Validation::new([Algorithm::HS256].into_iter().collect()).unwrap()
}

/// A change to the default policy, named for the failure message.
type Change = (&'static str, fn(&mut Validation));

fn build(v: Validation) -> Result<Verifier, jwt_wasm::Error> {
    Verifier::new(KeyRing::new(vec![key()]).unwrap(), v)
}

#[test]
fn empty_lists_and_values_are_refused_never_read_as_no_check() {
    let cases: [Change; 8] = [
        ("issuer []", |v| v.issuer = Some(vec![])),
        ("issuer [\"\"]", |v| v.issuer = Some(vec![String::new()])),
        ("audience []", |v| v.audience = Some(vec![])),
        ("audience [\"a\", \"\"]", |v| v.audience = Some(vec!["a".into(), String::new()])),
        ("subject \"\"", |v| v.subject = Some(String::new())),
        ("typ \"\"", |v| v.typ = Some(String::new())),
        ("required_claims []", |v| v.required_claims.clear()),
        ("required_claims [\"\"]", |v| v.required_claims = vec![String::new()]),
    ];
    for (what, set) in cases {
        let mut v = policy();
        set(&mut v);
        let e = build(v).expect_err(what);
        assert_eq!(e.code(), "ERR_INVALID_OPTIONS", "{what}");
    }
    // `None` is "not checked" (issuer, subject, typ) or "no aud allowed" (audience).
    let token = Signer::new(key()).sign(r#"{"iss":"any","exp":2000000000}"#, None).unwrap();
    assert!(build(policy()).unwrap().verify(&token, 1.0e9).is_ok());
}
