//! Decryption of a compact JWE, in a fixed order: (1) size caps and five segments; (2) the
//! protected header, strict base64url and strict JSON, and its refusals; (3) `alg` and `enc`
//! in their allowlists; (4) the key by exact `kid`; (5) strict base64url of the other parts and
//! their exact lengths (IV, tag; an empty encrypted key for `dir` only); (6) the CEK (the key
//! for `dir`, else unwrapped) and the content decryption with the protected header's ASCII as
//! the AAD. Every failure of step 6 is `ERR_JWE_DECRYPTION_FAILED` on one path: a key that does
//! not unwrap still goes through the content decryption (over a zero CEK) and is refused after.

use super::alg::{ContentEncryption, EncSet, KeyManagement, KeyManagementSet};
use super::key::{JweKey, JweKeyRing};
use super::{compact, content, header, wrap};
use crate::b64;
use crate::error::{ErrorKind, JweRefusal, Result};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::segments::Limits;
use core::borrow::Borrow;

/// A decrypted JWE: the protected header as decoded JSON text, what this library read of it,
/// and the plaintext (bytes: JSON claims, or for `cty: JWT` a signed token to verify next).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The decoded protected header (strict JSON, duplicates refused).
    pub header_json: String,
    /// `alg`.
    pub alg: KeyManagement,
    /// `enc`.
    pub enc: ContentEncryption,
    /// `kid`, if present.
    pub kid: Option<String>,
    /// `cty`, if present.
    pub cty: Option<String>,
    /// `typ`, if present.
    pub typ: Option<String>,
    /// The plaintext.
    pub plaintext: Vec<u8>,
}

/// What the content decryption of step 6 takes (for one done elsewhere: `jwe_decrypt_begin`,
/// src/js/jwe-webcrypto.js): the CEK (zero when it did not unwrap), the decoded IV, ciphertext
/// and tag (their lengths checked), the AAD (the protected segment) and, for `dir`, the key's
/// index in the ring (the runtime holds that key already).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed<'t> {
    /// The content-encryption key (for CBC-HMAC the MAC key, then the AES key).
    pub cek: Vec<u8>,
    /// False when the encrypted key did not unwrap: the decryption must then fail.
    pub unwrapped: bool,
    /// For `dir`: the index of the key in the ring.
    pub dir_key: Option<usize>,
    /// The IV.
    pub iv: Vec<u8>,
    /// The ciphertext.
    pub ciphertext: Vec<u8>,
    /// The authentication tag.
    pub tag: Vec<u8>,
    /// The AAD: the protected header's base64url, ASCII.
    pub aad: &'t [u8],
}

/// A JWE decrypter: keys, the two allowlists (required, never empty) and the size caps.
#[derive(Debug, Clone)]
pub struct Decrypter {
    pub(super) ring: JweKeyRing,
    algs: KeyManagementSet,
    encs: EncSet,
    pub(super) limits: Limits,
    /// (`jwe-ticket`) This decrypter's own number (a clone has the same keys and allowlists: the
    /// same), for the header kept by src/jwe/kept.rs.
    #[cfg(feature = "jwe-ticket")]
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(super) id: u32,
}

/// The numbers of the decrypters made (src/jwe/kept.rs): never the same twice in one instance.
#[cfg(feature = "jwe-ticket")]
static DECRYPTERS: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

impl Decrypter {
    /// Refused with `ERR_INVALID_OPTIONS`: bad caps, or a key whose algorithm (or, for `dir`,
    /// whose enc) the allowlists leave out (a key that could never be used is a mistake).
    pub fn new(ring: JweKeyRing, algs: KeyManagementSet, encs: EncSet, limits: Limits) -> Result<Self> {
        limits.check()?;
        let usable =
            ring.keys().iter().all(|k| algs.contains(k.alg()) && k.enc().is_none_or(|e| encs.contains(e)));
        if !usable {
            return Err(ErrorKind::InvalidOptions.into());
        }
        #[cfg(feature = "jwe-ticket")]
        let id = crate::verify::next_number(&DECRYPTERS)?;
        Ok(Self {
            ring,
            algs,
            encs,
            limits,
            #[cfg(feature = "jwe-ticket")]
            id,
        })
    }

    /// Decrypts a compact JWE (steps 1 to 6 of this file's order).
    pub fn decrypt(&self, token: &[u8]) -> Result<Decrypted> {
        let (mut done, s) = self.open(token)?;
        let plaintext = content::decrypt(done.enc, &s.cek, &s.iv, s.aad, &s.ciphertext, &s.tag);
        let (Some(plaintext), true) = (plaintext, s.unwrapped) else {
            return Err(ErrorKind::JweDecryptionFailed.into());
        };
        done.plaintext = plaintext;
        Ok(done)
    }

    /// The first half of a decrypt whose content the runtime decrypts (`jwe_decrypt_begin`):
    /// [`Self::open`], then for CBC-HMAC the tag in constant time (a mismatch is the one
    /// `ERR_JWE_DECRYPTION_FAILED`, nothing decrypted); `cek` becomes the key the runtime
    /// decrypts with (GCM: the CEK; CBC: its AES half).
    pub fn begin<'t>(&self, token: &'t [u8]) -> Result<(Decrypted, Sealed<'t>)> {
        let (done, s) = self.open(token)?;
        Self::unsealed(done, s)
    }

    /// What [`Self::begin`] makes of the opened parts: for CBC-HMAC the tag checked, and the
    /// key the runtime decrypts with in place of the CEK. `done` is passed through, owned or
    /// shared (src/jwe/kept.rs: an `Rc`); the browsers' build has only the owned one.
    #[inline(always)] // `begin` compiles as one function, as before the split
    pub(super) fn unsealed<D: Borrow<Decrypted>>(done: D, mut s: Sealed<'_>) -> Result<(D, Sealed<'_>)> {
        let key = content::unseal_key(done.borrow().enc, &s.cek, &s.iv, s.aad, &s.ciphertext, &s.tag);
        let key = key.ok_or(ErrorKind::JweDecryptionFailed)?.to_vec();
        s.cek = key;
        Ok((done, s))
    }

    /// The second half (`jwe_decrypt_end`), stateless: the token is read again (steps 1 to 5
    /// and the unwrap, so nothing is taken on the first half's word; only the ciphertext is not
    /// decoded again: its bytes are the runtime's, decrypted from what the first half checked)
    /// and the runtime's plaintext, `None` when its decryption failed, taken; a failure or a key
    /// that did not unwrap is the one `ERR_JWE_DECRYPTION_FAILED`.
    pub fn finish(&self, token: &[u8], plaintext: Option<&[u8]>) -> Result<Decrypted> {
        // The rule of `finish_opened`, written out here: the browsers' artifact keeps its bytes.
        let (mut done, s) = self.read(token, false)?;
        let (Some(plaintext), true) = (plaintext, s.unwrapped) else {
            return Err(ErrorKind::JweDecryptionFailed.into());
        };
        done.plaintext = plaintext.to_vec();
        Ok(done)
    }

    /// The second half without the token (`jwe_decrypt_finish`, feature `jwe-ticket`): `done`
    /// and `unwrapped` are what [`Self::begin`] read of this very token (the boundary parked them
    /// under a ticket and gives them back once, src/wasm/jwe/ticket.rs), and the runtime's
    /// plaintext, `None` when its decryption failed, is taken on the same rule as in
    /// [`Self::finish`]: a failure or a key that did not unwrap is the one
    /// `ERR_JWE_DECRYPTION_FAILED` (tests/jwe_split.rs: the two give the same for every case).
    pub fn finish_opened(
        mut done: Decrypted,
        unwrapped: bool,
        plaintext: Option<&[u8]>,
    ) -> Result<Decrypted> {
        done.plaintext = Self::accepted(unwrapped, plaintext)?.to_vec();
        Ok(done)
    }

    /// The rule of [`Self::finish_opened`] without the copy: the runtime's plaintext (`None`
    /// when its decryption failed) if the key unwrapped, else the one `ERR_JWE_DECRYPTION_FAILED`
    /// (`jwe_decrypt_finish` verifies the inner token where it lies, in the input buffer).
    pub fn accepted(unwrapped: bool, plaintext: Option<&[u8]>) -> Result<&[u8]> {
        match (plaintext, unwrapped) {
            (Some(plaintext), true) => Ok(plaintext),
            _ => Err(ErrorKind::JweDecryptionFailed.into()),
        }
    }

    /// Steps 1 to 5 and the CEK of step 6, for a content decryption done elsewhere: the header
    /// read (an empty plaintext) and the sealed parts. A key that does not unwrap gives a zero
    /// CEK and `unwrapped` false: the caller still decrypts, then refuses, on the path of a
    /// wrong tag.
    pub fn open<'t>(&self, token: &'t [u8]) -> Result<(Decrypted, Sealed<'t>)> {
        self.read(token, true)
    }

    /// Steps 1 to 5 (and the CEK); without `content` the ciphertext is left undecoded (empty),
    /// for [`Self::finish`], which has the runtime's plaintext of it.
    #[inline(never)]
    fn read<'t>(&self, token: &'t [u8], content: bool) -> Result<(Decrypted, Sealed<'t>)> {
        let parts = compact::split(token, self.limits)?;
        let (done, key) = self.head(parts.protected)?;
        self.sealed(&parts, done, key, content)
    }

    /// Steps 2 to 4 over the protected segment: the header (its plaintext empty) and the key
    /// chosen for it. A function of the segment's bytes and this decrypter alone (src/jwe/kept.rs
    /// relies on it).
    #[inline(never)] // one function (`read`, and the kept header's miss): 34 B less gzip than inlined
    pub(super) fn head(&self, protected: &[u8]) -> Result<(Decrypted, &JweKey)> {
        let invalid = || ErrorKind::JweInvalid;
        let mut header_bytes = Vec::new();
        b64::decode(protected, &mut header_bytes).map_err(|()| invalid())?;
        let header_json = String::from_utf8(header_bytes).map_err(|_| invalid())?;
        let h = header::parse(&header_json)?;
        if !self.algs.contains(h.alg) {
            return Err(ErrorKind::JweRefused(JweRefusal::AlgNotAllowed).into());
        }
        if !self.encs.contains(h.enc) {
            return Err(ErrorKind::JweRefused(JweRefusal::EncNotAllowed).into());
        }
        let key = self.ring.select(h.alg, h.enc, h.kid.as_deref()).ok_or(ErrorKind::NoMatchingKey)?;
        let owned = |s: Option<Cow<'_, str>>| s.map(Cow::into_owned);
        let (alg, enc, kid, cty, typ) = (h.alg, h.enc, owned(h.kid), owned(h.cty), owned(h.typ));
        Ok((Decrypted { header_json, alg, enc, kid, cty, typ, plaintext: Vec::new() }, key))
    }

    /// Step 5 and the CEK of step 6 for the header `done` (passed through, owned or shared, as
    /// in [`Self::unsealed`]) and its `key`.
    #[inline(always)] // `read` compiles as one function, as before the split
    pub(super) fn sealed<'t, D: Borrow<Decrypted>>(
        &self,
        parts: &compact::Parts<'t>,
        done: D,
        key: &JweKey,
        content: bool,
    ) -> Result<(D, Sealed<'t>)> {
        let invalid = || ErrorKind::JweInvalid;
        let decode = |seg: &[u8]| {
            let mut out = Vec::new();
            b64::decode(seg, &mut out).map(|()| out).map_err(|()| invalid())
        };
        let (wrapped, iv, ciphertext, tag) = (
            decode(parts.encrypted_key)?,
            decode(parts.iv)?,
            if content { decode(parts.ciphertext)? } else { Vec::new() },
            decode(parts.tag)?,
        );
        let (alg, enc) = (done.borrow().alg, done.borrow().enc);
        let d = enc.desc();
        let dir = alg == KeyManagement::Dir;
        if iv.len() != d.iv_bytes || tag.len() != d.tag_bytes || dir != wrapped.is_empty() {
            return Err(invalid().into());
        }
        let (cek, unwrapped) = if dir {
            (key.bytes().to_vec(), true)
        } else {
            let mut cek = vec![0u8; d.cek_bytes];
            let ok = wrap::unwrap(alg, key.bytes(), &wrapped, &mut cek);
            (cek, ok)
        };
        let dir_key = dir.then(|| self.ring.keys().iter().position(|k| core::ptr::eq(k, key))).flatten();
        let sealed = Sealed { cek, unwrapped, dir_key, iv, ciphertext, tag, aad: parts.protected };
        Ok((done, sealed))
    }
}
