//! Fuzz target `sign_verify`: libFuzzer feeds bytes to jwt_wasm_fuzz::sign_verify (tests/fuzz/src/), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jwt_wasm_fuzz::sign_verify(data));
