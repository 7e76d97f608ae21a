//! Fuzz target `base64url`: libFuzzer feeds bytes to jwt_wasm_fuzz::base64url (tests/fuzz/src/), which asserts.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jwt_wasm_fuzz::base64url(data));
