//! Signing: compact JWS tokens minted with one key.

use crate::alg::Algorithm;
use crate::b64;
use crate::claims::Claims;
use crate::error::Result;
use crate::json::push_json_string;
use crate::key::HmacKey;
#[allow(unused_imports)]
use crate::prelude::*;

/// Mints compact tokens with one key.
#[derive(Debug, Clone)]
pub struct Signer {
    key: HmacKey,
}

impl Signer {
    /// A signer using `key` (its algorithm and kid go into the header).
    #[must_use]
    pub fn new(key: HmacKey) -> Self {
        Self { key }
    }

    /// The key's algorithm.
    #[must_use]
    pub fn alg(&self) -> Algorithm {
        self.key.alg()
    }

    /// Signs `payload_json`, which must be a strict JSON object whose registered claims have
    /// their RFC 7519 types. The header is `{"alg":…,"typ":…,"kid":…}`; `typ` defaults to `JWT`.
    pub fn sign(&self, payload_json: &str, typ: Option<&str>) -> Result<String> {
        Claims::parse(payload_json)?;
        let mut header = String::with_capacity(64);
        header.push_str("{\"alg\":\"");
        header.push_str(self.key.alg().name());
        header.push_str("\",\"typ\":");
        push_json_string(&mut header, typ.unwrap_or("JWT"));
        if let Some(kid) = self.key.kid() {
            header.push_str(",\"kid\":");
            push_json_string(&mut header, kid);
        }
        header.push('}');
        let mut token = String::with_capacity((header.len() + payload_json.len()) * 4 / 3 + 100);
        b64::encode_into(header.as_bytes(), &mut token);
        token.push('.');
        b64::encode_into(payload_json.as_bytes(), &mut token);
        let tag = self.key.sign(&[token.as_bytes()]);
        token.push('.');
        b64::encode_into(&tag, &mut token);
        Ok(token)
    }
}
