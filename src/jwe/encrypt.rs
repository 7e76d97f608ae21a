//! Encryption into a compact JWE: the protected header `{"alg","enc"[,"kid"][,"cty"]}`, the CEK
//! wrapped (or, for `dir`, the key itself), the content encrypted with the header's ASCII as
//! the AAD. The caller draws the CEK and IV (the core has no randomness): their lengths are
//! exact, and an all-zero CEK or IV (a buffer never filled) is refused.

use super::alg::{ContentEncryption, KeyManagement};
use super::key::JweKey;
use super::{content, wrap};
use crate::b64;
use crate::error::{ErrorKind, Result};
use crate::json::push_json_string;
#[allow(unused_imports)]
use crate::prelude::*;

/// A JWE encrypter: one key and the content encryption it uses.
#[derive(Debug, Clone)]
pub struct Encrypter {
    key: JweKey,
    enc: ContentEncryption,
}

impl Encrypter {
    /// For a `dir` key, `enc` must be the key's own (`ERR_INVALID_OPTIONS` otherwise).
    pub fn new(key: JweKey, enc: ContentEncryption) -> Result<Self> {
        if key.enc().is_some_and(|e| e != enc) {
            return Err(ErrorKind::InvalidOptions.into());
        }
        Ok(Self { key, enc })
    }

    /// Encrypts `plaintext` with the caller's fresh `cek` (empty for `dir`, else exactly the
    /// enc's CEK length) and `iv` (exactly the enc's IV length); `cty` goes into the header
    /// (`JWT` only over a plaintext of three segments: a signed token). `ERR_INVALID_OPTIONS`
    /// for a wrong length, an all-zero CEK or IV, or a `cty: JWT` over anything else.
    pub fn encrypt(&self, plaintext: &[u8], cty: Option<&str>, cek: &[u8], iv: &[u8]) -> Result<String> {
        let bad = || ErrorKind::InvalidOptions;
        let d = self.enc.desc();
        let alg = self.key.alg();
        let dir = alg == KeyManagement::Dir;
        let cek_ok =
            if dir { cek.is_empty() } else { cek.len() == d.cek_bytes && cek.iter().any(|&b| b != 0) };
        let iv_ok = iv.len() == d.iv_bytes && iv.iter().any(|&b| b != 0);
        let nested_ok = cty.is_none_or(|c| {
            !crate::validation::media_type_eq(c, "JWT") || crate::segments::split(plaintext).is_ok()
        });
        if !cek_ok || !iv_ok || !nested_ok {
            return Err(bad().into());
        }
        let (cek, wrapped) = if dir {
            (self.key.bytes(), Vec::new())
        } else {
            (cek, wrap::wrap(alg, self.key.bytes(), cek).ok_or_else(bad)?)
        };
        let mut header = String::from("{\"alg\":\"");
        header.push_str(alg.name());
        header.push_str("\",\"enc\":\"");
        header.push_str(d.name);
        header.push('"');
        for (name, value) in [("kid", self.key.kid()), ("cty", cty)] {
            if let Some(v) = value {
                header.push_str(",\"");
                header.push_str(name);
                header.push_str("\":");
                push_json_string(&mut header, v);
            }
        }
        header.push('}');
        let mut out = String::new();
        b64::encode_into(header.as_bytes(), &mut out);
        let (ciphertext, tag) =
            content::encrypt(self.enc, cek, iv, out.as_bytes(), plaintext).ok_or_else(bad)?;
        for part in [&wrapped[..], iv, &ciphertext, &tag] {
            out.push('.');
            b64::encode_into(part, &mut out);
        }
        Ok(out)
    }
}
