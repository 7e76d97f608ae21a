//! The `jwe` capability of the wasm boundary (Cargo feature `jwe`, the `jwt_wasm_jwe`
//! artifact): the decryption keys, the decrypter (allowlists, the constructor's caps), the
//! encrypter, and their ops (`jwe_add_key`, `jwe_decrypter`, `jwe_decrypt`, `jwe_encrypter`,
//! `jwe_encrypt`; `jwe_decrypt_begin` and `jwe_decrypt_end` for a content decryption by the
//! runtime's WebCrypto). A nested decrypt verifies the inner JWS with this `Core`'s verifier (the
//! `hmac` capability, which `jwe` implies). Its state is `Core::jwe`; the buffers and the error
//! output are `Core`'s (src/wasm.rs). The core draws no randomness: JS sends the CEK and IV.
//! With `jwe-ticket`, `ticket` adds `jwe_decrypt_park` and `jwe_decrypt_finish` (the second half
//! by a ticket, without the token).

#[allow(unused_imports)]
use crate::prelude::*;

use super::Core;
use crate::error::{Error, ErrorKind, JweRefusal};
use crate::jwe::{
    ContentEncryption, Decrypter, EncSet, Encrypter, JweKey, JweKeyRing, KeyManagement, KeyManagementSet,
};
use crate::protocol::SEP;
use crate::segments::Limits;
use crate::validation::media_type_eq;

#[cfg(feature = "jwe-ticket")]
mod ticket;

/// The state of the `jwe` capability in one `Core`.
pub(super) struct Jwe {
    keys: Vec<JweKey>,
    decrypter: Option<Decrypter>,
    encrypter: Option<Encrypter>,
    limits: Limits,
    /// The decrypts parked by `jwe_decrypt_park` until their finish (`ticket`).
    #[cfg(feature = "jwe-ticket")]
    parked: crate::pending::Pending<ticket::Parked>,
    /// The protected header the last park read (src/jwe/kept.rs).
    #[cfg(feature = "jwe-ticket")]
    kept: Option<crate::jwe::Kept>,
}

impl Jwe {
    /// The caps of `Core::new` (token bytes; header bytes, 0 for the default).
    pub(super) fn new(max_bytes: usize, max_header_bytes: u32) -> Self {
        let max_header_bytes = usize::try_from(max_header_bytes).ok().filter(|&n| n > 0);
        Jwe {
            keys: Vec::new(),
            decrypter: None,
            encrypter: None,
            limits: Limits { max_token_bytes: max_bytes, max_header_bytes },
            #[cfg(feature = "jwe-ticket")]
            parked: crate::pending::Pending::new(),
            #[cfg(feature = "jwe-ticket")]
            kept: None,
        }
    }
}

/// A wire index carried as a number (`u`): a whole number from 0, else none.
fn index(u: f64) -> Option<usize> {
    (0u8..16).find(|&i| f64::from(i) == u).map(usize::from)
}

/// The `jwe` operations behind [`Core::call`] (its arms in src/wasm.rs), public for the browser tests.
impl Core {
    /// Adds a decryption key: the input holds the kid (`kid_len` bytes, negative for none), then
    /// the key (`key_len` bytes); `alg` a `JWE_ALGS` index, `enc` a `JWE_ENCS` index for `dir`
    /// (negative otherwise). 0 or an error.
    pub fn jwe_add_key(&mut self, alg: u8, kid_len: i32, key_len: usize, enc: f64) -> u32 {
        match self.jwe_key_from_input(alg, kid_len, key_len, enc) {
            Ok(k) => {
                self.jwe.keys.push(k);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Builds the decrypter from the keys added and the allowlists (bit masks of `JWE_ALGS` and
    /// `JWE_ENCS`, both required); 0 or an error.
    pub fn jwe_decrypter(&mut self, algs: u8, encs: i32) -> u32 {
        let keys = core::mem::take(&mut self.jwe.keys);
        let built = KeyManagementSet::from_bits(algs).and_then(|algs| {
            let encs = EncSet::from_bits(u8::try_from(encs).map_err(|_| ErrorKind::InvalidOptions)?)?;
            Decrypter::new(JweKeyRing::new(keys)?, algs, encs, self.jwe.limits)
        });
        match built {
            Ok(d) => {
                self.jwe.decrypter = Some(d);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Decrypts the first `len` input bytes. Not nested: the output is the protected header
    /// JSON, SEP, the plaintext. Nested (`nested` 1): the header must say `cty: JWT`, and the
    /// plaintext is verified at `now` by this `Core`'s verifier; the output is the protected
    /// header JSON, SEP, the inner header JSON, SEP, the payload JSON (errors as for `verify`).
    pub fn jwe_decrypt(&mut self, nested: u8, len: usize, now: f64) -> u32 {
        let Some(d) = &self.jwe.decrypter else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let token = self.input.get(..len).unwrap_or(&[]);
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(token);
        match d.decrypt(token) {
            Ok(done) => self.jwe_decrypted(done, nested, now),
            Err(e) => self.fail(e),
        }
    }

    /// Phase 1 of a decrypt whose content the runtime decrypts (src/js/jwe-webcrypto.js): the
    /// JWE order up to the content decryption, decided here as for `jwe_decrypt`, and for
    /// CBC-HMAC the tag (a mismatch: `ERR_JWE_DECRYPTION_FAILED`, nothing handed out). The
    /// output is the key to decrypt with (none for `dir`: `num(1)` is the key's index; GCM: the
    /// CEK, zero when it did not unwrap; CBC: its AES half), the IV, the ciphertext and, for
    /// GCM, the tag, back to back; `num(0)` the enc, `num(2..6)` the four lengths, `num(6)` the
    /// output's address in the memory (bytes, not text).
    pub fn jwe_decrypt_begin(&mut self, len: usize) -> u32 {
        let Some(d) = &self.jwe.decrypter else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let token = self.input.get(..len).unwrap_or(&[]);
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(token);
        let (done, s) = match d.begin(token) {
            Ok(begun) => begun,
            Err(e) => return self.fail(e),
        };
        let gcm = matches!(done.enc, ContentEncryption::A128Gcm | ContentEncryption::A256Gcm);
        let (key, tag) =
            (if s.dir_key.is_some() { &[][..] } else { &s.cek[..] }, if gcm { &s.tag[..] } else { &[] });
        self.out.clear();
        for part in [key, &s.iv, &s.ciphertext, tag] {
            self.out.extend_from_slice(part);
        }
        // num(6): where the output lies in the memory, for JS to view its bytes (`out()` is text).
        let nums = [Some(done.enc.index()), s.dir_key, Some(key.len()), Some(s.iv.len())];
        let more = [Some(s.ciphertext.len()), Some(tag.len()), Some(self.out.as_ptr() as usize)];
        for (slot, n) in self.nums.iter_mut().zip(nums.into_iter().chain(more)) {
            *slot = n.and_then(|n| u32::try_from(n).ok()).map_or(-1.0, f64::from);
            // none: -1
        }
        0
    }

    /// Phase 2, stateless (decrypts may interleave between the two): the input holds the token
    /// again (`token_len` bytes), then the runtime's plaintext (`len` bytes); `ok` 1 when its
    /// decryption succeeded. The token is read again up to its key and unwrap; a failure of
    /// the runtime or a key that did not unwrap is `ERR_JWE_DECRYPTION_FAILED`; then as a
    /// nested `jwe_decrypt`.
    pub fn jwe_decrypt_end(&mut self, ok: u8, token_len: i32, len: usize, now: f64) -> u32 {
        let Some(d) = &self.jwe.decrypter else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let split = usize::try_from(token_len).ok().and_then(|n| self.input.split_at_checked(n));
        let Some((token, rest)) = split else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(token);
        let plaintext = if ok == 1 { rest.get(..len) } else { None };
        match d.finish(token, plaintext) {
            Ok(done) => self.jwe_decrypted(done, 1, now),
            Err(e) => self.fail(e),
        }
    }

    /// A decrypted JWE's output (not nested: header SEP plaintext), or its inner JWS verified
    /// (one copy for both ops: never inlined).
    #[inline(never)]
    fn jwe_decrypted(&mut self, done: crate::jwe::Decrypted, nested: u8, now: f64) -> u32 {
        if nested == 0 {
            self.out.clear();
            self.out.extend_from_slice(done.header_json.as_bytes());
            self.out.push(SEP);
            self.out.extend_from_slice(&done.plaintext);
            return 0;
        }
        if !done.cty.as_deref().is_some_and(|c| media_type_eq(c, "JWT")) {
            return self.fail(ErrorKind::JweRefused(JweRefusal::NotNested).into());
        }
        let status = self.verify_bytes(&done.plaintext, now);
        if status == 0 {
            let inner = core::mem::take(&mut self.out);
            self.out.extend_from_slice(done.header_json.as_bytes());
            self.out.push(SEP);
            self.out.extend_from_slice(&inner);
        }
        status
    }

    /// Sets the encryption key (input: kid then key, as for `jwe_add_key`) and the content
    /// encryption `enc` (a `JWE_ENCS` index; for `dir` the key's own); 0 or an error.
    pub fn jwe_encrypter(&mut self, alg: u8, kid_len: i32, key_len: usize, enc: f64) -> u32 {
        let dir = KeyManagement::from_index(usize::from(alg)) == Some(KeyManagement::Dir);
        let enc_of_key = if dir { enc } else { f64::from(crate::protocol::ABSENT) };
        let built = self.jwe_key_from_input(alg, kid_len, key_len, enc_of_key).and_then(|k| {
            let enc = index(enc).and_then(ContentEncryption::from_index).ok_or(ErrorKind::InvalidOptions)?;
            Encrypter::new(k, enc)
        });
        match built {
            Ok(e) => {
                self.jwe.encrypter = Some(e);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Encrypts: the input holds the plaintext (`len` bytes), the CEK (`cek_len` bytes; 0 for
    /// `dir`), then the IV (the rest); `nested` 1 puts `cty: JWT` in the header. The output is
    /// the compact JWE. 0 or an error.
    pub fn jwe_encrypt(&mut self, nested: u8, cek_len: i32, len: usize) -> u32 {
        let cek_len = usize::try_from(cek_len).ok();
        let Some(e) = &self.jwe.encrypter else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let parts = cek_len.and_then(|n| {
            let (plaintext, rest) = self.input.split_at_checked(len)?;
            let (cek, iv) = rest.split_at_checked(n)?;
            Some((plaintext, cek, iv))
        });
        let Some((plaintext, cek, iv)) = parts else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let cty = (nested == 1).then_some("JWT");
        match e.encrypt(plaintext, cty, cek, iv) {
            Ok(token) => {
                self.out = token.into_bytes();
                0
            }
            Err(e) => self.fail(e),
        }
    }

    fn jwe_key_from_input(&self, alg: u8, kid_len: i32, key_len: usize, enc: f64) -> crate::Result<JweKey> {
        let invalid = || Error::new(ErrorKind::InvalidOptions);
        let alg = KeyManagement::from_index(usize::from(alg)).ok_or_else(invalid)?;
        let enc = match index(enc) {
            Some(i) => Some(ContentEncryption::from_index(i).ok_or_else(invalid)?),
            None if enc < 0.0 => None,
            None => return Err(invalid()),
        };
        let kid_bytes = usize::try_from(kid_len).ok();
        let kid = match kid_bytes {
            Some(n) => Some(self.input_str(0, n).ok_or_else(invalid)?),
            None => None,
        };
        let start = kid_bytes.unwrap_or(0);
        let key = self.input.get(start..start.saturating_add(key_len)).ok_or_else(invalid)?;
        JweKey::new(kid.as_deref(), alg, enc, key)
    }
}
