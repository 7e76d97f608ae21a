//! Fuzz target `inspect`: libFuzzer feeds bytes to jwt_wasm_fuzz::inspect (tests/fuzz/src/), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jwt_wasm_fuzz::inspect(data));
