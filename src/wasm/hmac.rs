//! The `hmac` capability of the wasm boundary (Cargo feature `hmac`, the `jwt_wasm_hmac`
//! artifact): the key ring, the verifier's policy, the signer, and their ops (`option`,
//! `add_key`, `finish`, `verify`, `set_signer`, `sign`), and the two phases of a verify whose MAC
//! the runtime computes natively (`verify_begin`, `verify_mac`: src/js/native-mac.js). Its state
//! is `Core::mac`; the shared buffers and the error output are `Core`'s (src/wasm.rs). A
//! claims-only artifact has none of it.

#[allow(unused_imports)]
use crate::prelude::*;

use super::{header_cap, Core};
use crate::alg::AlgorithmSet;
use crate::error::{Error, ErrorKind};
use crate::key::{HmacKey, KeyRing};
use crate::protocol::{opt, ALGORITHMS, SEP};
use crate::segments::Buffers;
use crate::sign::Signer;
use crate::validation::Validation;
use crate::verify::Verifier;

/// The state of the `hmac` capability in one `Core`.
pub(super) struct Mac {
    keys: Vec<HmacKey>,
    policy: Option<Validation>,
    pub(in crate::wasm) verifier: Option<Verifier>,
    signer: Option<Signer>,
    pub(in crate::wasm) bufs: Buffers,
    /// Between `verify_begin` and `verify_mac`: the chosen key's index and the call's `now`.
    #[cfg(feature = "native-mac")]
    pub(in crate::wasm) pending: Option<(usize, f64)>,
}

impl Mac {
    /// The policy of `Core::new`'s arguments (see there); keys and options come by ops.
    pub(super) fn new(
        alg_mask: u8,
        clock_tolerance: f64,
        max_token_age: f64,
        max_bytes: usize,
        max_header_bytes: u32,
    ) -> Self {
        let algorithms: AlgorithmSet = ALGORITHMS
            .iter()
            .enumerate()
            .filter(|(i, _)| alg_mask & (1 << i) != 0)
            .map(|(_, a)| *a)
            .collect();
        let policy = Validation::new(algorithms).ok().map(|mut p| {
            p.required_claims.clear();
            p.clock_tolerance = clock_tolerance;
            p.max_token_age = (max_token_age >= 0.0 || max_token_age.is_nan()).then_some(max_token_age);
            p.max_token_bytes = max_bytes;
            p.max_header_bytes = header_cap(i64::from(max_header_bytes));
            p
        });
        Mac {
            keys: Vec::new(),
            policy,
            verifier: None,
            signer: None,
            bufs: Buffers::default(),
            #[cfg(feature = "native-mac")]
            pending: None,
        }
    }
}

/// The `hmac` operations behind [`Core::call`] (its arms in src/wasm.rs), public for the browser tests.
impl Core {
    /// Adds a policy string (the first `len` input bytes) of the given kind; 0 or an error.
    pub fn option(&mut self, kind: u8, len: usize) -> u32 {
        let Some(value) = self.input_str(0, len) else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        if kind == opt::KEY_ISSUER {
            let bound = self
                .mac
                .keys
                .pop()
                .ok_or_else(|| ErrorKind::InvalidOptions.into())
                .and_then(|k| k.with_issuer(&value));
            return match bound {
                Ok(k) => {
                    self.mac.keys.push(k);
                    0
                }
                Err(e) => self.fail(e),
            };
        }
        let Some(p) = &mut self.mac.policy else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        match kind {
            opt::ISSUER => p.issuer.get_or_insert_with(Vec::new).push(value),
            opt::AUDIENCE => p.audience.get_or_insert_with(Vec::new).push(value),
            opt::SUBJECT => p.subject = Some(value),
            opt::TYP => p.typ = Some(value),
            opt::REQUIRED_CLAIMS => p.required_claims.push(value),
            _ => return self.fail(ErrorKind::InvalidOptions.into()),
        }
        0
    }

    /// Adds a key: the input holds the kid (`kid_len` bytes, negative for none), then the
    /// secret (`secret_len` bytes). 0 or an error.
    pub fn add_key(&mut self, alg: u8, kid_len: i32, secret_len: usize) -> u32 {
        match self.key_from_input(alg, kid_len, secret_len) {
            Ok(k) => {
                self.mac.keys.push(k);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Builds the key ring and checks the options; 0 or an error.
    pub fn finish(&mut self) -> u32 {
        let Some(policy) = self.mac.policy.take() else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        match KeyRing::new(core::mem::take(&mut self.mac.keys)).and_then(|ring| Verifier::new(ring, policy)) {
            Ok(v) => {
                self.mac.verifier = Some(v);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Verifies the first `len` input bytes at `now`. On success the output is the header
    /// JSON, a NUL, and the payload JSON; otherwise the error's reason and claim, and for claim
    /// failures (which follow a verified signature) a NUL and the payload JSON.
    pub fn verify(&mut self, len: usize, now: f64) -> u32 {
        #[cfg(feature = "native-mac")]
        {
            self.mac.pending = None;
        }
        let Some(v) = &self.mac.verifier else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let token = self.input.get(..len).unwrap_or(&[]);
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(token);
        let verdict = v.verify_into(token, now, &mut self.mac.bufs);
        self.verdict(verdict)
    }

    /// Verifies `token` (not the input buffer) at `now`, with the output of `verify`: the inner
    /// JWS of a nested JWE (src/wasm/jwe.rs).
    #[cfg(feature = "jwe")]
    pub(super) fn verify_bytes(&mut self, token: &[u8], now: f64) -> u32 {
        #[cfg(feature = "native-mac")]
        {
            self.mac.pending = None;
        }
        let Some(v) = &self.mac.verifier else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let verdict = v.verify_into(token, now, &mut self.mac.bufs);
        self.verdict(verdict)
    }

    /// Phase 1 of a verify whose MAC the runtime computes (src/js/native-mac.js): steps 1 to 4
    /// of the order of checks over the first `len` input bytes at `now` (the caps, the segments,
    /// base64url, the header, the algorithm and the key, all decided here). On success nothing
    /// is output, `num(0)` is the chosen key's index (its place among the keys as added) and
    /// `num(1)` the length of the signing input (a prefix of the token); only `verify_mac` may
    /// follow. Otherwise the error, as for `verify`.
    #[cfg(feature = "native-mac")]
    pub fn verify_begin(&mut self, len: usize, now: f64) -> u32 {
        self.mac.pending = None;
        let Some(v) = &self.mac.verifier else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let token = self.input.get(..len).unwrap_or(&[]);
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(token);
        let bufs = &mut self.mac.bufs;
        let chosen = v.decode_into(token, now, bufs).and_then(|signed| {
            let (key, _) = v.select(&bufs.header)?;
            let index = v.keys().iter().position(|k| core::ptr::eq(k, key));
            Ok((index.ok_or(ErrorKind::InvalidOptions)?, signed.len()))
        });
        match chosen {
            Ok((index, signed)) => {
                self.mac.pending = Some((index, now));
                self.out.clear();
                self.nums.fill(f64::NAN);
                #[allow(clippy::cast_precision_loss)] // both are below the token cap (2^31)
                let (index, signed) = (index as f64, signed as f64);
                self.nums[0] = index;
                self.nums[1] = signed;
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Phase 2: the input holds the MAC (`len` bytes) the runtime computed over the signing
    /// input with the key phase 1 chose. Step 5 compares it with the token's signature in
    /// constant time (both the digest length), then steps 6 and 7 run at phase 1's `now`.
    /// Output as for `verify`. Without a phase 1 just before: `ERR_INVALID_OPTIONS`.
    #[cfg(feature = "native-mac")]
    pub fn verify_mac(&mut self, len: usize) -> u32 {
        let (Some((index, now)), Some(v)) = (self.mac.pending.take(), &self.mac.verifier) else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let mac = self.input.get(..len).unwrap_or(&[]);
        let bufs = &self.mac.bufs;
        // Steps 3 and 4 again over the kept header: the same key, never one JS names.
        let verdict = v.select(&bufs.header).and_then(|(key, typ)| {
            if !v.keys().get(index).is_some_and(|k| core::ptr::eq(k, key)) {
                return Err(ErrorKind::InvalidOptions.into());
            }
            if !key.matches(mac, &bufs.signature) {
                return Err(ErrorKind::SignatureInvalid.into());
            }
            v.judge(key, typ, bufs, now)
        });
        self.verdict(verdict)
    }

    /// The output of a verification: the header JSON, a NUL and the payload JSON; otherwise the
    /// error's reason and claim, and for claim failures (which follow a verified signature) a
    /// NUL and the payload JSON.
    pub(in crate::wasm) fn verdict(&mut self, verdict: crate::Result<()>) -> u32 {
        match verdict {
            Ok(()) => {
                self.out.clear();
                self.out.extend_from_slice(&self.mac.bufs.header);
                self.out.push(SEP);
                self.out.extend_from_slice(&self.mac.bufs.payload);
                0
            }
            Err(e) => {
                // Claim failures come only after the signature verified: hand the payload back
                // with them, so a caller can act on "valid but expired" (jose's `payload`).
                let verified = matches!(e.kind(), ErrorKind::Expired { .. } | ErrorKind::Claim { .. });
                let n = self.fail(e);
                if verified {
                    self.out.push(SEP);
                    self.out.extend_from_slice(&self.mac.bufs.payload);
                }
                n
            }
        }
    }

    /// Sets the signing key (input: kid then secret, as for `add_key`); 0 or an error.
    pub fn set_signer(&mut self, alg: u8, kid_len: i32, secret_len: usize) -> u32 {
        match self.key_from_input(alg, kid_len, secret_len) {
            Ok(k) => {
                self.mac.signer = Some(Signer::new(k));
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Signs: the input holds the payload JSON (`len` bytes), then the `typ` (`typ_len` bytes,
    /// negative for the default `JWT`). The output is the compact token. 0 or an error.
    pub fn sign(&mut self, len: usize, typ_len: i32) -> u32 {
        let payload = self.input_str(0, len);
        let typ = usize::try_from(typ_len).ok().map(|t| self.input_str(len, t));
        let (Some(signer), Some(payload)) = (&self.mac.signer, payload) else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let typ = match typ {
            Some(Some(t)) => Some(t),
            Some(None) => return self.fail(ErrorKind::InvalidOptions.into()),
            None => None,
        };
        match signer.sign(&payload, typ.as_deref()) {
            Ok(token) => {
                self.out = token.into_bytes();
                0
            }
            Err(e) => self.fail(e),
        }
    }

    fn key_from_input(&self, alg: u8, kid_len: i32, secret_len: usize) -> crate::Result<HmacKey> {
        let invalid = || Error::new(ErrorKind::InvalidOptions);
        let alg = ALGORITHMS.get(usize::from(alg)).copied().ok_or_else(invalid)?;
        let kid_bytes = usize::try_from(kid_len).ok();
        let kid = match kid_bytes {
            Some(n) => Some(self.input_str(0, n).ok_or_else(invalid)?),
            None => None,
        };
        let start = kid_bytes.unwrap_or(0);
        let secret = self.input.get(start..start.saturating_add(secret_len)).ok_or_else(invalid)?;
        HmacKey::new(kid.as_deref(), alg, secret)
    }
}
