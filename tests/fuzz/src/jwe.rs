//! The `jwe` fuzz check: the JWE decrypter over arbitrary tokens, and encrypt → decrypt → any
//! one-bit change refused, over every key management × content encryption.

use std::sync::OnceLock;

use jwt_wasm::{
    ContentEncryption, Decrypter, EncSet, Encrypter, JweKey, JweKeyRing, KeyManagement, KeyManagementSet,
    Limits,
};

/// The keys of every algorithm (dir: one per enc), each with a kid, and the one decrypter.
struct Jwe {
    keys: Vec<(KeyManagement, ContentEncryption, JweKey)>,
    decrypter: Decrypter,
}

fn jwe() -> &'static Jwe {
    static W: OnceLock<Jwe> = OnceLock::new();
    W.get_or_init(|| {
        let mut keys = Vec::new();
        for (i, alg) in KeyManagement::ALL.into_iter().enumerate() {
            for (j, enc) in ContentEncryption::ALL.into_iter().enumerate() {
                let dir = alg == KeyManagement::Dir;
                if !dir && j > 0 {
                    continue;
                }
                let len = if dir { enc.desc().cek_bytes } else { alg.key_bytes() };
                let byte = u8::try_from(16 * i + j + 1).unwrap_or(1);
                let kid = format!("{}-{}", alg.name(), enc.name());
                let key = JweKey::new(Some(&kid), alg, dir.then_some(enc), &vec![byte; len]).unwrap();
                keys.push((alg, enc, key));
            }
        }
        let ring = JweKeyRing::new(keys.iter().map(|(_, _, k)| k.clone()).collect()).unwrap();
        let algs = KeyManagementSet::new(&KeyManagement::ALL).unwrap();
        let encs = EncSet::new(&ContentEncryption::ALL).unwrap();
        let decrypter = Decrypter::new(ring, algs, encs, Limits::from(16_384)).unwrap();
        Jwe { keys, decrypter }
    })
}

/// Byte 0 even: the rest is a token; it must not panic, and what decrypts has a protected header
/// serde_json reads, with the `alg` and `enc` reported. Byte 0 odd: byte 1 picks the key (and its
/// alg) and the enc, byte 2 the bit to flip; the rest is the plaintext. It encrypts (CEK and IV
/// from the input, never zero), decrypts to the same plaintext, and every token with that one
/// bit changed is refused. Returns 1 when something decrypted.
pub fn jwe_decrypt(data: &[u8]) -> usize {
    let w = jwe();
    let [mode, rest @ ..] = data else { return 0 };
    if mode % 2 == 0 {
        let Ok(d) = w.decrypter.decrypt(rest) else { return 0 };
        let h: serde_json::Value = serde_json::from_str(&d.header_json)
            .unwrap_or_else(|e| panic!("a decrypted JWE's header is not JSON ({e}): {}", d.header_json));
        assert_eq!(h["alg"].as_str(), Some(d.alg.name()));
        assert_eq!(h["enc"].as_str(), Some(d.enc.name()));
        return 1;
    }
    let [sel, bit, plaintext @ ..] = rest else { return 0 };
    let Some((alg, enc, key)) = w.keys.get(usize::from(*sel) % w.keys.len()) else { return 0 };
    let enc = if *alg == KeyManagement::Dir {
        *enc
    } else {
        ContentEncryption::ALL[usize::from(sel >> 4) % ContentEncryption::ALL.len()]
    };
    let d = enc.desc();
    let fill = |n: usize, salt: u8| -> Vec<u8> { (0..n).map(|i| salt ^ (i as u8) | 1).collect() };
    let cek = if *alg == KeyManagement::Dir { Vec::new() } else { fill(d.cek_bytes, *bit) };
    let iv = fill(d.iv_bytes, sel.wrapping_add(*bit));
    let token = Encrypter::new(key.clone(), enc)
        .unwrap()
        .encrypt(plaintext, None, &cek, &iv)
        .unwrap_or_else(|e| panic!("encrypt refused ({}) {alg:?} {enc:?}", e.code()));
    let back =
        w.decrypter.decrypt(token.as_bytes()).unwrap_or_else(|e| panic!("own token refused: {}", e.code()));
    assert_eq!(back.plaintext, plaintext, "the plaintext did not round-trip");
    let mut changed = token.into_bytes();
    let at = usize::from(*bit) * 7 % (changed.len() * 8);
    changed[at / 8] ^= 1 << (at % 8);
    assert!(w.decrypter.decrypt(&changed).is_err(), "bit {at} changed and it still decrypted");
    1
}
