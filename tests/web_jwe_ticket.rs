//! The ticketed second half of a decrypt (feature `jwe-ticket`, src/wasm/jwe/ticket.rs) in a
//! real page of headless Chromium, driven as src/js/jwe-webcrypto-ticket.js drives it:
//! `jwe_decrypt_park` lays out the parts to decrypt (read through a view of the memory at
//! `num(0)`) and parks the header under a ticket; the content is decrypted by RustCrypto in the
//! runtime's place; `jwe_decrypt_finish` takes the plaintext and the ticket and gives what a
//! nested `jwe_decrypt` gives. A ticket taken, parked over, of another `u`, or of another
//! `Core` is `JWE_TICKET_GONE` and nothing else; a failure is the one decryption error.
//!
//! Run with `make test-wasm` (`wasm-pack test --headless --chrome ...`; default features hold it).
#![cfg(feature = "jwe-ticket")]
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use js_sys::Uint8Array;
use jwt_wasm::protocol::{JWE_ALGS, JWE_ENCS, JWE_TICKET_GONE};
use jwt_wasm::{ContentEncryption, Core};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod boundary;
use boundary::*;

const SECRET: &[u8] = b"a browser-test secret of at least 32 bytes";
const NOW: f64 = 1_900_000_000.0;

fn alg_index(name: &str) -> u8 {
    u8::try_from(JWE_ALGS.iter().position(|a| a.name == name).unwrap()).unwrap()
}

fn enc_index(name: &str) -> f64 {
    f64::from(u32::try_from(JWE_ENCS.iter().position(|e| e.name == name).unwrap()).unwrap())
}

/// A Core as a JS Decrypter of `alg` + A256GCM under `key` (an HS256 verifier inside), and a
/// nested token sealed by an Encrypter of `seal_key` (the same key, or another).
fn setup(alg: &str, key: &[u8], seal_key: &[u8]) -> (Core, String) {
    let mut core = Core::new(MASK_HS256, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    let n = put(&mut core, &[SECRET])[0];
    assert_eq!(core.call(op::SET_SIGNER, HS256, ABSENT, n, 0.0, 0.0), 0);
    assert_eq!(core.call(op::ADD_KEY, HS256, ABSENT, n, 0.0, 0.0), 0);
    let n = put(&mut core, &[b"exp"])[0];
    assert_eq!(core.call(op::OPTION, opt::REQUIRED_CLAIMS, 0, n, 0.0, 0.0), 0, "requiredClaims, as JS sends");
    assert_eq!(core.call(op::FINISH, 0, 0, 0, 0.0, 0.0), 0, "finish: {}", out(&core));
    let n = put(&mut core, &[br#"{"sub":"u1","exp":2000000000}"#])[0];
    assert_eq!(core.call(op::SIGN, 0, ABSENT, n, 0.0, 0.0), 0);
    let jws = out(&core);
    let dir = alg == "dir";
    let u = |dir_enc: f64| if dir { dir_enc } else { -1.0 };
    let n = put(&mut core, &[seal_key])[0];
    let enc = enc_index("A256GCM");
    assert_eq!(core.call(op::JWE_ENCRYPTER, alg_index(alg), ABSENT, n, 0.0, enc), 0, "{}", out(&core));
    let n = put(&mut core, &[key])[0];
    assert_eq!(core.call(op::JWE_ADD_KEY, alg_index(alg), ABSENT, n, 0.0, u(enc)), 0, "{}", out(&core));
    assert_eq!(core.call(op::JWE_DECRYPTER, 0b111, 0b1111, 0, 0.0, 0.0), 0, "{}", out(&core));
    let cek: &[u8] = if dir { &[] } else { &[7; 32] };
    let lens = put(&mut core, &[jws.as_bytes(), cek, &[9; 12]]);
    assert_eq!(core.call(op::JWE_ENCRYPT, 1, i32::try_from(cek.len()).unwrap(), lens[0], 0.0, 0.0), 0);
    let token = out(&core);
    (core, token)
}

/// What the park laid out: the eight words, then the parts, read through a view of the memory
/// at `num(0)` (which is where the output lies).
struct Layout {
    words: [u32; 8],
    parts: [Vec<u8>; 5],
}

fn park(core: &mut Core, token: &str, u: f64) -> Result<Layout, u32> {
    let n = put(core, &[token.as_bytes()])[0];
    let status = core.call(op::JWE_DECRYPT_PARK, 0, 0, n, 0.0, u);
    if status != 0 {
        return Err(status);
    }
    assert_eq!(core.num(0), f64::from(js_u32(core.out().addr())), "num(0): the output's address");
    let len = js_u32(core.out_len());
    let view =
        Uint8Array::new_with_byte_offset_and_length(&memory().buffer(), js_u32(core.out().addr()), len);
    let bytes = view.slice(0, len).to_vec();
    let mut words = [0u32; 8];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap());
    }
    let mut at = 32;
    let parts = [2, 3, 4, 5, 6].map(|i| {
        let part = bytes[at..at + words[i] as usize].to_vec();
        at += words[i] as usize;
        part
    });
    assert_eq!(at, bytes.len(), "the parts fill the output");
    Ok(Layout { words, parts })
}

/// The runtime's AES-GCM over the layout (the dir key is the runtime's: `dir_key`).
fn runtime(l: &Layout, dir_key: &[u8]) -> Option<Vec<u8>> {
    let [key, iv, ct, tag, aad] = &l.parts;
    let key = if l.words[1] == u32::MAX { &key[..] } else { dir_key };
    jwt_wasm::__fuzz::content_decrypt(ContentEncryption::A256Gcm, key, iv, aad, ct, tag)
}

fn finish(core: &mut Core, ok: bool, ticket: u32, plaintext: &[u8], u: f64) -> u32 {
    let n = put(core, &[plaintext])[0];
    core.call(op::JWE_DECRYPT_FINISH, u8::from(ok), i32::try_from(ticket).unwrap(), n, NOW, u)
}

fn nested(core: &mut Core, token: &str) -> (u32, String) {
    let n = put(core, &[token.as_bytes()])[0];
    let status = core.call(op::JWE_DECRYPT, 1, 0, n, NOW, 0.0);
    (status, out(core))
}

#[wasm_bindgen_test]
fn park_lays_out_the_parts_and_finish_gives_what_a_nested_decrypt_gives() {
    for (alg, key) in [("dir", [3u8; 32]), ("A256KW", [4u8; 32])] {
        let (mut core, token) = setup(alg, &key, &key);
        let want = nested(&mut core, &token);
        assert_eq!(want.0, 0, "{alg}: {}", want.1);
        let l = park(&mut core, &token, 1.0).unwrap();
        let segments: Vec<&str> = token.split('.').collect();
        assert_eq!(l.words[0], 1, "{alg}: A256GCM's index");
        assert_eq!(l.words[1], if alg == "dir" { 0 } else { u32::MAX }, "{alg}: the dir key's index");
        assert_eq!(l.parts[0].len(), if alg == "dir" { 0 } else { 32 }, "{alg}: the unwrapped CEK");
        assert_eq!(l.parts[4], segments[0].as_bytes(), "{alg}: the AAD is the protected segment");
        assert!(l.words[7] > 0, "a ticket");
        let plaintext = runtime(&l, &key).unwrap();
        assert_eq!(finish(&mut core, true, l.words[7], &plaintext, 1.0), 0, "{alg}: {}", out(&core));
        assert_eq!((0, out(&core)), want, "{alg}: the nested decrypt's output");
        // Taken: the same ticket again gives nothing, and the output is left as it was.
        assert_eq!(finish(&mut core, true, l.words[7], &plaintext, 1.0), JWE_TICKET_GONE, "{alg}");
        assert_eq!(out(&core), want.1, "{alg}: nothing else happened");
        // A runtime failure, a wrong plaintext: the decryption error, the inner verify's.
        let l = park(&mut core, &token, 2.0).unwrap();
        assert_eq!(finish(&mut core, false, l.words[7], &plaintext, 2.0), err::JWE_DECRYPTION_FAILED.number);
        let l = park(&mut core, &token, 3.0).unwrap();
        assert_eq!(finish(&mut core, true, l.words[7], b"x.y.z", 3.0), err::JWS_INVALID.number, "{alg}");
    }
}

#[wasm_bindgen_test]
fn a_ticket_parked_over_of_another_u_or_of_another_core_gives_nothing() {
    let key = [5u8; 32];
    let (mut core, token) = setup("dir", &key, &key);
    let first = park(&mut core, &token, 10.0).unwrap();
    let plaintext = runtime(&first, &key).unwrap();
    let mut last = 0;
    for u in 0..64 {
        last = park(&mut core, &token, f64::from(100 + u)).unwrap().words[7];
    }
    assert_eq!(finish(&mut core, true, first.words[7], &plaintext, 10.0), JWE_TICKET_GONE, "parked over");
    assert_eq!(finish(&mut core, true, last, &plaintext, 100.0), JWE_TICKET_GONE, "another u");
    assert_eq!(finish(&mut core, true, last, &plaintext, 163.0), JWE_TICKET_GONE, "taken by the try above");
    for ticket in [0, u32::MAX >> 1, 1] {
        assert_eq!(finish(&mut core, true, ticket, &plaintext, 0.0), JWE_TICKET_GONE, "ticket {ticket}");
    }
    // A fresh Core (as after a trap, on a fresh instance) gives the same first ticket: only
    // its own u takes it.
    let (mut other, _) = setup("dir", &key, &key);
    let mine = park(&mut other, &token, 11.0).unwrap();
    assert_eq!(mine.words[7], first.words[7], "the same number");
    assert_eq!(finish(&mut other, true, first.words[7], &plaintext, 10.0), JWE_TICKET_GONE);
    let again = park(&mut other, &token, 12.0).unwrap();
    assert_eq!(finish(&mut other, true, again.words[7], &plaintext, 12.0), 0, "{}", out(&other));
}

#[wasm_bindgen_test]
fn a_key_that_does_not_unwrap_is_refused_by_finish_and_park_refuses_what_begin_refuses() {
    let (mut core, token) = setup("A256KW", &[4; 32], &[6; 32]);
    let l = park(&mut core, &token, 1.0).unwrap();
    assert!(l.parts[0].iter().all(|&b| b == 0), "a zero CEK handed out");
    // Whatever the runtime makes of it, the finish refuses: the key did not unwrap.
    assert_eq!(finish(&mut core, true, l.words[7], b"x.y.z", 1.0), err::JWE_DECRYPTION_FAILED.number);
    assert_eq!(park(&mut core, "a.b.c", 1.0).err(), Some(err::JWE_INVALID.number));
    let flipped = format!("{}A", &token[..token.len() - 1]);
    let begin = {
        let n = put(&mut core, &[flipped.as_bytes()])[0];
        core.call(op::JWE_DECRYPT_BEGIN, 0, 0, n, 0.0, 0.0)
    };
    assert_eq!(park(&mut core, &flipped, 1.0).err().unwrap_or(0), begin, "the same verdict as begin");
}
