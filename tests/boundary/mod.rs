//! The protocol of src/js/wasm.js and src/js/index.js, driven from Rust through JavaScript:
//! shared by the page (`tests/web.rs`) and dedicated-worker (`tests/worker.rs`) test binaries.
#![allow(dead_code)]

use js_sys::{Reflect, Uint8Array, WebAssembly, JSON};
use jwt_wasm::Core;
use wasm_bindgen::{JsCast, JsValue};

/// Indices into `Algorithm::ALL` (the `alg` of `add_key`/`set_signer`) and bits of `alg_mask`.
pub const HS256: u8 = 0;
pub const HS512: u8 = 2;
pub const MASK_HS256: u8 = 1 << HS256;
/// Operations of the one dispatching export `Core::call(op, a, b, c, t, u)` (`OP_*` in
/// src/js/index.js).
pub const OP_OPTION: u8 = 0;
pub const OP_ADD_KEY: u8 = 1;
pub const OP_FINISH: u8 = 2;
pub const OP_VERIFY: u8 = 3;
pub const OP_DECODE: u8 = 4;
pub const OP_INSPECT: u8 = 5;
pub const OP_SET_SIGNER: u8 = 6;
pub const OP_SIGN: u8 = 7;
/// Option kinds of `OP_OPTION` (`OPT` in src/js/index.js).
pub const OPT_ISSUER: u8 = 0;
pub const OPT_REQUIRED: u8 = 4;
/// The JS layer's default `maxTokenBytes`: 16 KiB.
pub const MAX_TOKEN_BYTES: u32 = 16 * 1024;
/// Error numbers (`ErrorKind::number`, `BY_NUMBER` in src/js/errors.js).
pub const ERR_TOO_LARGE: u32 = 3;
pub const ERR_ALG_NOT_ALLOWED: u32 = 4;
pub const ERR_SIGNATURE: u32 = 6;
pub const ERR_EXPIRED: u32 = 7;
pub const ERR_NO_MATCHING_KEY: u32 = 9;
pub const ERR_KEY_INVALID: u32 = 10;
pub const ERR_INVALID_OPTIONS: u32 = 11;

/// RFC 7515 Appendix A.1: the HS256 example JWS and its JWK `k`.
pub const RFC_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const RFC_K: &str =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
pub const RFC_NOW: f64 = 1_300_819_370.0;
pub const RFC_EXP: f64 = 1_300_819_380.0;

pub fn memory() -> WebAssembly::Memory {
    wasm_bindgen::memory().dyn_into().expect("wasm_bindgen::memory() is a WebAssembly.Memory")
}

pub fn js_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fits a wasm32 address")
}

/// As `put` in src/js/wasm.js: sizes the input buffer, then JavaScript copies each part into a
/// `Uint8Array` view of the wasm memory at the returned pointer. Returns each part's length.
pub fn put(core: &mut Core, parts: &[&[u8]]) -> Vec<usize> {
    // JS-side copies first, so nothing allocates between `input` and the writes.
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

/// As `out` in src/js/wasm.js: the output buffer read through a view of the wasm memory.
///
/// The view is copied on the JavaScript side (`slice`) before Rust allocates the `Vec` for it:
/// an allocation may grow the memory, which detaches every view of the old `ArrayBuffer`
/// (the JS layer likewise decodes the view at once, before any other call into wasm).
pub fn out(core: &Core) -> String {
    let len = js_u32(core.out_len());
    let view =
        Uint8Array::new_with_byte_offset_and_length(&memory().buffer(), js_u32(core.out().addr()), len);
    String::from_utf8(view.slice(0, len).to_vec()).expect("the output is UTF-8")
}

pub fn parse(json: &str) -> JsValue {
    JSON::parse(json).expect("the browser's JSON.parse accepts the output")
}

pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).expect("Reflect.get")
}
