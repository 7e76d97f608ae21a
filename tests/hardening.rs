//! The defects of issue 8 through the Rust API: empty lists, `typ`, the header cap, messages,
//! a non-finite `now`, secrets that are not HMAC secrets, one secret under two algorithms, and
//! a key bound to its issuer. The JS side has the same cases (tests/js/core/hardening.test.mjs).
#![cfg(feature = "hmac")]
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

/// A self-signed P-256 certificate (made for these tests with `openssl req -x509`), as DER.
const CERT_DER_HEX: &str = "308201853082012ba003020102021477ddd273ff7904c29b507a2bf3e95eb7abce981c300a06082a8648ce3d04030230183116301406035504030c0d6a77742d7761736d2074657374301e170d3236313230313233343133325a170d3336313132383233343133325a30183116301406035504030c0d6a77742d7761736d20746573743059301306072a8648ce3d020106082a8648ce3d03010703420004b624c931e6b0e03d765675a8e3b05e343900018ab03bc8681d91688436e650f03de980953d332f5d9682d1351d1f12014c5481f66435393dd26b775e631aa9fda3533051301d0603551d0e04160414b48f9b85c266f11c613fceb00539dd334d649fad301f0603551d23041830168014b48f9b85c266f11c613fceb00539dd334d649fad300f0603551d130101ff040530030101ff300a06082a8648ce3d04030203480030450220424e68064cd895d2a6130097ae2cbc5961f44a8b9674fbe7e2bf58662b610042022100b6b841c769ca0cb27002d479b8e58dd284a738ef96dc31c55359d25b537df519";
/// Its SubjectPublicKeyInfo, as DER.
const SPKI_DER_HEX: &str = "3059301306072a8648ce3d020106082a8648ce3d03010703420004b624c931e6b0e03d765675a8e3b05e343900018ab03bc8681d91688436e650f03de980953d332f5d9682d1351d1f12014c5481f66435393dd26b775e631aa9fd";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn problem(secret: &[u8]) -> Option<&'static str> {
    HmacKey::new(None, Algorithm::HS256, secret).err().map(|e| {
        assert_eq!(e.code(), "ERR_KEY_INVALID");
        e.key_problem().unwrap().as_str()
    })
}

#[test]
fn public_key_formats_are_not_hmac_secrets() {
    let spki =
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtiTJMeaw4D12VnWo47BeNDkAAYqw\n\
                O8hoHZFohDbmUPA96YCVPTMvXZaC0TUdHxIBTFSB9mQ1OT3Sa3deYxqp/Q==\n-----END PUBLIC KEY-----\n";
    let cases: [(&[u8], &str); 12] = [
        (spki.as_bytes(), "pem_public"),
        (format!("\n \t{spki}").as_bytes().to_vec().leak(), "pem_public"),
        (b"-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA...\n-----END RSA PUBLIC KEY-----", "pem_public"),
        (b"-----BEGIN CERTIFICATE-----\nMIIBhTCCASugAwIBAgIU...\n-----END CERTIFICATE-----", "pem_public"),
        (b"-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49...\n-----END PRIVATE KEY-----", "pem"),
        (b"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB...\n-----END EC PRIVATE KEY-----", "pem"),
        (b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host", "ssh"),
        (b"  ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me", "ssh"),
        (b"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEm me", "ssh"),
        (br#" {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB"}"#, "jwk"),
        (&hex(SPKI_DER_HEX), "der"),
        (&hex(CERT_DER_HEX), "der"),
    ];
    for (secret, want) in cases {
        assert_eq!(
            problem(secret),
            Some(want),
            "{:?}",
            String::from_utf8_lossy(&secret[..20.min(secret.len())])
        );
    }
    let e = HmacKey::new(None, Algorithm::HS512, spki.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("RS256→HS256"), "{e}");
    // A PEM armour line anywhere is refused, whatever precedes it (a comment, a name): the
    // bypass class of fast-jwt's GHSA-ww5h-9m49-7xx4.
    let armoured: &[u8] = b"my secret mentions -----BEGIN PUBLIC KEY----- in the middle";
    assert_eq!(problem(armoured), Some("pem_public"));
    // Not key formats: ordinary secrets, JSON without kty.
    for secret in [
        &b"a shared secret of at least thirty-two bytes!"[..],
        br#"{"note":"a json secret with no key type member"}"#,
        b"ssh-rsaAAAA but no space, so no ssh key at all, 32+",
    ] {
        assert_eq!(problem(secret), None, "{:?}", String::from_utf8_lossy(secret));
    }
}

#[test]
fn random_secrets_are_never_mistaken_for_der() {
    // xorshift64*: deterministic, so a failure is reproducible.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    for n in 0..60_000 {
        let len: usize = [32, 48, 64, 100][n % 4];
        let mut secret: Vec<u8> = (0..len).map(|_| next().to_le_bytes()[0]).collect();
        // Start a third of them like DER (a SEQUENCE of the right length), the likeliest false positive.
        if n % 3 == 0 {
            secret[0] = 0x30;
            secret[1] = u8::try_from(len - 2).unwrap();
        }
        assert_eq!(problem(&secret), None, "{secret:02x?}");
    }
}

#[test]
fn one_secret_under_two_algorithms_is_refused_when_the_ring_is_built() {
    let secret = [7u8; 64];
    let a = HmacKey::new(Some("a"), Algorithm::HS256, &secret).unwrap();
    let b = HmacKey::new(Some("b"), Algorithm::HS512, &secret).unwrap();
    let e = KeyRing::new(vec![a.clone(), b]).unwrap_err();
    assert_eq!((e.code(), e.key_problem().unwrap().as_str()), ("ERR_KEY_INVALID", "two_algorithms"));
    assert!(e.to_string().contains("RFC 8725 §3.1"), "{e}");
    // The same secret under one algorithm with two kids, and different secrets, are fine.
    let c = HmacKey::new(Some("c"), Algorithm::HS256, &secret).unwrap();
    assert!(KeyRing::new(vec![a.clone(), c]).is_ok());
    let d = HmacKey::new(Some("d"), Algorithm::HS512, &[8u8; 64]).unwrap();
    assert!(KeyRing::new(vec![a.clone(), d]).is_ok());
    let same = KeyRing::new(vec![a.clone(), a.clone()]).unwrap_err();
    assert_eq!(same.key_problem().unwrap().as_str(), "ambiguous");
    // HMAC pads keys with zeros: the secret with a zero byte appended is the same key.
    let padded = [&secret[..], &[0u8]].concat();
    let p = HmacKey::new(Some("p"), Algorithm::HS512, &padded).unwrap();
    let e = KeyRing::new(vec![a, p]).unwrap_err();
    assert_eq!(e.key_problem().unwrap().as_str(), "two_algorithms");
}

#[test]
fn a_key_bound_to_an_issuer_accepts_only_tokens_of_that_issuer() {
    let key_a = HmacKey::new(Some("a"), Algorithm::HS256, &[1u8; 32])
        .unwrap()
        .with_issuer("https://a.example")
        .unwrap();
    let key_b = HmacKey::new(Some("b"), Algorithm::HS256, &[2u8; 32])
        .unwrap()
        .with_issuer("https://b.example")
        .unwrap();
    let mut v = policy();
    v.issuer = Some(vec!["https://a.example".into(), "https://b.example".into()]);
    let verifier =
        Verifier::new(KeyRing::new(vec![key_a.clone(), key_b.clone()]).unwrap(), v.clone()).unwrap();
    let sign = |k: &HmacKey, payload: &str| Signer::new(k.clone()).sign(payload, None).unwrap();
    let claims_a = r#"{"iss":"https://a.example","exp":2000000000}"#;
    assert!(verifier.verify(&sign(&key_a, claims_a), 1.0e9).is_ok());
    // Claims A, signed with B's key: refused, iss check_failed.
    let e = verifier.verify(&sign(&key_b, claims_a), 1.0e9).unwrap_err();
    assert_eq!(
        (e.code(), e.claim_name(), e.reason().map(jwt_wasm::ClaimReason::as_str)),
        ("ERR_JWT_CLAIM_VALIDATION_FAILED", Some("iss"), Some("check_failed"))
    );
    // No iss at all: missing (the allowlist says so first; without one, the key does).
    let e = verifier.verify(&sign(&key_b, r#"{"exp":2000000000}"#), 1.0e9).unwrap_err();
    assert_eq!(
        (e.claim_name(), e.reason().map(jwt_wasm::ClaimReason::as_str)),
        (Some("iss"), Some("missing"))
    );
    let lone = Verifier::new(KeyRing::new(vec![key_b.clone()]).unwrap(), policy()).unwrap();
    let e = lone.verify(&sign(&key_b, r#"{"exp":2000000000}"#), 1.0e9).unwrap_err();
    assert_eq!(
        (e.claim_name(), e.reason().map(jwt_wasm::ClaimReason::as_str)),
        (Some("iss"), Some("missing"))
    );
    // A key bound to an issuer the allowlist refuses could never verify: refused up front.
    let key_c =
        HmacKey::new(None, Algorithm::HS256, &[3u8; 32]).unwrap().with_issuer("https://c.example").unwrap();
    assert_eq!(
        Verifier::new(KeyRing::new(vec![key_c]).unwrap(), v).unwrap_err().code(),
        "ERR_INVALID_OPTIONS"
    );
    assert_eq!(key().with_issuer("").unwrap_err().code(), "ERR_INVALID_OPTIONS");
}
