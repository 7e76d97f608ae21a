//! Fuzz target `jwe`: libFuzzer feeds bytes to jwt_wasm_fuzz::jwe_decrypt (tests/fuzz/src/), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| { jwt_wasm_fuzz::jwe_decrypt(data); });
