//! The wasm boundary (`Core`, src/wasm.rs) in a dedicated worker of headless Chromium: where the
//! edge and off-main-thread callers run, with no `window` and no `document`.
//!
//! A smaller set than `tests/web.rs`, driving `Core` the same way (operations through `call`,
//! bytes in and out through JavaScript `Uint8Array` views of `wasm_bindgen::memory()`, outputs
//! parsed by `JSON.parse`).
//! The protocol helpers are shared with `tests/web.rs` through `tests/boundary/mod.rs`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use js_sys::{Date, Reflect, JSON};
use jwt_wasm::Core;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

mod boundary;
use boundary::*;

const SECRET: &[u8] = b"a worker-test secret of at least 32 bytes";

fn payload(core: &Core) -> JsValue {
    let text = out(core);
    let (_, payload) = text.split_once(SEP_CHAR).expect("header NUL payload");
    JSON::parse(payload).expect("the worker's JSON.parse accepts the payload")
}

fn verifier(secret: &[u8]) -> Core {
    let mut core = Core::new(MASK_HS256, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    let n = put(&mut core, &[b"exp"])[0];
    assert_eq!(core.call(op::OPTION, opt::REQUIRED_CLAIMS, 0, n, 0.0, 0.0), 0);
    let n = put(&mut core, &[secret])[0];
    assert_eq!(core.call(op::ADD_KEY, HS256, ABSENT, n, 0.0, 0.0), 0, "add_key: {}", out(&core));
    assert_eq!(core.call(op::FINISH, 0, 0, 0, 0.0, 0.0), 0, "finish: {}", out(&core));
    core
}

fn verify(core: &mut Core, token: &str, now: f64) -> u32 {
    let n = put(core, &[token.as_bytes()])[0];
    core.call(op::VERIFY, 0, 0, n, now, 0.0)
}

fn sign(secret: &[u8], payload: &str) -> String {
    let mut core = Core::new(0, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    let n = put(&mut core, &[secret])[0];
    assert_eq!(core.call(op::SET_SIGNER, HS256, ABSENT, n, 0.0, 0.0), 0);
    let n = put(&mut core, &[payload.as_bytes()])[0];
    assert_eq!(core.call(op::SIGN, 0, ABSENT, n, 0.0, 0.0), 0, "sign: {}", out(&core));
    out(&core)
}

fn b64url_decode(s: &str) -> Vec<u8> {
    const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
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

#[wasm_bindgen_test]
fn runs_in_a_dedicated_worker_without_window_or_document() {
    let global = js_sys::global();
    assert!(!Reflect::has(&global, &"window".into()).unwrap(), "a worker has no window");
    assert!(!Reflect::has(&global, &"document".into()).unwrap(), "a worker has no document");
    let scope = get(&get(&global, "constructor"), "name").as_string();
    assert_eq!(scope.as_deref(), Some("DedicatedWorkerGlobalScope"));
}

#[wasm_bindgen_test]
fn rfc7515_a1_hs256_token_verifies_in_a_worker() {
    let mut core = verifier(&b64url_decode(RFC_K));
    assert_eq!(verify(&mut core, RFC_TOKEN, RFC_NOW), 0, "{}", out(&core));
    assert_eq!(get(&payload(&core), "iss").as_string().as_deref(), Some("joe"));
}

#[wasm_bindgen_test]
fn sign_then_verify_round_trips_in_a_worker_at_the_worker_clock() {
    let now = (Date::now() / 1000.0).floor();
    let token = sign(SECRET, &format!(r#"{{"sub":"w1","iat":{now:.0},"exp":{:.0}}}"#, now + 3600.0));
    let mut core = verifier(SECRET);
    assert_eq!(verify(&mut core, &token, Date::now() / 1000.0), 0, "{}", out(&core));
    assert_eq!(get(&payload(&core), "sub").as_string().as_deref(), Some("w1"));
    // An hour and a second later it has expired, and the verified payload comes back.
    assert_eq!(verify(&mut core, &token, now + 3601.0), err::EXPIRED.number);
    assert!(out(&core).starts_with(&format!("{}{SEP_CHAR}", failure(reason::CHECK_FAILED, "exp"))));
}

#[wasm_bindgen_test]
fn wrong_key_is_a_signature_failure_in_a_worker() {
    let token = sign(SECRET, r#"{"sub":"w1","exp":2000000000}"#);
    let mut core = verifier(&[0x42; 32]);
    assert_eq!(verify(&mut core, &token, RFC_NOW), err::SIGNATURE_INVALID.number);
    assert_eq!(out(&core), failure(reason::NONE, ""));
}
