//! The wasm boundary (`Core`, src/wasm.rs) in a dedicated worker of headless Chromium: where the
//! edge and off-main-thread callers run, with no `window` and no `document`.
//!
//! A smaller set than `tests/web.rs`, driving `Core` the same way (operations through `call`,
//! bytes in and out through JavaScript `Uint8Array` views of `wasm_bindgen::memory()`, outputs
//! parsed by `JSON.parse`).
//! The helpers are repeated here on purpose: each `tests/*.rs` is its own test binary with its
//! own `wasm_bindgen_test_configure!`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use js_sys::{Date, Reflect, Uint8Array, WebAssembly, JSON};
use jwt_wasm::Core;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const HS256: u8 = 0;
const MASK_HS256: u8 = 1 << HS256;
/// Operations of `Core::call` (`OP_*` in src/js/index.js) and the `requiredClaims` option kind.
const OP_OPTION: u8 = 0;
const OP_ADD_KEY: u8 = 1;
const OP_FINISH: u8 = 2;
const OP_VERIFY: u8 = 3;
const OP_SET_SIGNER: u8 = 6;
const OP_SIGN: u8 = 7;
const OPT_REQUIRED: u8 = 4;
const MAX_TOKEN_BYTES: u32 = 16 * 1024;
const ERR_SIGNATURE: u32 = 6;
const ERR_EXPIRED: u32 = 7;

/// RFC 7515 Appendix A.1: the HS256 example JWS and its JWK `k`.
const RFC_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_K: &str = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
const RFC_NOW: f64 = 1_300_819_370.0;

const SECRET: &[u8] = b"a worker-test secret of at least 32 bytes";

fn memory() -> WebAssembly::Memory {
    wasm_bindgen::memory().dyn_into().expect("wasm_bindgen::memory() is a WebAssembly.Memory")
}

fn js_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fits a wasm32 address")
}

/// As `put` in src/js/wasm.js: JavaScript copies each part into the input buffer.
fn put(core: &mut Core, parts: &[&[u8]]) -> Vec<usize> {
    let sources: Vec<Uint8Array> = parts.iter().map(|p| Uint8Array::from(*p)).collect();
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let ptr = core.input(total);
    let view =
        Uint8Array::new_with_byte_offset_and_length(&memory().buffer(), js_u32(ptr.addr()), js_u32(total));
    let mut at = 0;
    for s in &sources {
        view.set(s, at);
        at += s.length();
    }
    parts.iter().map(|p| p.len()).collect()
}

/// As `out` in src/js/wasm.js; copied JS-side before Rust allocates (which may detach views).
fn out(core: &Core) -> String {
    let len = js_u32(core.out_len());
    let view =
        Uint8Array::new_with_byte_offset_and_length(&memory().buffer(), js_u32(core.out().addr()), len);
    String::from_utf8(view.slice(0, len).to_vec()).expect("the output is UTF-8")
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).expect("Reflect.get")
}

fn payload(core: &Core) -> JsValue {
    let text = out(core);
    let (_, payload) = text.split_once('\0').expect("header NUL payload");
    JSON::parse(payload).expect("the worker's JSON.parse accepts the payload")
}

fn verifier(secret: &[u8]) -> Core {
    let mut core = Core::new(MASK_HS256, 0.0, -1.0, MAX_TOKEN_BYTES);
    let n = put(&mut core, &[b"exp"])[0];
    assert_eq!(core.call(OP_OPTION, OPT_REQUIRED, 0, n, 0.0, 0.0), 0);
    let n = put(&mut core, &[secret])[0];
    assert_eq!(core.call(OP_ADD_KEY, HS256, -1, n, 0.0, 0.0), 0, "add_key: {}", out(&core));
    assert_eq!(core.call(OP_FINISH, 0, 0, 0, 0.0, 0.0), 0, "finish: {}", out(&core));
    core
}

fn verify(core: &mut Core, token: &str, now: f64) -> u32 {
    let n = put(core, &[token.as_bytes()])[0];
    core.call(OP_VERIFY, 0, 0, n, now, 0.0)
}

fn sign(secret: &[u8], payload: &str) -> String {
    let mut core = Core::new(0, 0.0, -1.0, MAX_TOKEN_BYTES);
    let n = put(&mut core, &[secret])[0];
    assert_eq!(core.call(OP_SET_SIGNER, HS256, -1, n, 0.0, 0.0), 0);
    let n = put(&mut core, &[payload.as_bytes()])[0];
    assert_eq!(core.call(OP_SIGN, 0, -1, n, 0.0, 0.0), 0, "sign: {}", out(&core));
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
    assert_eq!(verify(&mut core, &token, now + 3601.0), ERR_EXPIRED);
    assert!(out(&core).starts_with("3exp\0"));
}

#[wasm_bindgen_test]
fn wrong_key_is_a_signature_failure_in_a_worker() {
    let token = sign(SECRET, r#"{"sub":"w1","exp":2000000000}"#);
    let mut core = verifier(&[0x42; 32]);
    assert_eq!(verify(&mut core, &token, RFC_NOW), ERR_SIGNATURE);
    assert_eq!(out(&core), "0");
}
