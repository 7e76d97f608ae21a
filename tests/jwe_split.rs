//! The two halves of a decrypt whose content the runtime decrypts (`Decrypter::begin`, then
//! `Decrypter::finish`: the `jwe_decrypt_begin`/`_end` ops of src/js/jwe-webcrypto.js): over
//! every alg × enc and the threat-named tamperings, the halves, with the content decrypted by the
//! core's own primitive standing in for WebCrypto, give what `decrypt` gives; a CBC-HMAC tag is
//! refused before anything is handed out; a key that does not unwrap is refused by `finish` even
//! when the content was sealed under the zero CEK it leaves; `finish` stands on its own token;
//! `finish_opened` (the ticketed second half, by what `begin` read) gives what `finish` gives,
//! and `accepted` (its rule without the copy) what `finish_opened` gives.
#![cfg(feature = "jwe")]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use jwt_wasm::{
    ContentEncryption as E, Decrypter, EncSet, Encrypter, JweKey, JweKeyRing, KeyManagement as A,
    KeyManagementSet, Limits,
};

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

fn key(alg: A, enc: E, fill: u8) -> JweKey {
    let len = if alg == A::Dir { enc.desc().cek_bytes } else { alg.key_bytes() };
    JweKey::new(Some("k1"), alg, (alg == A::Dir).then_some(enc), &vec![fill; len]).unwrap()
}

fn decrypter(keys: Vec<JweKey>) -> Decrypter {
    let ring = JweKeyRing::new(keys).unwrap();
    Decrypter::new(
        ring,
        KeyManagementSet::new(&A::ALL).unwrap(),
        EncSet::new(&E::ALL).unwrap(),
        Limits::from(8192),
    )
    .unwrap()
}

fn seal(alg: A, enc: E, under: JweKey, plaintext: &[u8]) -> String {
    let cek: Vec<u8> =
        if alg == A::Dir { Vec::new() } else { (1..=u8::try_from(enc.desc().cek_bytes).unwrap()).collect() };
    let iv: Vec<u8> = (100..100 + u8::try_from(enc.desc().iv_bytes).unwrap()).collect();
    Encrypter::new(under, enc).unwrap().encrypt(plaintext, None, &cek, &iv).unwrap()
}

fn with_part(token: &str, i: usize, f: impl Fn(&mut Vec<u8>)) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut bytes = b64d(&parts[i]);
    f(&mut bytes);
    parts[i] = b64(&bytes);
    parts.join(".")
}

/// The runtime's part, played by RustCrypto: GCM checks its tag; CBC only decrypts and unpads
/// with the AES half handed out (the tag was the core's to check). `None` for any failure.
fn runtime(enc: E, key: &[u8], iv: &[u8], aad: &[u8], ciphertext: &[u8], tag: &[u8]) -> Option<Vec<u8>> {
    use cbc::cipher::block_padding::Pkcs7;
    use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
    let mut buf = ciphertext.to_vec();
    let n = match enc {
        E::A128Gcm | E::A256Gcm => {
            return jwt_wasm::__fuzz::content_decrypt(enc, key, iv, aad, ciphertext, tag)
        }
        E::A128CbcHs256 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .ok()?
            .len(),
        E::A256CbcHs512 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .ok()?
            .decrypt_padded::<Pkcs7>(&mut buf)
            .ok()?
            .len(),
    };
    buf.truncate(n);
    Some(buf)
}

/// Both halves, the runtime between them (`dir_secrets`: the bytes of the ring's keys, which
/// JS holds as CryptoKeys): the plaintext, or the error's code.
fn halves(d: &Decrypter, dir_secrets: &[Vec<u8>], token: &str) -> Result<Vec<u8>, String> {
    let (done, s) = d.begin(token.as_bytes()).map_err(|e| e.code().to_owned())?;
    assert!(done.plaintext.is_empty(), "begin hands out no plaintext");
    let gcm = matches!(done.enc, E::A128Gcm | E::A256Gcm);
    let key = match s.dir_key {
        Some(i) => {
            let k = &dir_secrets[i];
            k[if gcm { 0 } else { k.len() / 2 }..].to_vec()
        }
        None => s.cek.clone(),
    };
    assert_eq!(key.len(), if gcm { done.enc.desc().cek_bytes } else { done.enc.desc().cek_bytes / 2 });
    let plaintext = runtime(done.enc, &key, &s.iv, s.aad, &s.ciphertext, &s.tag);
    d.finish(token.as_bytes(), plaintext.as_deref()).map(|d| d.plaintext).map_err(|e| e.code().to_owned())
}

/// As `halves`, the second half by what `begin` read (`finish_opened`, the ticketed
/// `jwe_decrypt_finish`) instead of the token read again.
fn halves_opened(d: &Decrypter, dir_secrets: &[Vec<u8>], token: &str) -> Result<Vec<u8>, String> {
    let (done, s) = d.begin(token.as_bytes()).map_err(|e| e.code().to_owned())?;
    let gcm = matches!(done.enc, E::A128Gcm | E::A256Gcm);
    let key = match s.dir_key {
        Some(i) => dir_secrets[i][if gcm { 0 } else { dir_secrets[i].len() / 2 }..].to_vec(),
        None => s.cek.clone(),
    };
    let plaintext = runtime(done.enc, &key, &s.iv, s.aad, &s.ciphertext, &s.tag);
    // `accepted`, the rule without the copy (the boundary's finish verifies the plaintext where
    // it lies), gives what `finish_opened` gives.
    let accepted = Decrypter::accepted(s.unwrapped, plaintext.as_deref()).map(<[u8]>::to_vec);
    let opened = Decrypter::finish_opened(done, s.unwrapped, plaintext.as_deref()).map(|d| d.plaintext);
    assert_eq!(accepted.as_ref().map_err(|e| e.code()), opened.as_ref().map_err(|e| e.code()));
    opened.map_err(|e| e.code().to_owned())
}

fn whole(d: &Decrypter, token: &str) -> Result<Vec<u8>, String> {
    d.decrypt(token.as_bytes()).map(|d| d.plaintext).map_err(|e| e.code().to_owned())
}

const FAILED: &str = "ERR_JWE_DECRYPTION_FAILED";

#[test]
fn the_halves_give_what_decrypt_gives_for_every_alg_enc_and_tampering() {
    let mut failed = 0;
    for alg in A::ALL {
        for enc in E::ALL {
            let k = key(alg, enc, 0x42);
            let secret = vec![0x42; if alg == A::Dir { enc.desc().cek_bytes } else { alg.key_bytes() }];
            let d = decrypter(vec![k.clone()]);
            for plaintext in [&b""[..], b"{}", &[7u8; 16], &[9u8; 1000]] {
                let good = seal(alg, enc, k.clone(), plaintext);
                let flip_last = |b: &mut Vec<u8>| {
                    if let Some(x) = b.last_mut() {
                        *x ^= 1;
                    }
                };
                let tokens = [
                    good.clone(),
                    with_part(&good, 4, flip_last),
                    with_part(&good, 3, flip_last),
                    with_part(&good, 2, flip_last),
                    with_part(&good, 1, flip_last),
                    with_part(&good, 2, |b| b.truncate(b.len() - 1)),
                    with_part(&good, 4, |b| b.truncate(b.len() - 1)),
                    with_part(&good, 3, |b| b.truncate(b.len().saturating_sub(1))),
                    seal(alg, enc, key(alg, enc, 0x43), plaintext),
                ];
                for (i, t) in tokens.iter().enumerate() {
                    let (want, got) = (whole(&d, t), halves(&d, std::slice::from_ref(&secret), t));
                    assert_eq!(got, want, "{alg:?} {enc:?} {} bytes, token {i}", plaintext.len());
                    let opened = halves_opened(&d, std::slice::from_ref(&secret), t);
                    assert_eq!(
                        opened,
                        want,
                        "by ticket: {alg:?} {enc:?} {} bytes, token {i}",
                        plaintext.len()
                    );
                    failed += usize::from(want.as_ref().err().map(String::as_str) == Some(FAILED));
                }
                assert_eq!(halves(&d, std::slice::from_ref(&secret), &good).unwrap(), plaintext);
            }
        }
    }
    assert!(failed > 200, "{failed} decryption failures compared");
}

#[test]
fn a_cbc_hmac_tag_is_refused_before_anything_is_handed_out() {
    for alg in A::ALL {
        for enc in [E::A128CbcHs256, E::A256CbcHs512] {
            let k = key(alg, enc, 0x42);
            let d = decrypter(vec![k.clone()]);
            let good = seal(alg, enc, k, b"{\"sub\":\"x\"}");
            let (_, s) = d.begin(good.as_bytes()).unwrap();
            assert!(s.tag.len() == enc.desc().tag_bytes && s.unwrapped);
            for i in [1, 2, 3, 4] {
                if alg == A::Dir && i == 1 {
                    continue; // dir has no encrypted key
                }
                let bad = with_part(&good, i, |b| b[0] ^= 1);
                assert_eq!(d.begin(bad.as_bytes()).unwrap_err().code(), FAILED, "{alg:?} {enc:?} part {i}");
            }
        }
    }
}

#[test]
fn a_key_that_does_not_unwrap_is_refused_even_with_content_sealed_under_the_zero_cek() {
    for alg in [A::A128Kw, A::A256Kw] {
        for enc in E::ALL {
            let k = key(alg, enc, 0x42);
            let d = decrypter(vec![k.clone()]);
            let good = seal(alg, enc, k, b"{}");
            // The attacker seals the content under the zero CEK (what a failed unwrap leaves) with
            // this token's header as the AAD, beside an encrypted key that unwraps nothing.
            let zero = JweKey::new(None, A::Dir, Some(enc), &vec![0; enc.desc().cek_bytes]).unwrap();
            let under_zero = seal(A::Dir, enc, zero, b"forged");
            let parts: Vec<&str> = good.split('.').collect();
            let z: Vec<&str> = under_zero.split('.').collect();
            let aad = parts[0].as_bytes();
            let iv = b64d(z[2]);
            let (ct, tag) =
                jwt_wasm::__fuzz::content_encrypt(enc, &vec![0; enc.desc().cek_bytes], &iv, aad, b"forged")
                    .unwrap();
            let forged =
                [parts[0], &b64(&vec![7; enc.desc().cek_bytes + 8]), z[2], &b64(&ct), &b64(&tag)].join(".");
            let (_, s) = d.begin(forged.as_bytes()).unwrap();
            assert!(!s.unwrapped, "{alg:?} {enc:?}");
            assert!(s.cek.iter().all(|&b| b == 0), "a zero key handed out");
            // The runtime decrypts it (the forger knew the key), and the core still refuses.
            let got = runtime(enc, &s.cek, &s.iv, s.aad, &s.ciphertext, &s.tag);
            assert_eq!(got.as_deref(), Some(&b"forged"[..]), "{alg:?} {enc:?}");
            assert_eq!(d.finish(forged.as_bytes(), got.as_deref()).unwrap_err().code(), FAILED);
            assert_eq!(halves(&d, &[], &forged).unwrap_err(), FAILED);
            let (done, s) = d.begin(forged.as_bytes()).unwrap();
            assert_eq!(
                Decrypter::finish_opened(done, s.unwrapped, got.as_deref()).unwrap_err().code(),
                FAILED
            );
            assert_eq!(halves_opened(&d, &[], &forged).unwrap_err(), FAILED);
            assert_eq!(whole(&d, &forged).unwrap_err(), FAILED);
        }
    }
}

#[test]
fn finish_stands_on_its_own_token_and_dir_keys_are_named_by_index() {
    let a = JweKey::new(Some("a"), A::Dir, Some(E::A256Gcm), &[1; 32]).unwrap();
    let b = JweKey::new(Some("b"), A::Dir, Some(E::A128CbcHs256), &[2; 32]).unwrap();
    let d = decrypter(vec![a.clone(), b.clone()]);
    let (ta, tb) = (seal(A::Dir, E::A256Gcm, a, b"{}"), seal(A::Dir, E::A128CbcHs256, b, b"[]"));
    assert_eq!(d.begin(ta.as_bytes()).unwrap().1.dir_key, Some(0));
    assert_eq!(d.begin(tb.as_bytes()).unwrap().1.dir_key, Some(1));
    assert!(d.begin(tb.as_bytes()).unwrap().1.cek.len() == 16, "CBC: the AES half only");
    // finish reads its token again: its header is what is returned, its failures are its own.
    assert_eq!(
        d.finish(ta.as_bytes(), Some(b"{}")).unwrap().header_json,
        r#"{"alg":"dir","enc":"A256GCM","kid":"a"}"#
    );
    assert_eq!(d.finish(b"a.b.c", Some(b"{}")).unwrap_err().code(), "ERR_JWE_INVALID");
    assert_eq!(d.finish(ta.as_bytes(), None).unwrap_err().code(), FAILED);
}

/// `finish` re-derives what it judges (steps 1 to 5 but the ciphertext's decoding, and the
/// unwrap) and never decodes the ciphertext again: its bytes are the runtime's plaintext's
/// source, checked by `begin`. So a finish over the same token with another ciphertext segment
/// gives the same verdict, and everything else it reads still refuses on its own.
#[test]
fn finish_reads_the_header_key_lengths_and_unwrap_again_but_not_the_ciphertext() {
    for alg in [A::Dir, A::A128Kw] {
        let k = key(alg, E::A128Gcm, 7);
        let d = decrypter(vec![k.clone()]);
        let token = seal(alg, E::A128Gcm, k, b"{\"sub\":\"u\"}");
        let mut parts: Vec<&str> = token.split('.').collect();
        parts[3] = "not*base64url";
        let other = parts.join(".");
        assert_eq!(d.begin(other.as_bytes()).unwrap_err().code(), "ERR_JWE_INVALID", "begin decodes it");
        let done = d.finish(other.as_bytes(), Some(b"{}")).unwrap();
        assert_eq!(done.plaintext, b"{}", "{alg:?}: finish takes the runtime's plaintext");
        // The parts it does read: header, IV and tag lengths, the unwrap (a wrapped key flipped).
        let short_iv = with_part(&token, 2, |iv| iv.truncate(8));
        assert_eq!(d.finish(short_iv.as_bytes(), Some(b"{}")).unwrap_err().code(), "ERR_JWE_INVALID");
        let short_tag = with_part(&token, 4, |t| t.truncate(8));
        assert_eq!(d.finish(short_tag.as_bytes(), Some(b"{}")).unwrap_err().code(), "ERR_JWE_INVALID");
        let alg_name = if alg == A::Dir { "dir" } else { "A128KW" };
        let header = format!(r#"{{"alg":"{alg_name}","enc":"A256GCM","kid":"k1"}}"#);
        let other_enc = with_part(&token, 0, |h| *h = header.as_bytes().to_vec());
        assert!(d.finish(other_enc.as_bytes(), Some(b"{}")).is_err(), "{alg:?}: its own header, read again");
        if alg != A::Dir {
            let flipped = with_part(&token, 1, |w| w[3] ^= 1);
            assert_eq!(d.finish(flipped.as_bytes(), Some(b"{}")).unwrap_err().code(), FAILED, "unwrap again");
        }
    }
}
