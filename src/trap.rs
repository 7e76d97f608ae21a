//! Test-only: makes the engine trap on demand, so the JS layer's recovery from a trap can be
//! tested in Node, Chromium and workerd (`make pkg-trap`). Compiled only with the `test-trap`
//! feature, which the shipped build (`make pkg`) never enables; tests/js/core/trap.test.mjs
//! checks that the shipped wasm lacks the export below.

use wasm_bindgen::prelude::wasm_bindgen;

/// The mark of a trap build: an export the shipped wasm must not have.
#[wasm_bindgen]
#[must_use]
pub fn test_trap_build() -> u32 {
    1
}

/// A token equal to this traps with `unreachable` (a `WebAssembly.RuntimeError`).
const UNREACHABLE: &[u8] = b"jwt-wasm-test-trap.unreachable";
/// A token equal to this recurses until the JS engine's stack overflows (a `RangeError`).
const STACK: &[u8] = b"jwt-wasm-test-trap.stack-overflow";

/// Traps if `token` is one of the markers; returns otherwise.
pub fn on_marker(token: &[u8]) {
    if token == UNREACHABLE {
        core::arch::wasm32::unreachable()
    }
    if token == STACK {
        core::hint::black_box(deep(core::hint::black_box(u32::MAX)));
    }
}

/// Recurses `n` times; the accumulation after the call keeps it from becoming a loop, and no
/// local lives in linear memory, so the JS engine's own stack is what overflows.
#[inline(never)]
fn deep(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    deep(n - 1).rotate_left(5) ^ n
}
