//! The error contract: stable codes (with a drift guard on `tests/vectors/protocol.json`, the
//! wire protocol generated from src/protocol.rs, which the JS layer's classes are built from),
//! unique codes, and messages that never echo token, key or claim bytes.
//!
//! When a code is added or renamed on purpose, change it in src/protocol.rs and regenerate with
//! `cargo run --example protocol` (`make lint` runs it with `--check`).
#![cfg(feature = "jwe")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use jwt_wasm::{dangerous, Algorithm, Error, HmacKey, KeyRing, Signer, Validation, Verifier};
use jwt_wasm::{
    ContentEncryption, Decrypter, EncSet, Encrypter, JweKey, JweKeyRing, KeyManagement, KeyManagementSet,
    Limits,
};

const MARKER: &str = "MARKER_7f3a";
const SECRET: &str = "SECRET_c91e_a shared secret of at least 64 bytes, for every algorithm!!";

fn protocol_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("vectors").join("protocol.json")
}

#[test]
fn protocol_json_errors_match_the_code() {
    let path = protocol_path();
    let how =
        "regenerate it with `cargo run --example protocol` (protocol numbers change only in src/protocol.rs)";
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}; {how}", path.display()));
    let doc: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}; {how}", path.display()));
    let rows = doc["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{} has no \"errors\" array; {how}", path.display()));
    let in_file: BTreeMap<u32, (String, String)> = rows
        .iter()
        .map(|r| {
            let number = u32::try_from(r["number"].as_u64().expect("numeric number")).unwrap();
            let text = |k: &str| r[k].as_str().unwrap_or_else(|| panic!("a string {k}")).to_owned();
            (number, (text("code"), text("message")))
        })
        .collect();
    assert_eq!(in_file.len(), rows.len(), "tests/vectors/protocol.json repeats an error number; {how}");
    let in_code: BTreeMap<u32, String> =
        jwt_wasm::all_codes().iter().map(|(n, c)| (*n, (*c).to_owned())).collect();
    let file_codes: BTreeMap<u32, String> = in_file.iter().map(|(n, (c, _))| (*n, c.clone())).collect();
    assert_eq!(
        file_codes, in_code,
        "tests/vectors/protocol.json disagrees with jwt_wasm::all_codes(); {how}"
    );
    // The protocol's rows are the kinds' rows: same numbers, codes and default messages.
    let rows: BTreeMap<u32, (String, String)> = jwt_wasm::protocol::err::ALL
        .iter()
        .map(|(_, e)| (e.number, (e.code.to_owned(), e.message.to_owned())))
        .collect();
    assert_eq!(rows, in_file, "src/protocol.rs err::ALL disagrees with tests/vectors/protocol.json; {how}");
}

#[test]
fn codes_and_numbers_are_unique_and_well_formed() {
    let all = jwt_wasm::all_codes();
    let numbers: BTreeSet<u32> = all.iter().map(|(n, _)| *n).collect();
    let codes: BTreeSet<&str> = all.iter().map(|(_, c)| *c).collect();
    assert_eq!(numbers.len(), all.len(), "duplicate error numbers: {all:?}");
    assert_eq!(codes.len(), all.len(), "duplicate error codes: {all:?}");
    assert!(!numbers.contains(&0), "0 means success at the wasm boundary");
    for (_, code) in all {
        assert!(
            code.starts_with("ERR_") && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
            "{code} is not an ERR_UPPER_SNAKE code"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Messages never echo input.

fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let mut acc = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            acc |= u32::from(b) << (16 - 8 * i);
        }
        for i in 0..=chunk.len() {
            out.push(char::from(A[((acc >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn key(kid: Option<&str>, alg: Algorithm) -> HmacKey {
    HmacKey::new(kid, alg, SECRET.as_bytes()).unwrap()
}

/// A token over raw header and payload bytes, with a correct HS256 MAC under `SECRET`.
fn signed(header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let tag = key(None, Algorithm::HS256).sign(&[input.as_bytes()]);
    format!("{input}.{}", b64(&tag))
}

fn policy() -> Validation {
    Validation::new([Algorithm::HS256].into_iter().collect()).unwrap()
}

fn verifier(v: Validation, keys: Vec<HmacKey>) -> Verifier {
    Verifier::new(KeyRing::new(keys).unwrap(), v).unwrap()
}

/// Asserts that neither Display nor Debug of `err` contains the marker (or the secret).
fn assert_quiet(err: &Error, what: &str, seen: &mut BTreeSet<&'static str>) {
    let shown = err.to_string();
    let debug = format!("{err:?}");
    for text in [&shown, &debug] {
        assert!(!text.contains(MARKER), "{what}: {:?} echoes input: {text}", err.code());
        assert!(!text.contains("SECRET_c91e"), "{what}: {:?} echoes the secret: {text}", err.code());
    }
    assert!(!shown.is_empty(), "{what}: empty message");
    let number = err.kind().number();
    assert!(
        jwt_wasm::all_codes().contains(&(number, err.code())),
        "{what}: ({number}, {}) is not in all_codes()",
        err.code()
    );
    seen.insert(err.code());
}

#[test]
fn messages_never_echo_token_key_or_claim_bytes() {
    let m = MARKER;
    let mut seen = BTreeSet::new();
    let now = 1_700_000_000.0;
    let header_ok = format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{m}","x-{m}":"{m}"}}"#);
    let payload_ok = format!(r#"{{"sub":"{m}","{m}":["{m}"],"exp":1700000600}}"#);
    let h = b64(header_ok.as_bytes());
    let p = b64(payload_ok.as_bytes());
    let good = signed(header_ok.as_bytes(), payload_ok.as_bytes());

    // Tokens that fail verification at each step, every part carrying the marker.
    let mut tokens: Vec<(&str, String)> = vec![
        ("too large", format!("{good}{}", m.repeat(2000))),
        ("two segments", format!("{h}.{p}")),
        ("four segments", format!("{good}.{m}")),
        ("raw marker segments", format!("{m}.{m}.{m}")),
        ("bad base64", format!("{h}.{p}!{m}.AAAA")),
        ("header not an object", signed(format!(r#"["{m}"]"#).as_bytes(), payload_ok.as_bytes())),
        ("header without alg", signed(format!(r#"{{"{m}":"{m}"}}"#).as_bytes(), payload_ok.as_bytes())),
        ("alg not a string", signed(format!(r#"{{"alg":["{m}"]}}"#).as_bytes(), payload_ok.as_bytes())),
        (
            "duplicate header member",
            signed(format!(r#"{{"alg":"HS256","{m}":1,"{m}":2}}"#).as_bytes(), b"{}"),
        ),
        (
            "header control character",
            signed(format!("{{\"alg\":\"HS256\",\"{m}\":\"\u{1}\"}}").as_bytes(), b"{}"),
        ),
        (
            "header invalid utf-8",
            signed(&[b"{\"alg\":\"HS256\",\"".as_slice(), m.as_bytes(), b"\":\"\xff\"}"].concat(), b"{}"),
        ),
        ("crit", signed(format!(r#"{{"alg":"HS256","crit":["{m}"]}}"#).as_bytes(), payload_ok.as_bytes())),
        (
            "cty",
            signed(format!(r#"{{"alg":"HS256","cty":"JWT","{m}":1}}"#).as_bytes(), payload_ok.as_bytes()),
        ),
        ("alg not allowed", signed(format!(r#"{{"alg":"{m}"}}"#).as_bytes(), payload_ok.as_bytes())),
        ("alg none", format!("{}.{p}.", b64(format!(r#"{{"alg":"none","kid":"{m}"}}"#).as_bytes()))),
        ("wrong signature", format!("{h}.{p}.{}", b64(&[7u8; 32]))),
        ("short signature", format!("{h}.{p}.{}", b64(m.as_bytes()))),
        ("payload not an object", signed(header_ok.as_bytes(), format!(r#"["{m}"]"#).as_bytes())),
        ("payload duplicate", signed(header_ok.as_bytes(), format!(r#"{{"{m}":1,"{m}":2}}"#).as_bytes())),
        (
            "payload invalid utf-8",
            signed(header_ok.as_bytes(), &[b"{\"".as_slice(), m.as_bytes(), b"\":\"\xff\"}"].concat()),
        ),
        (
            "payload too deep",
            signed(
                header_ok.as_bytes(),
                format!(r#"{{"{m}":{}{}}}"#, "[".repeat(40), "]".repeat(40)).as_bytes(),
            ),
        ),
        ("exp as string", signed(header_ok.as_bytes(), format!(r#"{{"exp":"{m}"}}"#).as_bytes())),
        (
            "aud as object",
            signed(header_ok.as_bytes(), format!(r#"{{"exp":1700000600,"aud":{{"{m}":"{m}"}}}}"#).as_bytes()),
        ),
        ("iss as number", signed(header_ok.as_bytes(), br#"{"exp":1700000600,"iss":7}"#)),
        ("exp missing", signed(header_ok.as_bytes(), format!(r#"{{"{m}":"{m}"}}"#).as_bytes())),
        ("expired", signed(header_ok.as_bytes(), format!(r#"{{"sub":"{m}","exp":1}}"#).as_bytes())),
        (
            "not yet valid",
            signed(
                header_ok.as_bytes(),
                format!(r#"{{"sub":"{m}","exp":1800000000,"nbf":1800000000}}"#).as_bytes(),
            ),
        ),
        (
            "future iat",
            signed(
                header_ok.as_bytes(),
                format!(r#"{{"sub":"{m}","exp":1800000000,"iat":1800000000}}"#).as_bytes(),
            ),
        ),
        (
            "aud without audience",
            signed(header_ok.as_bytes(), format!(r#"{{"aud":"{m}","exp":1800000000}}"#).as_bytes()),
        ),
    ];
    tokens.push(("valid token (policy below)", good.clone()));

    // Verifiers: a plain one and one whose every identity check fails against the marker token.
    let plain = verifier(policy(), vec![key(None, Algorithm::HS256)]);
    let mut strict = policy();
    strict.issuer = Some(vec!["https://issuer.example".into()]);
    strict.audience = Some(vec!["api".into()]);
    strict.subject = Some("user-1".into());
    strict.typ = Some("at+jwt".into());
    strict.max_token_age = Some(10.0);
    let strict = verifier(strict, vec![key(None, Algorithm::HS256)]);
    let mut identity = policy();
    identity.subject = Some("user-1".into());
    let identity = verifier(identity, vec![key(None, Algorithm::HS256)]);
    let mut typed = policy();
    typed.typ = Some("at+jwt".into());
    let typed = verifier(typed, vec![key(None, Algorithm::HS256)]);
    let mut aged = policy();
    aged.max_token_age = Some(10.0);
    let aged = verifier(aged, vec![key(None, Algorithm::HS256)]);
    let named = verifier(policy(), vec![key(Some("a"), Algorithm::HS256), key(Some("b"), Algorithm::HS256)]);
    let aged_token =
        signed(header_ok.as_bytes(), format!(r#"{{"sub":"{m}","exp":1800000000,"iat":1}}"#).as_bytes());
    tokens.push(("too old", aged_token));

    let verifiers = [
        ("plain", &plain),
        ("strict", &strict),
        ("identity", &identity),
        ("typed", &typed),
        ("aged", &aged),
        ("named", &named),
    ];
    for (what, token) in &tokens {
        for (vname, v) in verifiers {
            if let Err(e) = v.verify(token, now) {
                assert_quiet(&e, &format!("verify {what} with {vname}"), &mut seen);
            }
        }
        if let Err(e) = dangerous::decode_unverified(token, 16 * 1024) {
            assert_quiet(&e, &format!("decode_unverified {what}"), &mut seen);
        }
        if let Err(e) = dangerous::inspect(token, now, 7200.0, 16 * 1024) {
            assert_quiet(&e, &format!("inspect {what}"), &mut seen);
        }
    }

    // Signing refuses payloads that are not strict claims sets.
    let signer = Signer::new(key(Some(m), Algorithm::HS256));
    for payload in [
        format!(r#"["{m}"]"#),
        format!(r#"{{"exp":"{m}"}}"#),
        format!(r#"{{"{m}":1,"{m}":2}}"#),
        format!(r#"{{"sub":["{m}"]}}"#),
        format!("{{\"{m}\":\"\u{0}\"}}"),
        m.to_owned(),
    ] {
        let e = signer.sign(&payload, Some(m)).unwrap_err();
        assert_quiet(&e, "sign", &mut seen);
    }

    // Keys and options.
    for secret in [m.as_bytes(), b"".as_slice()] {
        let e = HmacKey::new(Some(m), Algorithm::HS256, secret).unwrap_err();
        assert_quiet(&e, "short key", &mut seen);
    }
    let e = KeyRing::new(vec![key(Some(m), Algorithm::HS256), key(Some(m), Algorithm::HS256)]).unwrap_err();
    assert_quiet(&e, "duplicate kid", &mut seen);
    let e = Verifier::new(KeyRing::new(vec![key(Some(m), Algorithm::HS512)]).unwrap(), policy()).unwrap_err();
    assert_quiet(&e, "key alg not allowed", &mut seen);

    // JWE: malformed, refused, and not decrypting, with the marker in the header and the parts.
    let jwe_key = || JweKey::new(Some(m), KeyManagement::A128Kw, None, &[7; 16]).unwrap();
    let d = Decrypter::new(
        JweKeyRing::new(vec![jwe_key()]).unwrap(),
        KeyManagementSet::new(&[KeyManagement::A128Kw]).unwrap(),
        EncSet::new(&[ContentEncryption::A128Gcm]).unwrap(),
        Limits::from(100_000),
    )
    .unwrap();
    let good = Encrypter::new(jwe_key(), ContentEncryption::A128Gcm)
        .unwrap()
        .encrypt(m.as_bytes(), Some(m), &[1; 16], &[2; 12])
        .unwrap();
    let mut forged: Vec<&str> = good.split('.').collect();
    let tag = b64(&[0; 16]);
    forged[4] = &tag;
    let mb = b64(m.as_bytes());
    for (what, token) in [
        ("jwe forged tag", forged.join(".")),
        ("jwe bad header", format!("{}.{mb}.{mb}.{mb}.{mb}", b64(format!(r#"{{"{m}":1,"#).as_bytes()))),
        (
            "jwe zip",
            format!(
                "{}.{mb}.{mb}.{mb}.{mb}",
                b64(format!(r#"{{"alg":"A128KW","enc":"A128GCM","zip":"{m}"}}"#).as_bytes())
            ),
        ),
        (
            "jwe alg",
            format!("{}.{mb}.{mb}.{mb}.{mb}", b64(format!(r#"{{"alg":"{m}","enc":"A128GCM"}}"#).as_bytes())),
        ),
    ] {
        let e = d.decrypt(token.as_bytes()).unwrap_err();
        assert_quiet(&e, what, &mut seen);
    }

    // Key sets and public keys (feature `keys`): a malformed set, a refused key.
    let allowed: jwt_wasm::PublicAlgorithmSet = [jwt_wasm::PublicAlgorithm::ES256].into_iter().collect();
    for (what, set) in [
        ("jwks not a set", format!(r#"{{"{m}":[]}}"#)),
        (
            "jwks duplicate kid",
            format!(
                r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","x":"{x}","kid":"{m}"}},{{"kty":"OKP","crv":"Ed25519","x":"{x}","kid":"{m}"}}]}}"#,
                x = b64(&[9; 32])
            ),
        ),
        ("jwk private", format!(r#"{{"keys":[{{"kty":"EC","crv":"P-256","d":"{m}"}}]}}"#)),
        (
            "jwk alg",
            format!(r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","x":"{}","alg":"{m}"}}]}}"#, b64(&[9; 32])),
        ),
    ] {
        let e = jwt_wasm::read_jwks(&set, allowed).unwrap_err();
        assert_quiet(&e, what, &mut seen);
    }

    // Every kind of error went through this test.
    let all: BTreeSet<&str> = jwt_wasm::all_codes().iter().map(|(_, c)| *c).collect();
    assert_eq!(seen, all, "some error kinds were never produced by this test");
}

#[test]
fn debug_output_never_shows_secrets() {
    let k = key(Some("kid-1"), Algorithm::HS512);
    let ring = KeyRing::new(vec![k.clone()]).unwrap();
    let v = Verifier::new(ring.clone(), Validation::new([Algorithm::HS512].into_iter().collect()).unwrap())
        .unwrap();
    let s = Signer::new(k.clone());
    for text in [format!("{k:?}"), format!("{ring:?}"), format!("{v:?}"), format!("{s:?}")] {
        assert!(!text.contains("SECRET_c91e"), "Debug shows the secret: {text}");
    }
}

#[test]
fn claim_errors_name_only_registered_or_configured_claims() {
    // A claim error's `claim` is a registered name, "typ", or a configured required claim: the
    // token can make it say nothing else.
    let m = MARKER;
    let mut v = policy();
    v.required_claims = vec!["exp".into(), "scope".into()];
    let v = verifier(v, vec![key(None, Algorithm::HS256)]);
    let h = br#"{"alg":"HS256"}"#;
    for payload in [
        format!(r#"{{"exp":1800000000,"{m}":"{m}"}}"#),
        format!(r#"{{"exp":"{m}"}}"#),
        format!(r#"{{"exp":1,"scope":"{m}"}}"#),
        format!(r#"{{"{m}":1}}"#),
    ] {
        let e = v.verify(&signed(h, payload.as_bytes()), 1_700_000_000.0).unwrap_err();
        let claim = e.claim_name().expect("a claim error");
        assert!(
            ["exp", "nbf", "iat", "iss", "sub", "aud", "jti", "typ", "scope"].contains(&claim),
            "{claim}"
        );
    }
}
