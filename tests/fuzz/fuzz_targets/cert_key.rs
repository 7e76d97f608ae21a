//! Fuzz target `cert_key`: libFuzzer feeds bytes to jwt_wasm_fuzz::cert_key (tests/fuzz/src/keys.rs), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| { jwt_wasm_fuzz::cert_key(data); });
