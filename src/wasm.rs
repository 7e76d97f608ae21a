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
//!
//! One boundary for every artifact (Cargo features, one wasm each: `make pkg`): `claims` (the
//! base: decode, inspect) lives here; each further capability is a child module holding its own
//! state in a field of `Core` and answering its own ops (`hmac`: keys, verify, sign). An op of a
//! capability the artifact was built without answers `ERR_JOSE_NOT_SUPPORTED`, never a trap, and
//! `caps()` tells JS which capabilities there are (`protocol::cap`).

use wasm_bindgen::prelude::wasm_bindgen;

#[allow(unused_imports)]
use crate::prelude::*;

use crate::dangerous;
use crate::error::{ClaimReason, Error, ErrorKind};
use crate::json::push_json_string;
use crate::protocol::{cap, op, reason, slot, SEP, SLOTS};
use crate::segments::Limits;

// The capabilities beyond `claims`, one module each (a future `jwe` or `keys` goes beside it).
#[cfg(feature = "hmac")]
mod hmac;
#[cfg(feature = "jwe")]
mod jwe;
#[cfg(feature = "keys")]
mod keys;

/// Without `std` (the shipped build), a panic is a plain trap: no formatting machinery is
/// linked. The core is panic-free by lint and by fuzzing; this is the last line.
#[cfg(not(feature = "std"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The capabilities this artifact was built with (`protocol::cap` bits), for the JS layer to
/// refuse, with a typed error, an API the artifact lacks.
#[wasm_bindgen]
#[must_use]
pub fn caps() -> u32 {
    let mut bits = cap::CLAIMS;
    if cfg!(feature = "hmac") {
        bits |= cap::HMAC;
    }
    if cfg!(feature = "native-mac") {
        bits |= cap::NATIVE_MAC;
    }
    if cfg!(feature = "jwe") {
        bits |= cap::JWE;
    }
    if cfg!(feature = "keys") {
        bits |= cap::KEYS;
    }
    bits
}

/// One engine object per JS `Verifier`, `Signer` or reader. Not part of the public JS API.
#[wasm_bindgen]
pub struct Core {
    /// The `hmac` capability's state: keys, policy, verifier, signer.
    #[cfg(feature = "hmac")]
    mac: hmac::Mac,
    /// The `jwe` capability's state: decryption keys, decrypter, encrypter.
    #[cfg(feature = "jwe")]
    jwe: jwe::Jwe,
    /// The `keys` capability's state: the public-key allowlist, ring, policy, verifier.
    #[cfg(feature = "keys")]
    keys: keys::Keys,
    input: Vec<u8>,
    out: Vec<u8>,
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
        #[cfg(not(any(feature = "hmac", feature = "keys")))]
        let _ = (alg_mask, clock_tolerance, max_token_age, max_header_bytes);
        #[cfg(all(feature = "keys", not(feature = "hmac")))]
        let _ = alg_mask;
        Core {
            #[cfg(feature = "hmac")]
            mac: hmac::Mac::new(alg_mask, clock_tolerance, max_token_age, max_bytes, max_header_bytes),
            #[cfg(feature = "jwe")]
            jwe: jwe::Jwe::new(max_bytes, max_header_bytes),
            #[cfg(feature = "keys")]
            keys: keys::Keys::new(clock_tolerance, max_token_age, max_bytes, max_header_bytes),
            input: Vec::new(),
            out: Vec::new(),
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
            op::DECODE => self.decode(c, b),
            op::INSPECT => self.inspect(c, b, t, u),
            // The `hmac` capability (src/wasm/hmac.rs) and its `native-mac` ops; a future one adds
            // its arms the same way.
            #[cfg(all(feature = "hmac", not(feature = "keys")))]
            op::OPTION => self.option(a, c),
            // The `keys` artifact (claims + keys) takes the policy and builds its verifier with
            // the same ops 0 and 2; a test build with both capabilities gives op 0 to both.
            #[cfg(all(feature = "keys", not(feature = "hmac")))]
            op::OPTION => self.pk_option(a, c),
            #[cfg(all(feature = "keys", not(feature = "hmac")))]
            op::FINISH => self.pk_finish(),
            #[cfg(feature = "hmac")]
            op::ADD_KEY => self.add_key(a, b, c),
            #[cfg(all(feature = "hmac", not(feature = "keys")))]
            op::FINISH => self.finish(),
            #[cfg(all(feature = "hmac", feature = "keys"))]
            op::OPTION => {
                // A keys Core (alg_mask 0) has no HMAC policy: its own answer counts then.
                let mac = self.option(a, c);
                if a == crate::protocol::opt::KEY_ISSUER {
                    mac
                } else {
                    let keys = self.pk_option(a, c);
                    if mac == 0 {
                        0
                    } else {
                        keys
                    }
                }
            }
            #[cfg(all(feature = "hmac", feature = "keys"))]
            op::FINISH => {
                if self.keys_allowed() {
                    self.pk_finish()
                } else {
                    self.finish()
                }
            }
            #[cfg(feature = "hmac")]
            op::VERIFY => self.verify(c, t),
            #[cfg(feature = "native-mac")]
            op::VERIFY_BEGIN => self.verify_begin(c, t),
            #[cfg(feature = "native-mac")]
            op::VERIFY_MAC => self.verify_mac(c),
            #[cfg(feature = "hmac")]
            op::SET_SIGNER => self.set_signer(a, b, c),
            #[cfg(feature = "hmac")]
            op::SIGN => self.sign(c, b),
            // An op of a capability this artifact was built without: said, never trapped.
            #[cfg(all(not(feature = "hmac"), not(feature = "keys")))]
            op::OPTION
            | op::ADD_KEY
            | op::FINISH
            | op::VERIFY
            | op::SET_SIGNER
            | op::SIGN
            | op::VERIFY_BEGIN
            | op::VERIFY_MAC => {
                let _ = a;
                self.fail(ErrorKind::NotSupported.into())
            }
            #[cfg(all(feature = "keys", not(feature = "hmac")))]
            op::ADD_KEY | op::VERIFY | op::SET_SIGNER | op::SIGN | op::VERIFY_BEGIN | op::VERIFY_MAC => {
                self.fail(ErrorKind::NotSupported.into())
            }
            #[cfg(all(feature = "hmac", not(feature = "native-mac")))]
            op::VERIFY_BEGIN | op::VERIFY_MAC => self.fail(ErrorKind::NotSupported.into()),
            // The `jwe` capability (src/wasm/jwe.rs). An artifact without it answers these ops
            // as unknown (`ERR_INVALID_OPTIONS`), so its bytes stay as they were; JS refuses the
            // API on `caps()` before any call.
            #[cfg(feature = "jwe")]
            op::JWE_ADD_KEY => self.jwe_add_key(a, b, c, u),
            #[cfg(feature = "jwe")]
            op::JWE_DECRYPTER => self.jwe_decrypter(a, b),
            #[cfg(feature = "jwe")]
            op::JWE_DECRYPT => self.jwe_decrypt(a, c, t),
            #[cfg(feature = "jwe")]
            op::JWE_ENCRYPTER => self.jwe_encrypter(a, b, c, u),
            #[cfg(feature = "jwe")]
            op::JWE_ENCRYPT => self.jwe_encrypt(a, b, c),
            #[cfg(feature = "jwe")]
            op::JWE_DECRYPT_BEGIN => self.jwe_decrypt_begin(c),
            #[cfg(feature = "jwe")]
            op::JWE_DECRYPT_END => self.jwe_decrypt_end(a, b, c, t),
            #[cfg(feature = "jwe-ticket")]
            op::JWE_DECRYPT_FINISH => self.jwe_decrypt_finish(a, b, c, t, u),
            #[cfg(feature = "jwe-ticket")]
            op::JWE_DECRYPT_PARK => self.jwe_decrypt_park(c, u),
            // The `keys` capability (src/wasm/keys.rs); other artifacts answer these ops as
            // unknown, so their bytes stay as they were.
            #[cfg(feature = "keys")]
            op::PK_ALGORITHMS => {
                if a == 0 {
                    self.pk_algorithms(b)
                } else {
                    self.fail(ErrorKind::InvalidOptions.into())
                }
            }
            #[cfg(feature = "keys")]
            op::PK_ADD_KEYS => self.pk_add_keys(a, c),
            #[cfg(feature = "keys")]
            op::PK_CERT_KEY => self.pk_cert_key(c),
            #[cfg(feature = "keys")]
            op::PK_VERIFY_BEGIN => self.pk_verify_begin(c, t),
            #[cfg(feature = "keys")]
            op::PK_VERIFY_END => self.pk_verify_end(a, b, c, t),
            #[cfg(feature = "keys-tickets")]
            op::PK_VERIFY_FINISH => self.pk_verify_finish(a, b, c, t),
            _ => self.fail(ErrorKind::InvalidOptions.into()),
        }
    }
}

/// The `claims` operations behind [`Core::call`], public for the browser tests.
impl Core {
    /// Decodes the first `len` input bytes **without verifying**, with a header cap (≤ 0: the
    /// default); output as for `verify`.
    pub fn decode(&mut self, len: usize, max_header: i32) -> u32 {
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(self.input.get(..len).unwrap_or(&[]));
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
        #[cfg(feature = "test-trap")]
        crate::trap::on_marker(self.input.get(..len).unwrap_or(&[]));
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
        #[cfg(feature = "jwe")]
        if let Some(r) = e.jwe_refusal() {
            self.out.clear();
            self.out.push(r.wire().letter);
            return e.kind().number();
        }
        #[cfg(feature = "keys")]
        if let Some(p) = e.jwk_problem() {
            self.out.clear();
            self.out.push(p.wire().letter);
            return e.kind().number();
        }
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
