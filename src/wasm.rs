//! The wasm boundary: the only file that knows about JavaScript.
//!
//! It is deliberately narrow and cheap: every export takes and returns plain numbers. Bytes go
//! in through one reused input buffer that JS fills with `TextEncoder.encodeInto` (no per-call
//! allocation, no per-character copy loop), and come out through one output buffer that JS
//! reads with `TextDecoder` (decoded header and payload JSON, which JS parses with
//! `JSON.parse`; a signed token; or an error's reason and claim). Errors are small numbers
//! (`ErrorKind::number`) that `src/js/errors.js` maps to classes. Options arrive through a few
//! calls after the JS layer validated them (it throws `TypeError`). Every number and layout of
//! this exchange is declared in src/protocol.rs, which the JS side is generated from.

use wasm_bindgen::prelude::wasm_bindgen;

#[allow(unused_imports)]
use crate::prelude::*;

use crate::alg::AlgorithmSet;
use crate::dangerous;
use crate::error::{ClaimReason, Error, ErrorKind};
use crate::json::push_json_string;
use crate::key::{HmacKey, KeyRing};
use crate::protocol::{op, opt, reason, slot, ALGORITHMS, SEP, SLOTS};
use crate::segments::{Buffers, Limits};
use crate::sign::Signer;
use crate::validation::Validation;
use crate::verify::Verifier;

/// Without `std` (the shipped build), a panic is a plain trap: no formatting machinery is
/// linked. The core is panic-free by lint and by fuzzing; this is the last line.
#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// One engine object per JS `Verifier`, `Signer` or reader. Not part of the public JS API.
#[wasm_bindgen]
pub struct Core {
    keys: Vec<HmacKey>,
    policy: Option<Validation>,
    verifier: Option<Verifier>,
    signer: Option<Signer>,
    input: Vec<u8>,
    out: Vec<u8>,
    bufs: Buffers,
    nums: [f64; SLOTS],
    /// The size cap for `decode` and `inspect` (the verifier's lives in its policy).
    max_bytes: usize,
}

#[wasm_bindgen]
impl Core {
    /// An engine allowing the algorithms in `alg_mask` (bit i = `ALGORITHMS[i]`); a
    /// negative `max_token_age` means none; `max_header_bytes` 0 means the default cap.
    /// `requiredClaims` starts empty here: JS sends them.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new(
        alg_mask: u8,
        clock_tolerance: f64,
        max_token_age: f64,
        max_token_bytes: u32,
        max_header_bytes: u32,
    ) -> Core {
        let max_bytes = usize::try_from(max_token_bytes).unwrap_or(usize::MAX);
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
        Core {
            keys: Vec::new(),
            policy,
            verifier: None,
            signer: None,
            input: Vec::new(),
            out: Vec::new(),
            bufs: Buffers::default(),
            nums: [f64::NAN; SLOTS],
            max_bytes,
        }
    }

    /// A pointer to the input buffer, resized to `len` bytes, for `TextEncoder.encodeInto` or
    /// `Uint8Array.set`. Valid until the next call into wasm.
    pub fn input(&mut self, len: usize) -> *mut u8 {
        self.input.clear();
        self.input.resize(len, 0);
        self.input.as_mut_ptr()
    }

    /// A pointer to the output of the last call.
    pub fn out(&self) -> *const u8 {
        self.out.as_ptr()
    }

    /// The length of the output of the last call.
    pub fn out_len(&self) -> usize {
        self.out.len()
    }

    /// A number of the last inspection, by [`slot`]; NaN when absent.
    pub fn num(&self, i: usize) -> f64 {
        self.nums.get(i).copied().unwrap_or(f64::NAN)
    }

    /// The one dispatching export for the operations below (fewer exports, less glue): the
    /// [`op`] numbers, with the arguments of `protocol::OPS`. Returns 0 or an error number.
    pub fn call(&mut self, op: u8, a: u8, b: i32, c: usize, t: f64, u: f64) -> u32 {
        match op {
            op::OPTION => self.option(a, c),
            op::ADD_KEY => self.add_key(a, b, c),
            op::FINISH => self.finish(),
            op::VERIFY => self.verify(c, t),
            op::DECODE => self.decode(c, b),
            op::INSPECT => self.inspect(c, b, t, u),
            op::SET_SIGNER => self.set_signer(a, b, c),
            op::SIGN => self.sign(c, b),
            _ => self.fail(ErrorKind::InvalidOptions.into()),
        }
    }
}

/// The operations behind [`Core::call`], public for the browser tests.
impl Core {
    /// Adds a policy string (the first `len` input bytes) of the given kind; 0 or an error.
    pub fn option(&mut self, kind: u8, len: usize) -> u32 {
        let Some(value) = self.input_str(0, len) else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        if kind == opt::KEY_ISSUER {
            let bound = self
                .keys
                .pop()
                .ok_or_else(|| ErrorKind::InvalidOptions.into())
                .and_then(|k| k.with_issuer(&value));
            return match bound {
                Ok(k) => {
                    self.keys.push(k);
                    0
                }
                Err(e) => self.fail(e),
            };
        }
        let Some(p) = &mut self.policy else {
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
                self.keys.push(k);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Builds the key ring and checks the options; 0 or an error.
    pub fn finish(&mut self) -> u32 {
        let Some(policy) = self.policy.take() else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        match KeyRing::new(core::mem::take(&mut self.keys)).and_then(|ring| Verifier::new(ring, policy)) {
            Ok(v) => {
                self.verifier = Some(v);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Verifies the first `len` input bytes at `now`. On success the output is the header
    /// JSON, a NUL, and the payload JSON; otherwise the error's reason and claim, and for claim
    /// failures (which follow a verified signature) a NUL and the payload JSON.
    pub fn verify(&mut self, len: usize, now: f64) -> u32 {
        let Some(v) = &self.verifier else {
            return self.fail(ErrorKind::InvalidOptions.into());
        };
        let token = self.input.get(..len).unwrap_or(&[]);
        match v.verify_into(token, now, &mut self.bufs) {
            Ok(()) => {
                self.out.clear();
                self.out.extend_from_slice(&self.bufs.header);
                self.out.push(SEP);
                self.out.extend_from_slice(&self.bufs.payload);
                0
            }
            Err(e) => {
                // Claim failures come only after the signature verified: hand the payload back
                // with them, so a caller can act on "valid but expired" (jose's `payload`).
                let verified = matches!(e.kind(), ErrorKind::Expired { .. } | ErrorKind::Claim { .. });
                let n = self.fail(e);
                if verified {
                    self.out.push(SEP);
                    self.out.extend_from_slice(&self.bufs.payload);
                }
                n
            }
        }
    }

    /// Decodes the first `len` input bytes **without verifying**, with a header cap (≤ 0: the
    /// default); output as for `verify`.
    pub fn decode(&mut self, len: usize, max_header: i32) -> u32 {
        let Some(token) = self.input_str(0, len) else {
            return self.fail(ErrorKind::JwsInvalid.into());
        };
        match dangerous::decode_unverified(&token, self.limits(max_header)) {
            Ok(t) => {
                self.set_out(&[&t.header_json, &t.payload_json]);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Inspects the first `len` input bytes **without verifying**, at `now`, with a lifetime
    /// ceiling. Output: header, NUL, payload, NUL, a JSON array of personal-data claim names;
    /// `num(..)` holds the times and warnings.
    pub fn inspect(&mut self, len: usize, max_header: i32, now: f64, max_lifetime: f64) -> u32 {
        let Some(token) = self.input_str(0, len) else {
            return self.fail(ErrorKind::JwsInvalid.into());
        };
        match dangerous::inspect(&token, now, max_lifetime, self.limits(max_header)) {
            Ok(i) => {
                let nan = f64::NAN;
                let n = &mut self.nums;
                n[slot::EXP] = i.exp.unwrap_or(nan);
                n[slot::NBF] = i.nbf.unwrap_or(nan);
                n[slot::IAT] = i.iat.unwrap_or(nan);
                n[slot::WARNINGS] = f64::from(i.warnings);
                n[slot::EXPIRES_IN] = i.expires_in.unwrap_or(nan);
                n[slot::EXPIRED] = f64::from(u8::from(i.expired));
                n[slot::NOT_YET_VALID] = f64::from(u8::from(i.not_yet_valid));
                n[slot::LIFETIME] = i.lifetime.unwrap_or(nan);
                let mut names = String::from("[");
                for (n, name) in i.personal_data.iter().enumerate() {
                    if n > 0 {
                        names.push(',');
                    }
                    push_json_string(&mut names, name);
                }
                names.push(']');
                self.set_out(&[&i.token.header_json, &i.token.payload_json, &names]);
                0
            }
            Err(e) => self.fail(e),
        }
    }

    /// Sets the signing key (input: kid then secret, as for `add_key`); 0 or an error.
    pub fn set_signer(&mut self, alg: u8, kid_len: i32, secret_len: usize) -> u32 {
        match self.key_from_input(alg, kid_len, secret_len) {
            Ok(k) => {
                self.signer = Some(Signer::new(k));
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
        let (Some(signer), Some(payload)) = (&self.signer, payload) else {
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
}

/// A header cap from the wire: a positive number of bytes, else (0 or negative) the default.
fn header_cap(n: i64) -> Option<usize> {
    usize::try_from(n).ok().filter(|&n| n > 0)
}

impl Core {
    /// The size caps of `decode` and `inspect`: this reader's token cap, the call's header cap.
    fn limits(&self, max_header: i32) -> Limits {
        Limits { max_token_bytes: self.max_bytes, max_header_bytes: header_cap(i64::from(max_header)) }
    }

    /// `len` input bytes from `start` as a string, if they are UTF-8.
    fn input_str(&self, start: usize, len: usize) -> Option<String> {
        let bytes = self.input.get(start..start.checked_add(len)?)?;
        core::str::from_utf8(bytes).ok().map(str::to_owned)
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

    fn set_out(&mut self, parts: &[&str]) {
        self.out.clear();
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                self.out.push(SEP);
            }
            self.out.extend_from_slice(p.as_bytes());
        }
    }

    /// Records an error: the output becomes its reason digit (`protocol::reason`) followed by
    /// its claim name. Returns its number.
    fn fail(&mut self, e: Error) -> u32 {
        let digit = match e.key_problem() {
            Some(p) => p.wire().digit,
            None => e.reason().map_or(reason::NONE, ClaimReason::wire).digit,
        };
        self.out.clear();
        self.out.push(digit);
        self.out.extend_from_slice(e.claim_name().unwrap_or("").as_bytes());
        e.kind().number()
    }
}
