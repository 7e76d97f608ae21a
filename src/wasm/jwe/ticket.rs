//! The ticketed second half of a decrypt whose content the runtime decrypts (Cargo feature
//! `jwe-ticket`, the Node and workerd artifact `jwt_wasm_jwe_simd.wasm`; the JS side is
//! src/js/jwe-webcrypto-ticket.js): `jwe_decrypt_park` is `jwe_decrypt_begin` (the same order,
//! the same checks, the same parts handed out) that also parks what it read of the token (the
//! protected header and what the core took of it, whether the key unwrapped) in
//! `Jwe::parked` (src/pending.rs) under a ticket, and lays its output out for one read;
//! `jwe_decrypt_finish` takes the runtime's plaintext and the ticket instead of the token, so the
//! token is neither sent nor read again. A ticket that gives nothing (taken, its slot parked over
//! by more than `Pending::SLOTS` parks since, or another instance's, or with another `u`) is
//! `JWE_TICKET_GONE`, nothing else happens, and JS sends the token to the stateless
//! `jwe_decrypt_end`, which stays the fallback. The `u` of the park comes back with the finish:
//! JS gives each decrypt its own (a counter), so a ticket of an instance that trapped, whose
//! number a fresh instance gives again, never takes another token's parked header.

#[allow(unused_imports)]
use crate::prelude::*;

use super::super::Core;
use crate::error::{ErrorKind, JweRefusal};
use crate::jwe::{ContentEncryption, Decrypted, Decrypter};
use crate::protocol::{JWE_TICKET_GONE, SEP};
use crate::validation::media_type_eq;
use alloc::rc::Rc;

/// What the finish needs of a parked decrypt: the header read (its plaintext empty), whether
/// the key unwrapped, and the park's `u`.
pub(in crate::wasm) struct Parked {
    done: Rc<Decrypted>,
    unwrapped: bool,
    nonce: u64,
}

/// The words of the layout before the parts (`jwe_decrypt_park`'s row in src/protocol/jwe.rs).
const WORDS: usize = 8;

impl Core {
    /// `jwe_decrypt_begin` over the first `len` input bytes, parked under a ticket (`u`, the
    /// caller's number for this decrypt, comes back with the finish). The output: `WORDS`
    /// little-endian u32 (the enc, the dir key's index or `u32::MAX`, the lengths of the key,
    /// IV, ciphertext, GCM tag and AAD, the ticket), then those parts; `num(0)` its address.
    pub fn jwe_decrypt_park(&mut self, len: usize, u: f64) -> u32 {
        let Some(d) = &self.jwe.decrypter else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let token = self.input.get(..len).unwrap_or(&[]);
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(token);
        let (done, s) = match d.begin_kept(token, &mut self.jwe.kept) {
            Ok(begun) => begun,
            Err(e) => return self.fail(e),
        };
        let gcm = matches!(done.enc, ContentEncryption::A128Gcm | ContentEncryption::A256Gcm);
        let (key, tag) =
            (if s.dir_key.is_some() { &[][..] } else { &s.cek[..] }, if gcm { &s.tag[..] } else { &[] });
        let parts = [key, &s.iv[..], &s.ciphertext[..], tag, s.aad];
        let word = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let dir = s.dir_key.map_or(u32::MAX, word);
        let (unwrapped, enc) = (s.unwrapped, word(done.enc.index()));
        let (ticket, _) = self.jwe.parked.park(Parked { done, unwrapped, nonce: u.to_bits() });
        let head = [enc, dir, word(key.len()), word(s.iv.len()), word(s.ciphertext.len()), word(tag.len())];
        self.out.clear();
        let words = head.into_iter().chain([word(s.aad.len()), u32::try_from(ticket).unwrap_or(0)]);
        for w in words.take(WORDS) {
            self.out.extend_from_slice(&w.to_le_bytes());
        }
        for part in parts {
            self.out.extend_from_slice(part);
        }
        if let Some(at) = self.nums.first_mut() {
            *at = f64::from(word(self.out.as_ptr() as usize));
        }
        0
    }

    /// The second half by `ticket`: the input holds the runtime's plaintext (`len` bytes), `ok`
    /// 1 when its decryption succeeded, `u` the park's. `JWE_TICKET_GONE` when the ticket gives
    /// nothing; else as `jwe_decrypt_end` (the same rule for the plaintext, the same verify).
    pub fn jwe_decrypt_finish(&mut self, ok: u8, ticket: i32, len: usize, now: f64, u: f64) -> u32 {
        if self.jwe.decrypter.is_none() {
            return self.fail(ErrorKind::InvalidOptions.into());
        }
        let Some(parked) = self.jwe.parked.take(ticket).filter(|p| p.nonce == u.to_bits()) else {
            return JWE_TICKET_GONE;
        };
        let plaintext = if ok == 1 { self.input.get(..len) } else { None };
        let plaintext = match Decrypter::accepted(parked.unwrapped, plaintext) {
            Ok(p) => p,
            Err(e) => return self.fail(e),
        };
        // As `jwe_decrypted` (nested): `cty` first, then the inner JWS verified where it lies
        // (no copy of the plaintext), and the output written once, in order, into `out` as it is
        // (no buffer taken and grown again): protected header SEP inner header SEP payload.
        let done = parked.done;
        if !done.cty.as_deref().is_some_and(|c| media_type_eq(c, "JWT")) {
            return self.fail(ErrorKind::JweRefused(JweRefusal::NotNested).into());
        }
        #[cfg(feature = "native-mac")]
        {
            self.mac.pending = None;
        }
        let Some(v) = &self.mac.verifier else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        match v.verify_into(plaintext, now, &mut self.mac.bufs) {
            Ok(()) => {
                let (bufs, out) = (&self.mac.bufs, &mut self.out);
                out.clear();
                out.reserve(done.header_json.len() + bufs.header.len() + bufs.payload.len() + 2);
                out.extend_from_slice(done.header_json.as_bytes());
                out.push(SEP);
                out.extend_from_slice(&bufs.header);
                out.push(SEP);
                out.extend_from_slice(&bufs.payload);
                0
            }
            Err(e) => self.verdict(Err(e)),
        }
    }
}
