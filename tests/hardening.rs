//! The defects of issue 8 through the Rust API: empty lists, `typ`, the header cap, messages,
//! a non-finite `now`, secrets that are not HMAC secrets, one secret under two algorithms, and
//! a key bound to its issuer. The JS side has the same cases (tests/js/core/hardening.test.mjs).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use jwt_wasm::{
    dangerous, Algorithm, HmacKey, KeyRing, Limits, Signer, Validation, Verifier, DEFAULT_MAX_HEADER_BYTES,
};

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

#[test]
fn the_header_cap_is_configurable_for_verify_decode_and_inspect() {
    let kid = "k".repeat(10_000);
    let key = HmacKey::new(Some(&kid), Algorithm::HS256, SECRET).unwrap();
    let token = Signer::new(key.clone()).sign(r#"{"sub":"big","exp":2000000000}"#, None).unwrap();
    let verifier = |header: Option<usize>| {
        let mut v = policy();
        v.max_token_bytes = 65536;
        v.max_header_bytes = header;
        Verifier::new(KeyRing::new(vec![key.clone()]).unwrap(), v)
    };
    assert_eq!(verifier(None).unwrap().verify(&token, 1.0e9).unwrap_err().code(), "ERR_JWT_TOO_LARGE");
    assert!(verifier(Some(16384)).unwrap().verify(&token, 1.0e9).is_ok());
    for bad in [Some(0), Some(65537)] {
        assert_eq!(verifier(bad).unwrap_err().code(), "ERR_INVALID_OPTIONS", "{bad:?}");
    }
    let caps = Limits { max_token_bytes: 65536, max_header_bytes: Some(16384) };
    assert!(dangerous::decode_unverified(&token, caps).is_ok());
    assert!(dangerous::inspect(&token, 1.0e9, 7200.0, caps).is_ok());
    assert_eq!(dangerous::decode_unverified(&token, 65536).unwrap_err().code(), "ERR_JWT_TOO_LARGE");
    let above = Limits { max_token_bytes: 100, max_header_bytes: Some(101) };
    assert_eq!(dangerous::decode_unverified(&token, above).unwrap_err().code(), "ERR_INVALID_OPTIONS");
    // The default header cap follows a lower token cap.
    assert_eq!(Limits::from(100).header_cap(), 100);
    assert_eq!(Limits::from(65536).header_cap(), DEFAULT_MAX_HEADER_BYTES);
}

#[test]
fn a_non_finite_now_is_refused_before_parsing_or_mac_even_for_a_forgery() {
    let verifier = build(policy()).unwrap();
    let good = Signer::new(key()).sign(r#"{"exp":2000000000}"#, None).unwrap();
    let forged = format!("{}AAAA", &good[..good.len() - 4]);
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for token in [good.as_str(), forged.as_str(), "not a token", ""] {
            let e = verifier.verify(token, now).unwrap_err();
            assert_eq!(e.code(), "ERR_INVALID_OPTIONS", "now {now}, token {token:?}");
        }
    }
    assert_eq!(verifier.verify(&forged, 1.0e9).unwrap_err().code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
}

#[test]
fn a_required_claim_name_with_a_control_character_is_refused() {
    for name in ["a\0b", "\n", "x\u{7f}", "tab\there", "c1\u{85}"] {
        let mut v = policy();
        v.required_claims = vec!["exp".into(), name.into()];
        assert_eq!(build(v).unwrap_err().code(), "ERR_INVALID_OPTIONS", "{name:?}");
    }
}
