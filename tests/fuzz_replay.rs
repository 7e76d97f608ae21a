//! Replays the coverage-guided fuzzer's kept corpus (tests/fuzz/corpus/<target>/, seeds from
//! tests/vectors plus what coverage grew) and every crash it found through the same checks the
//! fuzz targets run (tests/fuzz/src/, included here), so `cargo test` keeps their properties without
//! libFuzzer: the JSON reader is never looser than serde_json, base64url is canonical, verify,
//! decode_unverified and inspect agree, and a signed token verifies and round-trips.
//!
//! A crash found by `make fuzz` becomes a `#[test]` below that replays its input (kept inline,
//! so the artifact file need not be), named after what it broke.
#![cfg(feature = "hmac")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

#[path = "fuzz/src/codec.rs"]
mod codec;
#[cfg(feature = "jwe")]
#[path = "fuzz/src/jwe.rs"]
mod jwe;
#[cfg(feature = "keys")]
#[path = "fuzz/src/keys.rs"]
mod keys;
#[path = "fuzz/src/oracle.rs"]
mod oracle;
#[path = "fuzz/src/sign.rs"]
mod sign;
#[path = "fuzz/src/token.rs"]
mod token;
#[path = "fuzz/src/world.rs"]
mod world;

use std::path::Path;

/// Every file of tests/fuzz/corpus/<target>/ through `check`; the corpus must not be empty.
fn replay(target: &str, check: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fuzz").join("corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{target}: only {} corpus files in {}", files.len(), dir.display());
    for path in &files {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{target}: corpus file {} fails its check", path.display());
        }
    }
}

#[test]
fn corpus_verify() {
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    replay("verify", |data| {
        accepted.fetch_add(token::verify(data), std::sync::atomic::Ordering::Relaxed);
    });
    // The corpus reaches past the MAC into the claims and the policy, not only the parsers.
    let accepted = accepted.into_inner();
    assert!(accepted >= 20, "only {accepted} corpus tokens verified");
}

#[test]
fn corpus_decode_unverified() {
    replay("decode_unverified", token::decode_unverified);
}

#[test]
fn corpus_inspect() {
    replay("inspect", token::inspect);
}

#[test]
fn corpus_json_never_looser_than_serde() {
    replay("json", codec::json);
}

#[test]
fn corpus_base64url() {
    replay("base64url", codec::base64url);
}

#[test]
fn corpus_sign_verify() {
    replay("sign_verify", sign::sign_verify);
}

#[cfg(feature = "jwe")]
#[test]
fn corpus_jwe() {
    let decrypted = std::sync::atomic::AtomicUsize::new(0);
    replay("jwe", |data| {
        decrypted.fetch_add(jwe::jwe_decrypt(data), std::sync::atomic::Ordering::Relaxed);
    });
    // The corpus reaches the content decryption of every alg × enc, not only the parsers.
    let decrypted = decrypted.into_inner();
    assert!(decrypted >= 12, "only {decrypted} corpus inputs decrypted");
}

/// The JWE check catches what it claims to: a decrypter that accepted a changed token would fail.
#[cfg(feature = "jwe")]
#[test]
fn the_jwe_check_refuses_a_changed_token() {
    let caught = std::panic::catch_unwind(|| {
        // Mode 1 with a bit index landing in the tag: must be refused, so the check passes.
        jwe::jwe_decrypt(&[1, 0, 200, b'{', b'}'])
    });
    assert_eq!(caught.ok(), Some(1));
}

/// The checks themselves can fail: a forged token, a looser JSON reader or a non-canonical
/// base64url spelling would be caught (guards against a harness that asserts nothing).
#[test]
fn the_checks_catch_what_they_claim_to() {
    assert!(oracle::reference_b64_decode(b"YR").is_none());
    assert_eq!(oracle::reference_b64_decode(b"YQ").unwrap(), b"a");
    assert!(!oracle::json_never_looser_than_serde(r#"{"a":1,"a":2}"#));
    let looser = std::panic::catch_unwind(|| {
        // serde_json refuses a trailing comma; had our reader accepted it, the oracle panics.
        let text = r#"{"a":1,}"#;
        assert!(jwt_wasm::json::parse_object(text).is_err());
        oracle::json_never_looser_than_serde(text)
    });
    assert!(matches!(looser, Ok(false)));
    let w = world::world();
    let stranger = w.keys.iter().find(|k| !k.held).unwrap();
    let token = world::sign_raw(&stranger.key, br#"{"alg":"HS256","kid":"k1"}"#, br#"{"exp":1800000000}"#);
    assert!(w.verifiers().iter().all(|v| v.verify(&token, world::NOW).is_err()));
}

#[cfg(feature = "keys")]
#[test]
fn corpus_jwk_read() {
    let read = std::sync::atomic::AtomicUsize::new(0);
    replay("jwk_read", |data| {
        read.fetch_add(keys::jwk_read(data), std::sync::atomic::Ordering::Relaxed);
    });
    // The corpus reaches keys that are read and round-trip, not only refusals.
    let read = read.into_inner();
    assert!(read >= 8, "only {read} corpus inputs read a key");
}

#[cfg(feature = "keys")]
#[test]
fn corpus_pk_verify() {
    let begun = std::sync::atomic::AtomicUsize::new(0);
    replay("pk_verify", |data| {
        begun.fetch_add(keys::pk_verify(data), std::sync::atomic::Ordering::Relaxed);
    });
    let begun = begun.into_inner();
    assert!(begun >= 3, "only {begun} corpus tokens reached the runtime's step");
}

#[cfg(feature = "keys")]
#[test]
fn corpus_cert_key() {
    let read = std::sync::atomic::AtomicUsize::new(0);
    replay("cert_key", |data| {
        read.fetch_add(keys::cert_key(data), std::sync::atomic::Ordering::Relaxed);
    });
    let read = read.into_inner();
    assert!(read >= 4, "only {read} corpus certificates gave a JWK");
}
