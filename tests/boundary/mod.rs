//! The protocol of src/js/wasm.js and src/js/index.js, driven from Rust through JavaScript:
//! shared by the page (`tests/web.rs`) and dedicated-worker (`tests/worker.rs`) test binaries.
#![allow(dead_code)]

use js_sys::{Reflect, Uint8Array, WebAssembly, JSON};
use jwt_wasm::{Algorithm, Core};
use wasm_bindgen::{JsCast, JsValue};

/// The wire protocol itself (src/protocol.rs): these tests speak it through its declarations, so
/// the numbers live in one place; its description is checked by `cargo run --example protocol -- --check`.
#[allow(unused_imports)] // each test binary uses a part
pub use jwt_wasm::protocol::{err, op, opt, reason, slot, warn, ReasonDesc, ABSENT, ALGORITHMS, SEP};

/// The wire index of an algorithm (its position in `ALGORITHMS`; bit i of `alg_mask`).
const fn alg_index(alg: Algorithm) -> u8 {
    let mut i: u8 = 0;
    while (i as usize) < ALGORITHMS.len() {
        if ALGORITHMS[i as usize] as u8 == alg as u8 {
            return i;
        }
        i += 1;
    }
    panic!("the algorithm is not on the wire")
}
pub const HS256: u8 = alg_index(Algorithm::HS256);
pub const HS512: u8 = alg_index(Algorithm::HS512);
pub const MASK_HS256: u8 = 1 << HS256;
/// Every algorithm's bit.
pub const MASK_ALL: u8 = (1 << ALGORITHMS.len()) - 1;
/// The separator between output parts, as a character.
pub const SEP_CHAR: char = SEP as char;
/// The JS layer's default `maxTokenBytes`: 16 KiB.
pub const MAX_TOKEN_BYTES: u32 = 16 * 1024;

/// `ABSENT` as the `max_token_age` of `Core::new` (no maximum age).
pub fn no_max_age() -> f64 {
    f64::from(ABSENT)
}

/// The output of a failed call before any payload: the reason digit, then the claim name.
pub fn failure(reason: ReasonDesc, claim: &str) -> String {
    format!("{}{claim}", char::from(reason.digit))
}

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
