//! The `jwe` capability of the wasm boundary (src/wasm/jwe.rs) in a real page of headless
//! Chromium, driven as the JS layer drives it: `call(op, a, b, c, t, u)`, parts through the
//! input buffer, outputs read through a view of the memory and parsed with `JSON.parse`. The
//! RFC examples of tests/vectors/jwe/rfc.json both ways, a tag flip, a refusal's letter, and a
//! nested token (sign, encrypt, then decrypt and verify in one `Core`).
//!
//! Run with `make test-wasm` (`wasm-pack test --headless --chrome ...`; default features hold `jwe`).
#![cfg(feature = "jwe")]
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use js_sys::JSON;
use jwt_wasm::protocol::{cap, jwe_refusal, JWE_ALGS, JWE_ENCS};
use jwt_wasm::{caps, Core};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod boundary;
use boundary::*;

const VECTORS: &str = include_str!("vectors/jwe/rfc.json");

fn b64d(s: &str) -> Vec<u8> {
    let mut v = Vec::new();
    jwt_wasm::__fuzz::b64_decode_into(s.as_bytes(), &mut v).unwrap();
    v
}

fn field(v: &JsValue, k: &str) -> Option<String> {
    get(v, k).as_string()
}

fn vectors() -> Vec<JsValue> {
    let doc = JSON::parse(VECTORS).unwrap();
    js_sys::Array::from(&get(&doc, "vectors")).iter().collect()
}

fn alg_index(name: &str) -> u8 {
    u8::try_from(JWE_ALGS.iter().position(|a| a.name == name).unwrap()).unwrap()
}

fn enc_index(name: &str) -> f64 {
    f64::from(u32::try_from(JWE_ENCS.iter().position(|e| e.name == name).unwrap()).unwrap())
}

/// As a JS Decrypter: one key of the vector, every alg and enc allowed.
fn decrypter(v: &JsValue) -> Core {
    let mut core = Core::new(0, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    add_key(&mut core, v);
    assert_eq!(core.call(op::JWE_DECRYPTER, 0b111, 0b1111, 0, 0.0, 0.0), 0, "jwe_decrypter: {}", out(&core));
    core
}

fn add_key(core: &mut Core, v: &JsValue) {
    let (alg, enc) = (field(v, "alg").unwrap(), field(v, "enc").unwrap());
    let kid = field(v, "kid");
    let key = b64d(&field(v, "key").unwrap());
    let lens = put(core, &[kid.as_deref().unwrap_or("").as_bytes(), &key]);
    let kid_len = if kid.is_some() { i32::try_from(lens[0]).unwrap() } else { ABSENT };
    let u = if alg == "dir" { enc_index(&enc) } else { -1.0 };
    assert_eq!(
        core.call(op::JWE_ADD_KEY, alg_index(&alg), kid_len, lens[1], 0.0, u),
        0,
        "jwe_add_key: {}",
        out(core)
    );
}

fn decrypt(core: &mut Core, token: &str, nested: u8, now: f64) -> u32 {
    let n = put(core, &[token.as_bytes()])[0];
    core.call(op::JWE_DECRYPT, nested, 0, n, now, 0.0)
}

#[wasm_bindgen_test]
fn the_jwe_artifact_says_so() {
    assert_ne!(caps() & cap::JWE, 0);
}

#[wasm_bindgen_test]
fn rfc_vectors_decrypt_through_the_boundary() {
    for v in vectors() {
        let mut core = decrypter(&v);
        let token = field(&v, "token").unwrap();
        assert_eq!(decrypt(&mut core, &token, 0, 0.0), 0, "{:?}: {}", field(&v, "name"), out(&core));
        let text = out(&core);
        let (header, plaintext) = text.split_once(char::from(SEP)).unwrap();
        assert_eq!(field(&parse(header), "enc"), field(&v, "enc"));
        assert_eq!(Some(plaintext.to_owned()), field(&v, "plaintext"));
    }
}

#[wasm_bindgen_test]
fn rfc_7516_a3_encrypts_to_the_rfc_token_with_its_cek_and_iv() {
    let v = vectors().into_iter().next().unwrap();
    let mut core = Core::new(0, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    let key = b64d(&field(&v, "key").unwrap());
    let n = put(&mut core, &[&key])[0];
    assert_eq!(
        core.call(op::JWE_ENCRYPTER, alg_index("A128KW"), ABSENT, n, 0.0, enc_index("A128CBC-HS256")),
        0
    );
    let (cek, iv) = (b64d(&field(&v, "cek").unwrap()), b64d(&field(&v, "iv").unwrap()));
    let lens = put(&mut core, &[field(&v, "plaintext").unwrap().as_bytes(), &cek, &iv]);
    let cek_len = i32::try_from(lens[1]).unwrap();
    assert_eq!(core.call(op::JWE_ENCRYPT, 0, cek_len, lens[0], 0.0, 0.0), 0, "jwe_encrypt: {}", out(&core));
    assert_eq!(Some(out(&core)), field(&v, "token"));
}

#[wasm_bindgen_test]
fn a_flipped_tag_and_a_zip_header_are_refused_with_their_numbers() {
    let v = vectors().into_iter().next().unwrap();
    let mut core = decrypter(&v);
    let token = field(&v, "token").unwrap();
    let mut flipped = token.clone().into_bytes();
    let last = flipped.len() - 3;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    assert_eq!(decrypt(&mut core, &flipped, 0, 0.0), err::JWE_DECRYPTION_FAILED.number);
    let zip = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiemlwIjoiREVGIn0";
    let rest = token.split_once('.').unwrap().1;
    assert_eq!(decrypt(&mut core, &format!("{zip}.{rest}"), 0, 0.0), err::NOT_SUPPORTED.number);
    assert_eq!(out(&core).as_bytes()[0], jwe_refusal::ZIP.letter, "the refusal's letter starts the output");
}

#[wasm_bindgen_test]
fn nested_sign_encrypt_decrypt_verify_in_one_core() {
    const SECRET: &[u8] = b"a browser-test secret of at least 32 bytes";
    let mut core = Core::new(MASK_HS256, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    let n = put(&mut core, &[SECRET])[0];
    assert_eq!(core.call(op::SET_SIGNER, HS256, ABSENT, n, 0.0, 0.0), 0);
    assert_eq!(core.call(op::ADD_KEY, HS256, ABSENT, n, 0.0, 0.0), 0);
    let n = put(&mut core, &[b"exp"])[0];
    assert_eq!(
        core.call(op::OPTION, opt::REQUIRED_CLAIMS, 0, n, 0.0, 0.0),
        0,
        "requiredClaims: ['exp'], as JS sends"
    );
    assert_eq!(core.call(op::FINISH, 0, 0, 0, 0.0, 0.0), 0, "finish: {}", out(&core));
    let n = put(&mut core, &[br#"{"sub":"u1","exp":2000000000}"#])[0];
    assert_eq!(core.call(op::SIGN, 0, ABSENT, n, 0.0, 0.0), 0);
    let jws = out(&core);
    let kek = [0x24u8; 32];
    let n = put(&mut core, &[&kek])[0];
    assert_eq!(core.call(op::JWE_ENCRYPTER, alg_index("A256KW"), ABSENT, n, 0.0, enc_index("A256GCM")), 0);
    assert_eq!(core.call(op::JWE_ADD_KEY, alg_index("A256KW"), ABSENT, n, 0.0, -1.0), 0);
    assert_eq!(core.call(op::JWE_DECRYPTER, 0b100, 0b0010, 0, 0.0, 0.0), 0, "{}", out(&core));
    let lens = put(&mut core, &[jws.as_bytes(), &[7; 32], &[9; 12]]);
    assert_eq!(core.call(op::JWE_ENCRYPT, 1, 32, lens[0], 0.0, 0.0), 0, "{}", out(&core));
    let jwe = out(&core);
    assert_eq!(decrypt(&mut core, &jwe, 1, 1_900_000_000.0), 0, "{}", out(&core));
    let text = out(&core);
    let parts: Vec<&str> = text.split(char::from(SEP)).collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(field(&parse(parts[0]), "cty").as_deref(), Some("JWT"));
    assert_eq!(field(&parse(parts[1]), "alg").as_deref(), Some("HS256"));
    assert_eq!(field(&parse(parts[2]), "sub").as_deref(), Some("u1"));
    // The same token read as not nested gives the inner JWS; a claim error after it still
    // hands the payload back, as verify does.
    assert_eq!(decrypt(&mut core, &jwe, 0, 0.0), 0);
    assert!(out(&core).ends_with(&jws));
    assert_eq!(decrypt(&mut core, &jwe, 1, 2_100_000_000.0), err::EXPIRED.number);
}
