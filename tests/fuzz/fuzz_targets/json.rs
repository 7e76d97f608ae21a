//! Fuzz target `json`: libFuzzer feeds bytes to jwt_wasm_fuzz::json (tests/fuzz/src/), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jwt_wasm_fuzz::json(data));
