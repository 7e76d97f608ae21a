//! The wasm boundary (`Core`, src/wasm.rs) in a real page of headless Chromium.
//!
//! Every test drives `Core` the way `src/js/index.js` and `src/js/wasm.js` do: operations go
//! through the one dispatching export `call(op, a, b, c, t, u)`, bytes go into the input buffer
//! through a JavaScript `Uint8Array` view of `wasm_bindgen::memory()` at the pointer `input(len)`
//! returned, outputs are read through a view at `out()`/`out_len()` and parsed with the
//! browser's `JSON.parse`. So this proves the pointer/length protocol, not just the Rust core.
//! (The tests call `Core::call` as a Rust method, not through wasm-bindgen's generated JS class;
//! the bytes and the memory they cross are the same.)
//! `tests/worker.rs` runs a smaller set in a dedicated worker (no `window`).
//!
//! Run with `make test-wasm` (`wasm-pack test --headless --chrome ...`).
#![cfg(feature = "hmac")]
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use js_sys::{Array, Date, Reflect, Uint8Array, JSON};
use jwt_wasm::Core;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod boundary;
use boundary::*;

const SECRET: &[u8] = b"a browser-test secret of at least 32 bytes";

/// `verify` output (header NUL payload) parsed by JSON.parse.
fn header_and_payload(core: &Core) -> (JsValue, JsValue) {
    let text = out(core);
    let (header, payload) = text.split_once(SEP_CHAR).expect("header NUL payload");
    (parse(header), parse(payload))
}

/// As `new Verifier({ keys: [{ kid, alg, secret }], algorithms, issuer, requiredClaims })`.
fn verifier(mask: u8, alg: u8, kid: Option<&str>, secret: &[u8], issuer: Option<&str>) -> Core {
    let mut core = Core::new(mask, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    if let Some(iss) = issuer {
        let n = put(&mut core, &[iss.as_bytes()])[0];
        assert_eq!(core.call(op::OPTION, opt::ISSUER, 0, n, 0.0, 0.0), 0);
    }
    let n = put(&mut core, &[b"exp"])[0];
    assert_eq!(
        core.call(op::OPTION, opt::REQUIRED_CLAIMS, 0, n, 0.0, 0.0),
        0,
        "requiredClaims defaults to ['exp'] in JS"
    );
    let lens = put(&mut core, &[kid.unwrap_or("").as_bytes(), secret]);
    let (kid_len, secret_len) = (lens[0], lens[1]);
    let kid_len = if kid.is_some() { i32::try_from(kid_len).unwrap() } else { ABSENT };
    assert_eq!(core.call(op::ADD_KEY, alg, kid_len, secret_len, 0.0, 0.0), 0, "add_key: {}", out(&core));
    assert_eq!(core.call(op::FINISH, 0, 0, 0, 0.0, 0.0), 0, "finish: {}", out(&core));
    core
}

fn rfc_verifier() -> Core {
    verifier(MASK_HS256, HS256, None, &b64url_decode(RFC_K), Some("joe"))
}

fn verify(core: &mut Core, token: &str, now: f64) -> u32 {
    let n = put(core, &[token.as_bytes()])[0];
    core.call(op::VERIFY, 0, 0, n, now, 0.0)
}

/// As `new Signer({ key: { kid, alg, secret } })`.
fn signer(alg: u8, kid: Option<&str>, secret: &[u8]) -> Core {
    let mut core = Core::new(0, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    let lens = put(&mut core, &[kid.unwrap_or("").as_bytes(), secret]);
    let (kid_len, secret_len) = (lens[0], lens[1]);
    let kid_len = if kid.is_some() { i32::try_from(kid_len).unwrap() } else { ABSENT };
    assert_eq!(
        core.call(op::SET_SIGNER, alg, kid_len, secret_len, 0.0, 0.0),
        0,
        "set_signer: {}",
        out(&core)
    );
    core
}

fn sign(core: &mut Core, payload: &str, typ: Option<&str>) -> String {
    let status = match typ {
        None => {
            let n = put(core, &[payload.as_bytes()])[0];
            core.call(op::SIGN, 0, ABSENT, n, 0.0, 0.0)
        }
        Some(t) => {
            let lens = put(core, &[payload.as_bytes(), t.as_bytes()]);
            core.call(op::SIGN, 0, i32::try_from(lens[1]).unwrap(), lens[0], 0.0, 0.0)
        }
    };
    assert_eq!(status, 0, "sign: {}", out(core));
    out(core)
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64url(bytes: &[u8]) -> String {
    let mut s = String::new();
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| usize::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for i in 0..=chunk.len() {
            s.push(char::from(B64URL[(n >> (18 - 6 * i)) & 63]));
        }
    }
    s
}

fn b64url_decode(s: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let (mut acc, mut bits) = (0usize, 0);
    for c in s.bytes() {
        acc = (acc << 6) | B64URL.iter().position(|&a| a == c).expect("base64url");
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push(u8::try_from((acc >> bits) & 0xff).unwrap());
            acc &= (1 << bits) - 1;
        }
    }
    bytes
}

/// The browser's clock in seconds, as `nowSeconds` in src/js/index.js.
fn browser_now() -> f64 {
    Date::now() / 1000.0
}

// ---- the tests --------------------------------------------------------------------------------

#[wasm_bindgen_test]
fn runs_in_a_page_with_window_and_document() {
    let global = js_sys::global();
    assert!(Reflect::has(&global, &"window".into()).unwrap());
    assert!(Reflect::has(&global, &"document".into()).unwrap());
}

#[wasm_bindgen_test]
fn rfc7515_a1_hs256_token_verifies_and_its_payload_parses_with_json_parse() {
    let mut core = rfc_verifier();
    assert_eq!(verify(&mut core, RFC_TOKEN, RFC_NOW), 0, "{}", out(&core));
    let (header, payload) = header_and_payload(&core);
    assert_eq!(get(&header, "alg").as_string().as_deref(), Some("HS256"));
    assert_eq!(get(&header, "typ").as_string().as_deref(), Some("JWT"));
    assert_eq!(get(&payload, "iss").as_string().as_deref(), Some("joe"));
    assert_eq!(get(&payload, "exp").as_f64(), Some(RFC_EXP));
    assert_eq!(get(&payload, "http://example.com/is_root").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn tampered_payload_or_signature_fails_the_mac_check() {
    let mut core = rfc_verifier();
    let segments: Vec<&str> = RFC_TOKEN.split('.').collect();
    let (header, payload, signature) = (segments[0], segments[1], segments[2]);
    // Privilege escalation: the same header and signature over an edited payload.
    let forged = b64url(br#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":false,"admin":true}"#);
    assert_eq!(
        verify(&mut core, &format!("{header}.{forged}.{signature}"), RFC_NOW),
        err::SIGNATURE_INVALID.number
    );
    assert_eq!(out(&core), failure(reason::NONE, ""), "no claim and no payload for a forgery");
    // One signature character changed (not the last, whose trailing bits must stay canonical).
    let mut sig = signature.as_bytes().to_vec();
    sig[5] = if sig[5] == b'A' { b'B' } else { b'A' };
    let sig = String::from_utf8(sig).unwrap();
    assert_eq!(
        verify(&mut core, &format!("{header}.{payload}.{sig}"), RFC_NOW),
        err::SIGNATURE_INVALID.number
    );
    // A truncated signature (wrong length) is a signature failure too.
    assert_eq!(
        verify(&mut core, &format!("{header}.{payload}.{}", &signature[..40]), RFC_NOW),
        err::SIGNATURE_INVALID.number
    );
    // The untouched token still verifies with the same engine.
    assert_eq!(verify(&mut core, RFC_TOKEN, RFC_NOW), 0);
}

#[wasm_bindgen_test]
fn forged_token_past_its_exp_reports_the_forgery_not_expiry() {
    let mut core = rfc_verifier();
    let segments: Vec<&str> = RFC_TOKEN.split('.').collect();
    let (header, signature) = (segments[0], segments[2]);
    let forged = b64url(br#"{"iss":"joe","exp":1300819380,"admin":true}"#);
    assert_eq!(
        verify(&mut core, &format!("{header}.{forged}.{signature}"), RFC_EXP + 1.0),
        err::SIGNATURE_INVALID.number
    );
}

#[wasm_bindgen_test]
fn expired_token_reports_exp_and_hands_back_the_verified_payload() {
    let mut core = rfc_verifier();
    // `now >= exp` is expired (no clock tolerance).
    assert_eq!(verify(&mut core, RFC_TOKEN, RFC_EXP), err::EXPIRED.number);
    let text = out(&core);
    let prefix = format!("{}{SEP_CHAR}", failure(reason::CHECK_FAILED, "exp"));
    let rest =
        text.strip_prefix(&prefix).unwrap_or_else(|| panic!("expected {prefix:?} + payload, got {text:?}"));
    assert_eq!(get(&parse(rest), "iss").as_string().as_deref(), Some("joe"));
    // One second earlier it still verifies.
    assert_eq!(verify(&mut core, RFC_TOKEN, RFC_EXP - 1.0), 0);
}

#[wasm_bindgen_test]
fn alg_none_in_any_spelling_is_refused_by_the_allowlist() {
    let mut core = rfc_verifier();
    let payload = RFC_TOKEN.split('.').nth(1).unwrap();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = b64url(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes());
        assert_eq!(
            verify(&mut core, &format!("{header}.{payload}."), RFC_NOW),
            err::ALG_NOT_ALLOWED.number,
            "{alg}"
        );
    }
}

#[wasm_bindgen_test]
fn algorithm_outside_the_allowlist_is_refused_even_with_a_valid_mac() {
    let token = sign(&mut signer(HS512, None, &[7; 64]), r#"{"exp":2000000000}"#, None);
    let mut core = verifier(MASK_HS256, HS256, None, &[7; 64], None);
    assert_eq!(verify(&mut core, &token, RFC_NOW), err::ALG_NOT_ALLOWED.number);
}

#[wasm_bindgen_test]
fn keys_shorter_than_the_hash_output_are_refused_when_configured() {
    for (alg, min) in [(HS256, 32), (HS512, 64)] {
        let mut core = Core::new(MASK_ALL, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
        let short = vec![0x5a; min - 1];
        let n = put(&mut core, &[b"", &short])[1];
        assert_eq!(
            core.call(op::ADD_KEY, alg, ABSENT, n, 0.0, 0.0),
            err::KEY_INVALID.number,
            "{min} - 1 bytes"
        );
        let mut signer = Core::new(0, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
        let n = put(&mut signer, &[b"", &short])[1];
        assert_eq!(
            signer.call(op::SET_SIGNER, alg, ABSENT, n, 0.0, 0.0),
            err::KEY_INVALID.number,
            "signer, {min} - 1 bytes"
        );
        let exact = vec![0x5a; min];
        let n = put(&mut core, &[b"", &exact])[1];
        assert_eq!(core.call(op::ADD_KEY, alg, ABSENT, n, 0.0, 0.0), 0, "{min} bytes");
    }
}

#[wasm_bindgen_test]
fn browser_clock_from_date_now_is_honoured() {
    let now = browser_now();
    let mut signer = signer(HS256, None, SECRET);
    let mut core = verifier(MASK_HS256, HS256, None, SECRET, None);
    let iat = now.floor();
    let fresh =
        sign(&mut signer, &format!(r#"{{"sub":"u1","iat":{iat:.0},"exp":{:.0}}}"#, iat + 3600.0), None);
    assert_eq!(verify(&mut core, &fresh, browser_now()), 0, "{}", out(&core));
    let stale = sign(
        &mut signer,
        &format!(r#"{{"sub":"u1","iat":{:.0},"exp":{:.0}}}"#, iat - 3660.0, iat - 60.0),
        None,
    );
    assert_eq!(verify(&mut core, &stale, browser_now()), err::EXPIRED.number);
    assert!(out(&core).starts_with(&format!("{}{SEP_CHAR}", failure(reason::CHECK_FAILED, "exp"))));
}

#[wasm_bindgen_test]
fn sign_then_verify_round_trips_header_and_claims() {
    let claims =
        r#"{"sub":"user-42","iss":"https://issuer.example","exp":2000000000,"roles":["a","b"],"n":1.5}"#;
    let token = sign(&mut signer(HS256, Some("2026-11"), SECRET), claims, Some("at+jwt"));
    let mut core = verifier(MASK_HS256, HS256, Some("2026-11"), SECRET, Some("https://issuer.example"));
    assert_eq!(verify(&mut core, &token, 1_900_000_000.0), 0, "{}", out(&core));
    let (header, payload) = header_and_payload(&core);
    assert_eq!(get(&header, "alg").as_string().as_deref(), Some("HS256"));
    assert_eq!(get(&header, "kid").as_string().as_deref(), Some("2026-11"));
    assert_eq!(get(&header, "typ").as_string().as_deref(), Some("at+jwt"));
    assert_eq!(JSON::stringify(&payload).unwrap().as_string().as_deref(), Some(claims));
    // A ring without that kid has no key for it.
    let mut other = verifier(MASK_HS256, HS256, Some("2025-01"), SECRET, None);
    assert_eq!(verify(&mut other, &token, 1_900_000_000.0), err::NO_MATCHING_KEY.number);
    // Another secret under the same kid is a signature failure.
    let mut wrong = verifier(MASK_HS256, HS256, Some("2026-11"), &[1; 32], None);
    assert_eq!(verify(&mut wrong, &token, 1_900_000_000.0), err::SIGNATURE_INVALID.number);
}

#[wasm_bindgen_test]
fn decode_and_inspect_read_without_verifying() {
    let claims = r#"{"sub":"u1","iat":1700000000,"exp":1700000900,"email":"a.b@example.org","name":"Ann"}"#;
    let token = sign(&mut signer(HS256, None, SECRET), claims, None);
    // A forged signature: still readable, because nothing is verified here.
    let forged = format!("{}.AAAA", &token[..token.rfind('.').unwrap()]);
    let mut reader = Core::new(0, 0.0, no_max_age(), 0x7fff_ffff, 0);

    let n = put(&mut reader, &[forged.as_bytes()])[0];
    assert_eq!(reader.call(op::DECODE, 0, 0, n, 0.0, 0.0), 0, "{}", out(&reader));
    let (_, payload) = header_and_payload(&reader);
    assert_eq!(get(&payload, "sub").as_string().as_deref(), Some("u1"));

    let now = 1_700_000_600.0;
    let n = put(&mut reader, &[forged.as_bytes()])[0];
    assert_eq!(reader.call(op::INSPECT, 0, 0, n, now, 7200.0), 0, "{}", out(&reader));
    assert_eq!(reader.num(slot::EXP), 1_700_000_900.0, "exp");
    assert!(reader.num(slot::NBF).is_nan(), "no nbf");
    assert_eq!(reader.num(slot::IAT), 1_700_000_000.0, "iat");
    assert_eq!(reader.num(slot::EXPIRES_IN), 300.0, "expires_in");
    assert_eq!(reader.num(slot::EXPIRED), 0.0, "not expired");
    assert_eq!(reader.num(slot::NOT_YET_VALID), 0.0, "valid already");
    assert_eq!(reader.num(slot::LIFETIME), 900.0, "lifetime");
    assert_eq!(reader.num(slot::WARNINGS), f64::from(warn::PERSONAL_DATA), "only the personal_data warning");
    let text = out(&reader);
    let parts: Vec<&str> = text.split(SEP_CHAR).collect();
    assert_eq!(parts.len(), 3, "header NUL payload NUL names");
    let names = parse(parts[2]);
    assert!(Array::is_array(&names));
    let names: Vec<String> = Array::from(&names).iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(names, ["email", "name"]);
}

/// A signed, otherwise valid token of exactly `len` bytes (unpadded base64url lengths skip one
/// residue mod 4, so the kid length is varied too).
fn token_of_len(len: usize) -> (String, &'static str) {
    for kid in ["k", "kk", "kkk", "kkkk"] {
        let mut signer = signer(HS256, Some(kid), SECRET);
        let base = sign(&mut signer, r#"{"exp":2000000000,"pad":""}"#, None).len();
        let estimate = len.saturating_sub(base) * 3 / 4;
        for pad in estimate.saturating_sub(4)..estimate + 4 {
            let token =
                sign(&mut signer, &format!(r#"{{"exp":2000000000,"pad":"{}"}}"#, "x".repeat(pad)), None);
            if token.len() == len {
                return (token, kid);
            }
        }
    }
    panic!("no token of {len} bytes");
}

#[wasm_bindgen_test]
fn token_over_16_kib_is_refused_before_any_parsing_and_the_cap_is_exact() {
    let cap = usize::try_from(MAX_TOKEN_BYTES).unwrap();
    let (over, kid) = token_of_len(cap + 1);
    let mut core = verifier(MASK_HS256, HS256, Some(kid), SECRET, None);
    assert_eq!(verify(&mut core, &over, 1_900_000_000.0), err::TOO_LARGE.number);
    assert_eq!(out(&core), failure(reason::NONE, ""));
    // Garbage of that size is refused by size too, before the segment or base64url checks.
    assert_eq!(verify(&mut core, &"!".repeat(cap + 1), 1_900_000_000.0), err::TOO_LARGE.number);
    // Exactly 16 KiB, signed the same way, verifies: the cap is not off by one.
    let (at_cap, kid) = token_of_len(cap);
    let mut core = verifier(MASK_HS256, HS256, Some(kid), SECRET, None);
    assert_eq!(verify(&mut core, &at_cap, 1_900_000_000.0), 0, "{}", out(&core));
}

#[wasm_bindgen_test]
fn input_buffer_is_reused_and_wasm_memory_stops_growing_over_1000_verifies() {
    let mut core = rfc_verifier();
    for _ in 0..10 {
        assert_eq!(verify(&mut core, RFC_TOKEN, RFC_NOW), 0);
    }
    let bytes = memory().buffer().dyn_into::<js_sys::ArrayBuffer>().unwrap().byte_length();
    let ptr = core.input(RFC_TOKEN.len()).addr();
    let source = Uint8Array::from(RFC_TOKEN.as_bytes());
    for i in 0..1000 {
        let p = core.input(RFC_TOKEN.len());
        assert_eq!(p.addr(), ptr, "the input buffer moved at verify {i}");
        Uint8Array::new_with_byte_offset_and_length(
            &memory().buffer(),
            js_u32(p.addr()),
            js_u32(RFC_TOKEN.len()),
        )
        .set(&source, 0);
        assert_eq!(core.call(op::VERIFY, 0, 0, RFC_TOKEN.len(), RFC_NOW, 0.0), 0);
    }
    let after = memory().buffer().dyn_into::<js_sys::ArrayBuffer>().unwrap().byte_length();
    assert_eq!(after, bytes, "wasm memory grew during 1000 verifies");
    let (_, payload) = header_and_payload(&core);
    assert_eq!(get(&payload, "iss").as_string().as_deref(), Some("joe"));
}

#[wasm_bindgen_test]
fn unknown_operation_is_refused_as_invalid_options_not_a_trap() {
    let mut core = rfc_verifier();
    let next = op::ALL.iter().map(|(_, n)| *n).max().unwrap() + 1;
    for unknown in [next, next + 1, 255] {
        assert!(op::ALL.iter().all(|(_, n)| *n != unknown), "{unknown} is an operation");
        assert_eq!(core.call(unknown, 0, 0, 0, 0.0, 0.0), err::INVALID_OPTIONS.number, "op {unknown}");
        assert_eq!(out(&core), failure(reason::NONE, ""));
    }
    // Lengths past the input buffer are refused, never read out of bounds.
    let n = put(&mut core, &[RFC_TOKEN.as_bytes()])[0];
    assert_ne!(core.call(op::VERIFY, 0, 0, n + 1, RFC_NOW, 0.0), 0);
    assert_eq!(core.call(op::OPTION, opt::ISSUER, 0, usize::MAX, 0.0, 0.0), err::INVALID_OPTIONS.number);
    // The engine is not poisoned: the real token still verifies.
    assert_eq!(verify(&mut core, RFC_TOKEN, RFC_NOW), 0);
}
