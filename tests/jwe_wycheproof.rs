//! Wycheproof (tests/vectors/wycheproof/, C2SP/wycheproof at dac1dd47, Apache-2.0) through the
//! JWE core: every case of `json_web_encryption_test.json` through `Decrypter`, and the
//! primitive files (AES-GCM, AES key wrap, A128CBC-HS256, A256CBC-HS512) through the functions
//! under it. Every case is named by file and `tcId`. In scope (what jwt-wasm does): decided by
//! Wycheproof's `result`. Out of scope: refused with its typed error, and counted.
#![cfg(feature = "jwe")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use jwt_wasm::__fuzz::{content_decrypt, content_encrypt, key_unwrap, key_wrap};
use jwt_wasm::{
    ContentEncryption, Decrypter, EncSet, Error, JweKey, JweKeyRing, JweRefusal, KeyManagement,
    KeyManagementSet, Limits,
};
use serde_json::Value;

fn load(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/wycheproof").join(file);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn b64url(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    jwt_wasm::__fuzz::b64_decode_into(s.as_bytes(), &mut out).unwrap();
    out
}

fn b64(data: &[u8]) -> String {
    let mut out = String::new();
    jwt_wasm::__fuzz::b64_encode_into(data, &mut out);
    out
}

/// Each test of a file with its group.
fn cases(doc: &Value) -> Vec<(&Value, &Value)> {
    let groups = doc["testGroups"].as_array().unwrap();
    groups.iter().flat_map(|g| g["tests"].as_array().unwrap().iter().map(move |t| (g, t))).collect()
}

fn every_alg() -> KeyManagementSet {
    KeyManagementSet::new(&KeyManagement::ALL).unwrap()
}

fn every_enc() -> EncSet {
    EncSet::new(&ContentEncryption::ALL).unwrap()
}

/// The decrypter of a group's JWK: an `oct` key bound to the JWK's `alg` (for an `alg` that
/// names a content encryption, RFC 7520's way of writing a `dir` key: `dir` with that enc).
/// A JWK whose `alg` is out of scope (A128GCMKW: Wycheproof's "WrongCipher" cases use its
/// bytes under A128KW) cannot be configured at all: its name is refused, and the decrypter has
/// no key, so the token finds none. Binding each key to one algorithm is what refuses them.
fn decrypter(jwk: &Value) -> Decrypter {
    let none =
        || Decrypter::new(JweKeyRing::default(), every_alg(), every_enc(), Limits::from(1 << 20)).unwrap();
    let Some(k) = jwk["k"].as_str() else {
        return none(); // an RSA or EC key: no JWE key of ours can hold it
    };
    let k = b64url(k);
    let kid = jwk["kid"].as_str();
    let named = jwk["alg"].as_str().unwrap();
    let (alg, enc) = match (KeyManagement::from_name(named), ContentEncryption::from_name(named)) {
        (Ok(a), _) => (a, None),
        (_, Ok(e)) => (KeyManagement::Dir, Some(e)),
        (Err(r), _) => {
            assert_eq!(r, JweRefusal::Alg, "{named}");
            return none();
        }
    };
    let key = JweKey::new(kid, alg, enc, &k).unwrap();
    Decrypter::new(JweKeyRing::new(vec![key]).unwrap(), every_alg(), every_enc(), Limits::from(1 << 20))
        .unwrap()
}

fn refusal(e: &Error) -> String {
    e.jwe_refusal().map_or_else(|| e.code().to_owned(), |r| format!("{} ({})", r.code(), r.as_str()))
}

/// The header of a compact token, or `None` for a JSON serialization or a missing header.
fn header_of(token: &str) -> Option<Value> {
    let first = token.split('.').next()?;
    let mut bytes = Vec::new();
    jwt_wasm::__fuzz::b64_decode_into(first.as_bytes(), &mut bytes).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The refusal an out-of-scope JWE case must get, by what puts it out of scope: the JSON
/// serialization, `zip`, the key-management family, another alg, another enc.
fn expected_refusal(token: &str, h: Option<&Value>) -> Option<JweRefusal> {
    if token.starts_with('{') {
        return Some(JweRefusal::Json);
    }
    let h = h?;
    if h.get("zip").is_some() {
        return Some(JweRefusal::Zip);
    }
    let alg = h["alg"].as_str()?;
    if let Err(r) = KeyManagement::from_name(alg) {
        return Some(r);
    }
    ContentEncryption::from_name(h["enc"].as_str()?).err()
}

#[test]
fn json_web_encryption_every_case() {
    let doc = load("json_web_encryption_test.json");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut valid, mut invalid) = (0, 0);
    for (g, t) in cases(&doc) {
        let id = &t["tcId"];
        let token = t["jwe"].as_str().unwrap();
        let h = header_of(token);
        let any_key = || decrypter(&serde_json::json!({"alg": "A128KW", "k": "AAAAAAAAAAAAAAAAAAAAAA"}));
        if let Some(want) = expected_refusal(token, h.as_ref()) {
            // Out of scope: refused before any key is used, with its typed error (a token that is
            // not five segments is malformed first: the structure is step 1).
            let e = any_key().decrypt(token.as_bytes()).unwrap_err();
            let five = token.split('.').count() == 5;
            if five || want == JweRefusal::Json {
                assert_eq!(e.jwe_refusal(), Some(want), "json_web_encryption tcId {id}: {}", refusal(&e));
            } else {
                assert_eq!(
                    (e.code(), e.jwe_refusal()),
                    ("ERR_JWE_INVALID", None),
                    "json_web_encryption tcId {id}"
                );
            }
            *counts.entry(refusal(&e)).or_default() += 1;
            continue;
        }
        // In scope (or a header too broken to name anything: refused as invalid below).
        let result = t["result"].as_str().unwrap();
        let verdict = decrypter(&g["private"]).decrypt(token.as_bytes());
        match (result, verdict) {
            ("valid", Ok(d)) => {
                assert_eq!(d.plaintext, hex(t["pt"].as_str().unwrap()), "json_web_encryption tcId {id}");
                valid += 1;
            }
            ("invalid", Err(e)) => {
                *counts.entry(format!("invalid: {}", refusal(&e))).or_default() += 1;
                invalid += 1;
            }
            (r, v) => panic!(
                "json_web_encryption tcId {id}: Wycheproof says {r}, jwt-wasm {:?}",
                v.map(|_| "decrypted")
            ),
        }
    }
    let counts: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    // In scope: 37 cases (tcIds 1-21, 23-27, 29, 30, 32, 69, 106, 108, 132, 134 and the
    // header-less 48-50 of an EC group, refused before any key: 5 segments with no alg, or 4).
    assert_eq!((valid, invalid), (8, 29), "in scope: valid decrypted, invalid refused; {counts:?}");
    // Out of scope: 102 cases, each refused with its typed error before any key is used.
    assert_eq!(
        counts,
        vec![
            ("ERR_JOSE_NOT_SUPPORTED (alg)", 13),
            ("ERR_JOSE_NOT_SUPPORTED (ecdh)", 37),
            ("ERR_JOSE_NOT_SUPPORTED (enc)", 2),
            ("ERR_JOSE_NOT_SUPPORTED (json)", 1),
            ("ERR_JOSE_NOT_SUPPORTED (rsa)", 44),
            ("ERR_JOSE_NOT_SUPPORTED (zip)", 1),
            ("ERR_JWE_INVALID", 4),
            ("invalid: ERR_JWE_DECRYPTION_FAILED", 5),
            ("invalid: ERR_JWE_INVALID", 21),
            ("invalid: ERR_JWKS_NO_MATCHING_KEY", 3),
        ],
        "the outcomes, by error"
    );
}

/// A dir token over the raw parts, to ask the JWE layer about lengths it does not take.
fn raw_token(enc: ContentEncryption, iv: &[u8], ct: &[u8], tag: &[u8]) -> String {
    let h = b64(format!(r#"{{"alg":"dir","enc":"{}"}}"#, enc.name()).as_bytes());
    format!("{h}..{}.{}.{}", b64(iv), b64(ct), b64(tag))
}

/// Runs an AEAD file: in scope when the key, IV and tag lengths are those of `enc` (found by
/// key length among `encs`); those decide by `result` through the content functions, both
/// ways. The others are refused by the JWE layer: a key of another length when configured
/// (`ERR_KEY_INVALID`), an IV or tag of another length in a token (`ERR_JWE_INVALID`).
fn aead_file(file: &str, encs: &[ContentEncryption]) -> (usize, usize, usize, usize) {
    let doc = load(file);
    let (mut valid, mut invalid, mut bad_key, mut bad_lengths) = (0, 0, 0, 0);
    for (_, t) in cases(&doc) {
        let id = &t["tcId"];
        let [key, iv, aad, msg, ct, tag] =
            ["key", "iv", "aad", "msg", "ct", "tag"].map(|f| hex(t[f].as_str().unwrap()));
        let Some(&enc) = encs.iter().find(|e| e.desc().cek_bytes == key.len()) else {
            let e = JweKey::new(None, KeyManagement::Dir, Some(encs[0]), &key).unwrap_err();
            assert_eq!(e.jwe_refusal(), Some(JweRefusal::KeyLength), "{file} tcId {id}");
            bad_key += 1;
            continue;
        };
        let d = enc.desc();
        if iv.len() != d.iv_bytes || tag.len() != d.tag_bytes {
            let k = JweKey::new(None, KeyManagement::Dir, Some(enc), &key).unwrap();
            let dec = Decrypter::new(
                JweKeyRing::new(vec![k]).unwrap(),
                every_alg(),
                every_enc(),
                Limits::from(1 << 20),
            )
            .unwrap();
            let e = dec.decrypt(raw_token(enc, &iv, &ct, &tag).as_bytes()).unwrap_err();
            assert_eq!((e.code(), e.jwe_refusal()), ("ERR_JWE_INVALID", None), "{file} tcId {id}");
            bad_lengths += 1;
            continue;
        }
        let opened = content_decrypt(enc, &key, &iv, &aad, &ct, &tag);
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert_eq!(opened.as_deref(), Some(&msg[..]), "{file} tcId {id}");
                assert_eq!(content_encrypt(enc, &key, &iv, &aad, &msg), Some((ct, tag)), "{file} tcId {id}");
                valid += 1;
            }
            "invalid" => {
                assert_eq!(opened, None, "{file} tcId {id}");
                invalid += 1;
            }
            r => panic!("{file} tcId {id}: {r} needs a decision"),
        }
    }
    (valid, invalid, bad_key, bad_lengths)
}

#[test]
fn aes_gcm_primitive() {
    let counts = aead_file("aes_gcm_test.json", &[ContentEncryption::A128Gcm, ContentEncryption::A256Gcm]);
    // 316 cases: 133 in scope (96-bit IV, 128-bit tag, 128/256-bit key), 103 AES-192 keys
    // refused as keys, 80 other IV lengths refused in a token.
    assert_eq!(
        counts,
        (79, 54, 103, 80),
        "(valid, invalid, key of another length, IV or tag of another length)"
    );
}

#[test]
fn a128cbc_hs256_primitive() {
    let counts = aead_file("a128cbc_hs256_test.json", &[ContentEncryption::A128CbcHs256]);
    assert_eq!(
        counts,
        (67, 27, 0, 0),
        "(valid, invalid, key of another length, IV or tag of another length)"
    );
}

#[test]
fn a256cbc_hs512_primitive() {
    let counts = aead_file("a256cbc_hs512_test.json", &[ContentEncryption::A256CbcHs512]);
    assert_eq!(
        counts,
        (67, 27, 0, 0),
        "(valid, invalid, key of another length, IV or tag of another length)"
    );
}

/// AES key wrap: a KEK of 16 or 32 bytes is A128KW's or A256KW's, and every case decides by
/// `result` (unwrap, and wrap for the valid ones). A 24-byte KEK (A192KW) is refused as a key.
/// The `acceptable` cases (one per KEK size) are listed with their decision.
#[test]
fn aes_wrap_primitive() {
    let doc = load("aes_wrap_test.json");
    let (mut valid, mut invalid, mut acceptable, mut bad_key) = (0, 0, 0, 0);
    for (_, t) in cases(&doc) {
        let id = &t["tcId"];
        let [kek, msg, ct] = ["key", "msg", "ct"].map(|f| hex(t[f].as_str().unwrap()));
        let alg = match kek.len() {
            16 => KeyManagement::A128Kw,
            32 => KeyManagement::A256Kw,
            _ => {
                for alg in [KeyManagement::A128Kw, KeyManagement::A256Kw] {
                    let e = JweKey::new(None, alg, None, &kek).unwrap_err();
                    assert_eq!(e.jwe_refusal(), Some(JweRefusal::KeyLength), "aes_wrap tcId {id}");
                }
                bad_key += 1;
                continue;
            }
        };
        let mut cek = vec![0u8; ct.len().saturating_sub(8)];
        let opened = key_unwrap(alg, &kek, &ct, &mut cek);
        match t["result"].as_str().unwrap() {
            "valid" => {
                assert!(opened, "aes_wrap tcId {id}");
                assert_eq!(cek, msg, "aes_wrap tcId {id}");
                assert_eq!(key_wrap(alg, &kek, &msg), Some(ct), "aes_wrap tcId {id}");
                valid += 1;
            }
            "invalid" => {
                assert!(!opened, "aes_wrap tcId {id}");
                invalid += 1;
            }
            _ => {
                // `acceptable`: wrapping an 8-byte key (tcIds 12, 54, 109). Decision: refused,
                // as every key shorter than two semiblocks (no JWE CEK is under 16 bytes).
                assert_eq!(t["flags"][0], "ShortKey", "aes_wrap tcId {id}");
                assert!(!opened && key_wrap(alg, &kek, &msg).is_none(), "aes_wrap tcId {id}");
                acceptable += 1;
            }
        }
    }
    // 165 cases: 110 with a 128/256-bit KEK by result, 55 with a 192-bit KEK refused as keys.
    assert_eq!(
        (valid, invalid, acceptable, bad_key),
        (24, 84, 2, 55),
        "(valid, invalid, acceptable, A192KW)"
    );
}
