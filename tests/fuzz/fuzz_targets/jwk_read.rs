//! Fuzz target `jwk_read`: libFuzzer feeds bytes to jwt_wasm_fuzz::jwk_read (tests/fuzz/src/keys.rs), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| { jwt_wasm_fuzz::jwk_read(data); });
