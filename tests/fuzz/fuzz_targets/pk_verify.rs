//! Fuzz target `pk_verify`: libFuzzer feeds bytes to jwt_wasm_fuzz::pk_verify (tests/fuzz/src/keys.rs), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| { jwt_wasm_fuzz::pk_verify(data); });
