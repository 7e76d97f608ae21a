//! The JWE core (feature `jwe`): the RFC examples as vectors (tests/vectors/jwe/rfc.json, with
//! their source), both ways; round trips of every alg × enc; and negative cases named after the
//! threat each one stands for. Wycheproof runs in tests/jwe_wycheproof.rs.
#![cfg(feature = "jwe")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;

use jwt_wasm::{
    Algorithm, ContentEncryption as E, Decrypter, EncSet, Encrypter, Error, HmacKey, JweKey, JweKeyRing,
    JweRefusal, KeyManagement as A, KeyManagementSet, KeyRing, Limits, Signer, Validation, Verifier,
};
use serde_json::Value;

fn b64d(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    jwt_wasm::__fuzz::b64_decode_into(s.as_bytes(), &mut out).unwrap();
    out
}

fn b64(data: &[u8]) -> String {
    let mut out = String::new();
    jwt_wasm::__fuzz::b64_encode_into(data, &mut out);
    out
}

fn vectors() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/jwe/rfc.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

fn key_of(v: &Value) -> JweKey {
    let alg = A::from_name(v["alg"].as_str().unwrap()).unwrap();
    let enc = E::from_name(v["enc"].as_str().unwrap()).unwrap();
    let enc_of_key = (alg == A::Dir).then_some(enc);
    JweKey::new(v["kid"].as_str(), alg, enc_of_key, &b64d(v["key"].as_str().unwrap())).unwrap()
}

fn decrypter_for(keys: Vec<JweKey>, algs: &[A], encs: &[E]) -> Decrypter {
    let ring = JweKeyRing::new(keys).unwrap();
    Decrypter::new(ring, KeyManagementSet::new(algs).unwrap(), EncSet::new(encs).unwrap(), Limits::from(8192))
        .unwrap()
}

fn all(keys: Vec<JweKey>) -> Decrypter {
    decrypter_for(keys, &A::ALL, &E::ALL)
}

#[test]
fn rfc_vectors_decrypt() {
    let vs = vectors();
    assert_eq!(vs.len(), 3);
    for v in &vs {
        let d = all(vec![key_of(v)]).decrypt(v["token"].as_str().unwrap().as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(d.plaintext).unwrap(),
            v["plaintext"].as_str().unwrap(),
            "{}",
            v["name"]
        );
        assert_eq!((d.alg.name(), d.enc.name()), (v["alg"].as_str().unwrap(), v["enc"].as_str().unwrap()));
        assert_eq!(d.kid.as_deref(), v["kid"].as_str(), "{}", v["name"]);
    }
}

/// Encrypting with the RFC's CEK and IV gives the RFC's parts: A.3's whole token (its header is
/// written as ours is, `alg` then `enc`), §5.8's encrypted key and ciphertext (its header puts
/// `kid` before `enc`, so only the tag, over the header, differs), §5.6's ciphertext.
#[test]
fn rfc_vectors_encrypt_with_their_cek_and_iv() {
    for v in vectors() {
        let token = v["token"].as_str().unwrap();
        let theirs: Vec<&str> = token.split('.').collect();
        let cek = v["cek"].as_str().map(b64d).unwrap_or_default();
        let iv = b64d(v["iv"].as_str().unwrap());
        let enc = E::from_name(v["enc"].as_str().unwrap()).unwrap();
        let plaintext = v["plaintext"].as_str().unwrap().as_bytes();
        let ours = Encrypter::new(key_of(&v), enc).unwrap().encrypt(plaintext, None, &cek, &iv).unwrap();
        let ours: Vec<&str> = ours.split('.').collect();
        assert_eq!((ours[1], ours[2], ours[3]), (theirs[1], theirs[2], theirs[3]), "{}", v["name"]);
        if v["kid"].is_null() {
            assert_eq!(ours, theirs, "{}: the whole token", v["name"]);
        }
        let again = all(vec![key_of(&v)]).decrypt(ours.join(".").as_bytes()).unwrap();
        assert_eq!(again.plaintext, plaintext);
    }
}

/// Fixed CEKs and IVs, as a caller's random source would give.
fn cek(enc: E, alg: A) -> Vec<u8> {
    if alg == A::Dir {
        Vec::new()
    } else {
        (1..=u8::try_from(enc.desc().cek_bytes).unwrap()).collect()
    }
}

fn iv(enc: E) -> Vec<u8> {
    (100..100 + u8::try_from(enc.desc().iv_bytes).unwrap()).collect()
}

fn key(alg: A, enc: E, kid: Option<&str>) -> JweKey {
    let len = if alg == A::Dir { enc.desc().cek_bytes } else { alg.key_bytes() };
    JweKey::new(kid, alg, (alg == A::Dir).then_some(enc), &vec![0x42; len]).unwrap()
}

fn seal(alg: A, enc: E, plaintext: &[u8]) -> String {
    Encrypter::new(key(alg, enc, Some("k1")), enc)
        .unwrap()
        .encrypt(plaintext, None, &cek(enc, alg), &iv(enc))
        .unwrap()
}

#[test]
fn every_alg_and_enc_round_trips() {
    for alg in A::ALL {
        for enc in E::ALL {
            for plaintext in [&b""[..], b"{}", &[7u8; 16], &[9u8; 1000]] {
                let token = seal(alg, enc, plaintext);
                let d = all(vec![key(alg, enc, Some("k1"))]).decrypt(token.as_bytes()).unwrap();
                assert_eq!(d.plaintext, plaintext, "{alg:?} {enc:?}");
                let header = format!(r#"{{"alg":"{}","enc":"{}","kid":"k1"}}"#, alg.name(), enc.name());
                assert_eq!(d.header_json, header);
            }
        }
    }
}

fn failure(d: &Decrypter, token: &str) -> (String, Option<JweRefusal>) {
    let e: Error = d.decrypt(token.as_bytes()).unwrap_err();
    (e.code().to_owned(), e.jwe_refusal())
}

fn with_part(token: &str, i: usize, f: impl Fn(&mut Vec<u8>)) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut bytes = b64d(&parts[i]);
    f(&mut bytes);
    parts[i] = b64(&bytes);
    parts.join(".")
}

fn with_header(token: &str, header: &str) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[0] = b64(header.as_bytes());
    parts.join(".")
}

const FAILED: (&str, Option<JweRefusal>) = ("ERR_JWE_DECRYPTION_FAILED", None);
const MALFORMED: (&str, Option<JweRefusal>) = ("ERR_JWE_INVALID", None);

fn same(got: (String, Option<JweRefusal>), want: (&str, Option<JweRefusal>), what: &str) {
    assert_eq!((got.0.as_str(), got.1), want, "{what}");
}

#[test]
fn tag_flip_ciphertext_flip_iv_flip_encrypted_key_flip_and_header_flip_all_fail_alike() {
    for alg in A::ALL {
        for enc in E::ALL {
            let d = all(vec![key(alg, enc, Some("k1"))]);
            let token = seal(alg, enc, b"{\"sub\":\"u1\",\"exp\":2000000000}");
            for (i, what) in
                [(4, "tag flip"), (3, "ciphertext flip"), (2, "iv flip"), (1, "encrypted key flip")]
            {
                if i == 1 && alg == A::Dir {
                    continue;
                }
                let bad = with_part(&token, i, |b| b[0] ^= 1);
                same(failure(&d, &bad), FAILED, &format!("{what} {alg:?} {enc:?}"));
            }
            // The protected header is the AAD: a member added (still a valid header) fails too.
            let h = format!(r#"{{"alg":"{}","enc":"{}","kid":"k1","x":1}}"#, alg.name(), enc.name());
            same(failure(&d, &with_header(&token, &h)), FAILED, "header changed (AAD)");
        }
    }
}

#[test]
fn cbc_padding_oracle_is_closed_a_changed_last_block_is_the_same_failure() {
    // A forger without the MAC key cannot reach the padding check: the tag is checked first.
    for enc in [E::A128CbcHs256, E::A256CbcHs512] {
        let d = all(vec![key(A::Dir, enc, None)]);
        let token = Encrypter::new(key(A::Dir, enc, None), enc)
            .unwrap()
            .encrypt(b"0123456789abcdef", None, &[], &iv(enc))
            .unwrap();
        // The last block changed: the tag no longer matches (failure before decryption).
        let bad = with_part(&token, 3, |b| {
            let n = b.len();
            b[n - 1] ^= 0x55;
        });
        same(failure(&d, &bad), FAILED, "padding changed, tag not");
        // A ciphertext that is not whole blocks: the tag fails first, the same failure. (Under
        // a tag the key holder made, bad padding and a partial block are content.rs's tests.)
        let parts: Vec<&str> = token.split('.').collect();
        let mut ct = b64d(parts[3]);
        ct.pop();
        let short = format!("{}.{}.{}.{}.{}", parts[0], parts[1], parts[2], b64(&ct), parts[4]);
        same(failure(&d, &short), FAILED, "ciphertext not whole blocks");
    }
}

#[test]
fn iv_length_tag_length_and_truncated_parts_are_malformed() {
    for alg in A::ALL {
        for enc in E::ALL {
            let d = all(vec![key(alg, enc, Some("k1"))]);
            let token = seal(alg, enc, b"{}");
            same(failure(&d, &with_part(&token, 2, |b| b.push(0))), MALFORMED, "IV one byte long");
            same(failure(&d, &with_part(&token, 2, |b| b.truncate(8))), MALFORMED, "IV of 8 bytes");
            same(failure(&d, &with_part(&token, 4, |b| b.truncate(b.len() - 1))), MALFORMED, "tag truncated");
            same(failure(&d, &with_part(&token, 4, |b| b.extend([0; 16]))), MALFORMED, "tag too long");
            let parts: Vec<&str> = token.split('.').collect();
            same(failure(&d, &parts[..4].join(".")), MALFORMED, "four parts");
            same(failure(&d, &format!("{token}.")), MALFORMED, "six parts");
            same(failure(&d, &format!("{}....", parts[0])), MALFORMED, "empty parts");
            let bad_b64 = format!("{}.{}.{}.{}.{}=", parts[0], parts[1], parts[2], parts[3], parts[4]);
            same(failure(&d, &bad_b64), MALFORMED, "padding in base64url");
            if alg == A::Dir {
                let ek = format!("{}.AAAA.{}.{}.{}", parts[0], parts[2], parts[3], parts[4]);
                same(failure(&d, &ek), MALFORMED, "dir with an encrypted key");
            } else {
                let ek = format!("{}..{}.{}.{}", parts[0], parts[2], parts[3], parts[4]);
                same(failure(&d, &ek), MALFORMED, "key wrap without an encrypted key");
                same(
                    failure(&d, &with_part(&token, 1, |b| b.truncate(b.len() - 8))),
                    FAILED,
                    "wrapped CEK of another length",
                );
            }
        }
    }
}

#[test]
fn alg_and_enc_swapped_and_outside_the_allowlists() {
    let d = decrypter_for(vec![key(A::A256Kw, E::A256Gcm, None)], &[A::A256Kw], &[E::A256Gcm]);
    let token = seal(A::A256Kw, E::A256Gcm, b"{}");
    let swapped = with_header(&token, r#"{"alg":"A256GCM","enc":"A256KW"}"#);
    same(failure(&d, &swapped), ("ERR_JOSE_NOT_SUPPORTED", Some(JweRefusal::Alg)), "alg and enc swapped");
    let other_alg = with_header(&token, r#"{"alg":"A128KW","enc":"A256GCM"}"#);
    same(
        failure(&d, &other_alg),
        ("ERR_JOSE_ALG_NOT_ALLOWED", Some(JweRefusal::AlgNotAllowed)),
        "alg not allowed",
    );
    let other_enc = with_header(&token, r#"{"alg":"A256KW","enc":"A128GCM"}"#);
    same(
        failure(&d, &other_enc),
        ("ERR_JOSE_ALG_NOT_ALLOWED", Some(JweRefusal::EncNotAllowed)),
        "enc not allowed",
    );
    let dir = with_header(&token, r#"{"alg":"dir","enc":"A256GCM"}"#);
    same(failure(&d, &dir), ("ERR_JOSE_ALG_NOT_ALLOWED", Some(JweRefusal::AlgNotAllowed)), "dir not allowed");
    let none = with_header(&token, r#"{"alg":"none","enc":"A256GCM"}"#);
    same(failure(&d, &none), ("ERR_JOSE_NOT_SUPPORTED", Some(JweRefusal::Alg)), "alg none");
}

#[test]
fn a_key_of_another_length_or_algorithm_is_never_used() {
    // A 32-byte key offered as A128KW is refused at configuration, not truncated.
    let e = JweKey::new(None, A::A128Kw, None, &[1; 32]).unwrap_err();
    assert_eq!((e.code(), e.jwe_refusal()), ("ERR_KEY_INVALID", Some(JweRefusal::KeyLength)));
    // A128KW token, only an A256KW key: no key matches (never another algorithm's key).
    let d = all(vec![key(A::A256Kw, E::A128Gcm, None)]);
    same(failure(&d, &seal(A::A128Kw, E::A128Gcm, b"{}")), ("ERR_JWKS_NO_MATCHING_KEY", None), "other alg");
    // dir with A128CBC-HS256 (32 bytes) must not serve an A256GCM token (also 32 bytes).
    let d = all(vec![key(A::Dir, E::A128CbcHs256, None)]);
    same(failure(&d, &seal(A::Dir, E::A256Gcm, b"{}")), ("ERR_JWKS_NO_MATCHING_KEY", None), "dir other enc");
    // The right algorithm, another key: the one failure.
    let other = JweKey::new(None, A::A128Kw, None, &[9; 16]).unwrap();
    same(failure(&all(vec![other]), &seal(A::A128Kw, E::A128Gcm, b"{}")), FAILED, "another key");
}

#[test]
fn zip_p2c_crit_key_sources_ecdh_rsa_and_json_are_refused_by_name() {
    let d = all(vec![key(A::A128Kw, E::A128Gcm, None)]);
    let token = seal(A::A128Kw, E::A128Gcm, b"{}");
    for (header, r) in [
        (r#"{"alg":"A128KW","enc":"A128GCM","zip":"DEF"}"#, JweRefusal::Zip),
        (r#"{"alg":"A128KW","enc":"A128GCM","p2c":2147483647,"p2s":"c2FsdA"}"#, JweRefusal::Pbes2),
        (
            r#"{"alg":"PBES2-HS512+A256KW","enc":"A128GCM","p2c":2147483647,"p2s":"c2FsdA"}"#,
            JweRefusal::Pbes2,
        ),
        (r#"{"alg":"A128KW","enc":"A128GCM","crit":["exp"],"exp":1}"#, JweRefusal::Crit),
        (r#"{"alg":"A128KW","enc":"A128GCM","jku":"https://evil.example/keys"}"#, JweRefusal::KeySource),
        (r#"{"alg":"A128KW","enc":"A128GCM","jwk":{"kty":"oct","k":"AAAA"}}"#, JweRefusal::KeySource),
        (r#"{"alg":"ECDH-ES+A128KW","enc":"A128GCM"}"#, JweRefusal::Ecdh),
        (r#"{"alg":"RSA-OAEP-256","enc":"A128GCM"}"#, JweRefusal::Rsa),
    ] {
        same(failure(&d, &with_header(&token, header)), (r.code(), Some(r)), header);
    }
    same(
        failure(&d, r#"{"protected":"e30","ciphertext":"AA"}"#),
        ("ERR_JOSE_NOT_SUPPORTED", Some(JweRefusal::Json)),
        "JSON",
    );
    let dup = with_header(&token, r#"{"alg":"A128KW","enc":"A128GCM","alg":"dir"}"#);
    same(failure(&d, &dup), MALFORMED, "duplicate alg");
}

#[test]
fn size_caps_come_first() {
    let ring = JweKeyRing::new(vec![key(A::A128Kw, E::A128Gcm, None)]).unwrap();
    let (algs, encs) = (KeyManagementSet::new(&A::ALL).unwrap(), EncSet::new(&E::ALL).unwrap());
    let token = seal(A::A128Kw, E::A128Gcm, &[1; 300]);
    let tight = Decrypter::new(ring.clone(), algs, encs, Limits::from(token.len() - 1)).unwrap();
    same(failure(&tight, &token), ("ERR_JWT_TOO_LARGE", None), "token cap");
    let header_cap = Limits { max_token_bytes: 8192, max_header_bytes: Some(10) };
    let tight = Decrypter::new(ring, algs, encs, header_cap).unwrap();
    same(failure(&tight, &token), ("ERR_JWT_TOO_LARGE", None), "header cap");
}

#[test]
fn allowlists_are_required_and_keys_must_fit_them() {
    assert_eq!(EncSet::new(&[]).unwrap_err().code(), "ERR_INVALID_OPTIONS");
    assert_eq!(KeyManagementSet::new(&[]).unwrap_err().code(), "ERR_INVALID_OPTIONS");
    let ring = JweKeyRing::new(vec![key(A::A128Kw, E::A128Gcm, None)]).unwrap();
    let e = Decrypter::new(
        ring,
        KeyManagementSet::new(&[A::A256Kw]).unwrap(),
        EncSet::new(&E::ALL).unwrap(),
        Limits::from(100),
    );
    assert_eq!(e.unwrap_err().code(), "ERR_INVALID_OPTIONS", "a key no token could use");
}

#[test]
fn the_encrypter_takes_exact_fresh_cek_and_iv() {
    let e = Encrypter::new(key(A::A128Kw, E::A128Gcm, None), E::A128Gcm).unwrap();
    let bad = |cek: &[u8], iv: &[u8]| e.encrypt(b"{}", None, cek, iv).unwrap_err().code();
    assert_eq!(bad(&[1; 15], &[1; 12]), "ERR_INVALID_OPTIONS", "CEK short");
    assert_eq!(bad(&[1; 16], &[1; 16]), "ERR_INVALID_OPTIONS", "IV of CBC for GCM");
    assert_eq!(bad(&[0; 16], &[1; 12]), "ERR_INVALID_OPTIONS", "a CEK buffer never filled");
    assert_eq!(bad(&[1; 16], &[0; 12]), "ERR_INVALID_OPTIONS", "an IV buffer never filled");
    let dir = Encrypter::new(key(A::Dir, E::A256Gcm, None), E::A256Gcm).unwrap();
    assert_eq!(
        dir.encrypt(b"{}", None, &[1; 32], &[1; 12]).unwrap_err().code(),
        "ERR_INVALID_OPTIONS",
        "dir takes no CEK"
    );
    assert_eq!(
        Encrypter::new(key(A::Dir, E::A256Gcm, None), E::A128CbcHs256).unwrap_err().code(),
        "ERR_INVALID_OPTIONS"
    );
    assert_eq!(
        e.encrypt(b"{}", Some("JWT"), &[1; 16], &[1; 12]).unwrap_err().code(),
        "ERR_INVALID_OPTIONS",
        "cty JWT over claims"
    );
}

#[test]
fn nested_sign_then_encrypt_then_decrypt_then_verify() {
    let hk = HmacKey::new(Some("s1"), Algorithm::HS256, &[5; 32]).unwrap();
    let jws = Signer::new(hk.clone()).sign(r#"{"sub":"u1","exp":2000000000}"#, None).unwrap();
    let e = Encrypter::new(key(A::A256Kw, E::A256Gcm, Some("e1")), E::A256Gcm).unwrap();
    let jwe = e.encrypt(jws.as_bytes(), Some("JWT"), &[3; 32], &[4; 12]).unwrap();
    let d = all(vec![key(A::A256Kw, E::A256Gcm, Some("e1"))]).decrypt(jwe.as_bytes()).unwrap();
    assert_eq!(d.cty.as_deref(), Some("JWT"));
    let verifier = Verifier::new(
        KeyRing::new(vec![hk]).unwrap(),
        Validation::new([Algorithm::HS256].into_iter().collect()).unwrap(),
    )
    .unwrap();
    let inner = verifier.verify(std::str::from_utf8(&d.plaintext).unwrap(), 1_900_000_000.0).unwrap();
    assert!(inner.payload_json.contains("u1"));
}

#[test]
fn a_jwe_given_to_the_jws_verify_path_and_a_jws_given_to_decrypt_are_told_apart() {
    let hk = HmacKey::new(None, Algorithm::HS256, &[5; 32]).unwrap();
    let verifier = Verifier::new(
        KeyRing::new(vec![hk.clone()]).unwrap(),
        Validation::new([Algorithm::HS256].into_iter().collect()).unwrap(),
    )
    .unwrap();
    let jwe = seal(A::A128Kw, E::A128Gcm, b"{}");
    let e = verifier.verify(&jwe, 0.0).unwrap_err();
    assert_eq!(e.code(), "ERR_JWS_INVALID", "five segments are not a JWS: refused before any key");
    let jws = Signer::new(hk).sign("{}", None).unwrap();
    let d = all(vec![key(A::A128Kw, E::A128Gcm, None)]);
    same(failure(&d, &jws), ("ERR_JWE_INVALID", Some(JweRefusal::NotJwe)), "a JWS given to decrypt");
}
