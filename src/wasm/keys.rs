//! The `keys` capability of the wasm boundary (Cargo feature `keys`, the `jwt_wasm_keys`
//! artifact): the public-key allowlist, the key ring read from JWKs and JWKS, certificates to
//! JWKs, the policy (op 0, as for HMAC), and the two phases of a verify whose signature the
//! runtime checks. With `keys-tickets` (the Node and workerd artifact) `pk_verify_begin` parks
//! what the second half needs (the decoded header and payload, moved out of the buffers, and the
//! key it chose) under a ticket (src/pending.rs), and `pk_verify_finish` takes the runtime's
//! verdict and the ticket and reads no token; a ticket that gives nothing (taken, parked over)
//! answers `PK_TICKET_GONE`, and JS then calls `pk_verify_end`, which keeps no state from the
//! begin and reads the token again (as it always does on the browsers' artifact, whose begin
//! gives no ticket). A fresh instance starts its table anew: JS presents a ticket only to the
//! instance that gave it (src/js/keys/ring.js). Its state is `Core::keys`; the buffers and the error output are
//! `Core`'s (src/wasm.rs).

#[allow(unused_imports)]
use crate::prelude::*;

use super::{header_cap, Core};
use crate::alg::{Algorithm, AlgorithmSet};
use crate::error::{ErrorKind, JwkProblem};
use crate::jwk::{
    has_duplicate_kid, read_jwk, read_jwks, KeySetRead, PublicAlgorithmSet, PublicKey, PublicVerifier, Read,
};
#[cfg(feature = "keys-tickets")]
use crate::pending::Pending;
#[cfg(feature = "keys-tickets")]
use crate::protocol::PK_TICKET_GONE;
use crate::protocol::{opt, SEP};
use crate::segments::Buffers;
use crate::validation::Validation;

/// The state of the `keys` capability in one `Core`.
pub(super) struct Keys {
    policy: Option<Validation>,
    allowed: Option<PublicAlgorithmSet>,
    ring: Vec<PublicKey>,
    verifier: Option<PublicVerifier>,
    bufs: Buffers,
    /// The verifications between their begin and their finish, by ticket.
    #[cfg(feature = "keys-tickets")]
    pending: Pending<Parked>,
}

/// What `pk_verify_begin` leaves for `pk_verify_finish`: the key it chose and the header and
/// payload JSON it decoded (the buffers' own allocations, moved, not copied).
#[cfg(feature = "keys-tickets")]
#[derive(Debug)]
struct Parked {
    key: usize,
    header: Vec<u8>,
    payload: Vec<u8>,
}

impl Keys {
    /// The policy of `Core::new`'s arguments (its `alg_mask` is the HMAC one, 0 here).
    pub(super) fn new(
        clock_tolerance: f64,
        max_token_age: f64,
        max_bytes: usize,
        max_header_bytes: u32,
    ) -> Self {
        // `Validation` carries an HMAC allowlist the public-key verifier never reads (its own
        // allowlist comes by `pk_algorithms`); one algorithm makes the policy well formed.
        let placeholder: AlgorithmSet = [Algorithm::HS256].into_iter().collect();
        let policy = Validation::new(placeholder).ok().map(|mut p| {
            p.required_claims.clear();
            p.clock_tolerance = clock_tolerance;
            p.max_token_age = (max_token_age >= 0.0 || max_token_age.is_nan()).then_some(max_token_age);
            p.max_token_bytes = max_bytes;
            p.max_header_bytes = header_cap(i64::from(max_header_bytes));
            p
        });
        Keys {
            policy,
            allowed: None,
            ring: Vec::new(),
            verifier: None,
            bufs: Buffers::default(),
            #[cfg(feature = "keys-tickets")]
            pending: Pending::new(),
        }
    }
}

/// The `keys` operations behind [`Core::call`] (its arms in src/wasm.rs), public for the browser tests.
impl Core {
    /// Adds a policy string (the first `len` input bytes) of the given kind (not `KEY_ISSUER`).
    pub fn pk_option(&mut self, kind: u8, len: usize) -> u32 {
        let (Some(value), Some(p)) = (self.input_str(0, len), &mut self.keys.policy) else {
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

    /// Whether `pk_algorithms` was called (a test build with hmac too finishes that verifier).
    #[cfg(feature = "hmac")]
    pub(super) fn keys_allowed(&self) -> bool {
        self.keys.allowed.is_some()
    }

    /// Sets the allowlist: `mask` bit i = `PK_ALGS[i]`, non-empty; before any key.
    pub fn pk_algorithms(&mut self, mask: i32) -> u32 {
        let set = u32::try_from(mask).ok().and_then(PublicAlgorithmSet::from_bits);
        match set {
            Some(s) if self.keys.ring.is_empty() && self.keys.verifier.is_none() => {
                self.keys.allowed = Some(s);
                0
            }
            _ => self.fail(ErrorKind::InvalidOptions.into()),
        }
    }

    /// Reads a JWKS (`set` 1) or one JWK (0) from the first `len` input bytes into the ring.
    /// Output: per accepted key its alg index, SEP, kid, SEP, minimal JWK, SEP between keys;
    /// `num(0)` keys accepted, `num(1)` skipped.
    pub fn pk_add_keys(&mut self, set: u8, len: usize) -> u32 {
        let (Some(text), Some(allowed)) = (self.input_str(0, len), self.keys.allowed) else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        if self.keys.verifier.is_some() || set > 1 {
            return self.fail(ErrorKind::InvalidOptions.into());
        }
        let read = if set == 1 {
            read_jwks(&text, allowed)
        } else {
            read_jwk(&text, allowed).map(|r| match r {
                Read::Key(k) => KeySetRead { keys: vec![k], skipped: 0 },
                Read::Skipped => KeySetRead { keys: Vec::new(), skipped: 1 },
            })
        };
        let read = match read {
            Ok(r) if has_duplicate_kid(&r.keys, &self.keys.ring) => Err(ErrorKind::JwksInvalid.into()),
            other => other,
        };
        match read {
            Ok(r) => {
                self.out.clear();
                for (i, k) in r.keys.iter().enumerate() {
                    if i > 0 {
                        self.out.push(SEP);
                    }
                    self.out.extend_from_slice(alg_index(k).as_bytes());
                    self.out.push(SEP);
                    self.out.extend_from_slice(k.kid().unwrap_or("").as_bytes());
                    self.out.push(SEP);
                    self.out.extend_from_slice(k.jwk().as_bytes());
                }
                self.nums.fill(f64::NAN);
                #[allow(clippy::cast_precision_loss)] // key counts are far below 2^52
                let (accepted, skipped) = (r.keys.len() as f64, r.skipped as f64);
                self.nums[0] = accepted;
                self.nums[1] = skipped;
                self.keys.ring.extend(r.keys);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// The minimal public JWK of a certificate (the first `len` input bytes: PEM or base64 DER).
    pub fn pk_cert_key(&mut self, len: usize) -> u32 {
        let Some(text) = self.input_str(0, len) else {
            return self.fail(JwkProblem::Certificate.into());
        };
        match crate::jwk::cert_jwk(&text) {
            Ok(jwk) => {
                self.out = jwk.into_bytes();
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Builds the verifier from the allowlist, the keys read (any number) and the policy.
    pub fn pk_finish(&mut self) -> u32 {
        let (Some(allowed), Some(policy)) = (self.keys.allowed, self.keys.policy.take()) else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        match PublicVerifier::new(core::mem::take(&mut self.keys.ring), allowed, policy) {
            Ok(v) => {
                self.keys.verifier = Some(v);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Phase 1 over the first `len` input bytes at `now`: steps 1 to 4 and the signature's form.
    /// Output: the raw signature bytes; `num(0)` the chosen key's index, `num(1)` the signing
    /// input's length, `num(2)` where the output lies in the memory and `num(3)` where the input
    /// does (its first `num(1)` bytes are the signing input), for JS to read their bytes;
    /// with `keys-tickets`, `num(4)` the ticket under which the decoded header and payload wait
    /// for `pk_verify_finish` (moved out of the buffers; the value a park displaces gives its
    /// allocations back to them), else NaN.
    pub fn pk_verify_begin(&mut self, len: usize, now: f64) -> u32 {
        let Some(v) = &self.keys.verifier else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let token = self.input.get(..len).unwrap_or(&[]);
        match v.begin(token, now, &mut self.keys.bufs) {
            Ok(b) => {
                self.out.clear();
                self.out.extend_from_slice(&self.keys.bufs.signature);
                self.nums.fill(f64::NAN);
                #[allow(clippy::cast_precision_loss)] // both are below the token cap (2^31)
                let (key, signed) = (b.key as f64, b.signed_len as f64);
                self.nums[0] = key;
                self.nums[1] = signed;
                let at = |p: usize| u32::try_from(p).map_or(-1.0, f64::from);
                self.nums[2] = at(self.out.as_ptr() as usize);
                self.nums[3] = at(self.input.as_ptr() as usize);
                #[cfg(feature = "keys-tickets")]
                {
                    let bufs = &mut self.keys.bufs;
                    let parked = Parked {
                        key: b.key,
                        header: core::mem::take(&mut bufs.header),
                        payload: core::mem::take(&mut bufs.payload),
                    };
                    let (ticket, displaced) = self.keys.pending.park(parked);
                    if let Some(d) = displaced {
                        give_back(bufs, d);
                    }
                    self.nums[4] = f64::from(ticket);
                }
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Phase 2 without the token: the runtime's verdict (`verified` 1) on the signature under
    /// key `key`, for the verification parked under `ticket`, then steps 6 and 7 at `now`.
    /// Output as for `verify`. A ticket that gives nothing answers `PK_TICKET_GONE` (no error:
    /// JS then calls `pk_verify_end` with the token); a key other than the one begin chose,
    /// `ERR_INVALID_OPTIONS` (the parked value is spent either way).
    #[cfg(feature = "keys-tickets")]
    pub fn pk_verify_finish(&mut self, verified: u8, ticket: i32, key: usize, now: f64) -> u32 {
        let Some(v) = &self.keys.verifier else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        if verified > 1 {
            return self.fail(ErrorKind::InvalidOptions.into());
        }
        let Some(parked) = self.keys.pending.take(ticket) else {
            return PK_TICKET_GONE;
        };
        // The parked header and payload go back into the buffers (their allocations serve the
        // next begin), where `pk_answer` reads them as after `end`.
        let bufs = &mut self.keys.bufs;
        (bufs.header, bufs.payload) = (parked.header, parked.payload);
        let result = if parked.key == key {
            v.finish(verified == 1, &bufs.header, &bufs.payload, now)
        } else {
            Err(ErrorKind::InvalidOptions.into())
        };
        self.pk_answer(result)
    }

    /// Phase 2: the runtime's verdict (`verified` 1) on the signature under key `key`; steps 1
    /// to 4 again over the token (the first `len` input bytes), then 6 and 7 at `now`. Output
    /// as for `verify`.
    pub fn pk_verify_end(&mut self, verified: u8, key: i32, len: usize, now: f64) -> u32 {
        let (Some(v), Ok(key)) = (&self.keys.verifier, usize::try_from(key)) else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        if verified > 1 {
            return self.fail(ErrorKind::InvalidOptions.into());
        }
        let token = self.input.get(..len).unwrap_or(&[]);
        let result = v.end(token, now, verified == 1, key, &mut self.keys.bufs);
        self.pk_answer(result)
    }

    /// The output of phase 2 (`end` or `finish`) over the header and payload in the buffers:
    /// header SEP payload, or the error, with the payload after a claim failure (those come only
    /// after the signature verified), as for `verify`.
    fn pk_answer(&mut self, result: crate::error::Result<()>) -> u32 {
        match result {
            Ok(()) => {
                self.out.clear();
                self.out.extend_from_slice(&self.keys.bufs.header);
                self.out.push(SEP);
                self.out.extend_from_slice(&self.keys.bufs.payload);
                0
            }
            Err(e) => {
                let verified = matches!(e.kind(), ErrorKind::Expired { .. } | ErrorKind::Claim { .. });
                let n = self.fail(e);
                if verified {
                    self.out.push(SEP);
                    self.out.extend_from_slice(&self.keys.bufs.payload);
                }
                n
            }
        }
    }
}

/// A parked value's allocations, emptied, back to the buffers for the next begin.
#[cfg(feature = "keys-tickets")]
fn give_back(bufs: &mut Buffers, parked: Parked) {
    let Parked { mut header, mut payload, .. } = parked;
    header.clear();
    payload.clear();
    bufs.header = header;
    bufs.payload = payload;
}

/// A key's PK_ALGS index in ASCII decimal.
fn alg_index(k: &PublicKey) -> String {
    let digit = u32::try_from(k.alg().index()).ok().and_then(|i| char::from_digit(i, 10));
    digit.map(String::from).unwrap_or_default()
}
