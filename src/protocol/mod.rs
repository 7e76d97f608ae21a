//! The wasm wire protocol, declared once: every number and message that `Core` (src/wasm.rs)
//! and the JavaScript layer (src/js/index.js, src/js/errors.js) exchange.
//!
//! `cargo run --example protocol` renders this file into `src/js/internal/protocol.js` (what the
//! JS layer imports) and `tests/vectors/protocol.json` (the description other tools and tests
//! read); `make lint` runs it with `--check`, so a number changed on one side only fails. The
//! browser tests (`tests/boundary`) use this module directly. It holds only constants, compiles
//! natively and for wasm, and knows nothing of JavaScript values: nothing here adds code to the
//! wasm, whose exports use only the numbers.
//!
//! The exchange: JS creates
//! `new Core(alg_mask, clock_tolerance, max_token_age, max_token_bytes, max_header_bytes)`,
//! writes an operation's bytes back to back into the input buffer (`input(len)` returns where),
//! and runs `call(op, a, b, c, t, u)` (`op`), which returns 0 or an error number (`err`).
//! The output buffer (`out()`, `out_len()`) then holds the parts in [`OPS`], separated by
//! [`SEP`]; an error's output is in [`ERROR_OUTPUT`]. After `inspect`, `num(slot)` reads the
//! numbers of `slot`.
//!
//! This file holds what every artifact shares; `jwe.rs` the `jwe` capability's rows, tables,
//! errors and refusals, `keys.rs` the `keys` capability's (`PK_ALGS`, the JWK problems).

use crate::alg::Algorithm;

/// Declares a module of numbered constants and `ALL`, each constant with its name, in order:
/// the list the generator renders (the wasm uses only the constants).
macro_rules! numbered {
    ($(#[$doc:meta])* pub mod $module:ident: $ty:ty { $($(#[$item:meta])* $name:ident = $value:expr;)* }) => {
        $(#[$doc])*
        pub mod $module {
            #[allow(unused_imports)]
            use super::*;
            $($(#[$item])* pub const $name: $ty = $value;)*
            /// Every constant of this module with its name, in declaration order.
            pub const ALL: &[(&str, $ty)] = &[$((stringify!($name), $name)),*];
        }
    };
}

// The capabilities' own parts, each in a file apart; their items keep their paths here.
mod jwe;
mod keys;
pub use jwe::{
    jwe_refusal, JweAlgDesc, JweEncDesc, JweRefusalDesc, JWE_ALGS, JWE_ENCS, JWE_ERRORS, JWE_TICKET_GONE,
};
pub use keys::{jwk_problem, JwkProblemDesc, PkAlgDesc, KEYS_ERRORS, PK_ALGS, PK_TICKET_GONE};

numbered! {
    /// Operations of `Core::call(op, a, b, c, t, u)`; [`OPS`] says what each argument means.
    pub mod op: u8 {
        /// Adds a policy string of an option kind (`opt`).
        OPTION = 0;
        /// Adds a verification key.
        ADD_KEY = 1;
        /// Builds the verifier from the keys and options sent so far.
        FINISH = 2;
        /// Verifies a token.
        VERIFY = 3;
        /// Decodes a token **without verifying it**.
        DECODE = 4;
        /// Describes a token **without verifying it**.
        INSPECT = 5;
        /// Sets the signing key.
        SET_SIGNER = 6;
        /// Signs a payload.
        SIGN = 7;
        /// Verifies a token up to its key (steps 1 to 4), for a MAC the runtime computes.
        VERIFY_BEGIN = 8;
        /// Finishes `verify_begin` with the runtime's MAC (steps 5 to 7).
        VERIFY_MAC = 9;
        /// Adds a JWE decryption key (feature `jwe`).
        JWE_ADD_KEY = 10;
        /// Builds the decrypter from the JWE keys sent so far and the two allowlists.
        JWE_DECRYPTER = 11;
        /// Decrypts a compact JWE (and, nested, verifies the inner JWS with this `Core`'s verifier).
        JWE_DECRYPT = 12;
        /// Sets the JWE encryption key and content encryption.
        JWE_ENCRYPTER = 13;
        /// Encrypts a plaintext into a compact JWE with the CEK and IV the caller drew.
        JWE_ENCRYPT = 14;
        /// A decrypt up to its content: the parts for the runtime's WebCrypto (src/js/jwe-webcrypto.js).
        JWE_DECRYPT_BEGIN = 15;
        /// Reads the token again and takes the runtime's plaintext (or its failure); then as `jwe_decrypt`.
        JWE_DECRYPT_END = 16;
        /// Finishes a parked decrypt by its ticket with the runtime's plaintext, without the token (feature `jwe-ticket`).
        JWE_DECRYPT_FINISH = 17;
        /// As `jwe_decrypt_begin`, and parks what the finish needs under a ticket; its layout in the memory.
        JWE_DECRYPT_PARK = 18;
        /// Sets the public-key allowlist (feature `keys`).
        PK_ALGORITHMS = 20;
        /// Reads a JWKS or one JWK into the public-key ring; outputs each accepted key.
        PK_ADD_KEYS = 21;
        /// The minimal public JWK of an X.509 certificate's SubjectPublicKeyInfo.
        PK_CERT_KEY = 22;
        /// Verifies a token up to its key (steps 1 to 4) and hands out its signature for the runtime.
        PK_VERIFY_BEGIN = 23;
        /// Finishes a public-key verify with the runtime's verdict (steps 1 to 4 again, then 6 and 7).
        PK_VERIFY_END = 24;
        /// Finishes a public-key verify parked by `pk_verify_begin`, by its ticket (steps 6 and 7).
        PK_VERIFY_FINISH = 25;
    }
}

/// How JS drives a `Core` (the description, not code).
pub const EXCHANGE: &str = "new Core(alg_mask, clock_tolerance, max_token_age, max_token_bytes, max_header_bytes \
(0: the default, 8 KiB or the token cap if lower)); per operation: \
input(len) returns where to write the input parts back to back, call(op, a, b, c, t, u) returns 0 or an error number, \
out() and out_len() give the output, num(slot) the numbers of an inspection";

/// Each operation: its number, what `a`, `b`, `c`, `t`, `u` carry, the input bytes, the output
/// (the `jwe_*` rows are in `jwe.rs`, the `pk_*` rows in `keys.rs`, joined here in this order).
pub const OPS: [OpLayout; 25] = {
    let [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9] = CORE_OPS;
    let [j0, j1, j2, j3, j4, j5, j6, j7, j8] = jwe::JWE_OPS;
    let [k0, k1, k2, k3, k4, k5] = keys::PK_OPS;
    [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, j0, j1, j2, j3, j4, j5, j6, j7, j8, k0, k1, k2, k3, k4, k5]
};

/// The rows of [`OPS`] for the ops every artifact with `hmac` knows (0 to 9).
const CORE_OPS: [OpLayout; 10] = [
    OpLayout { op: op::OPTION, args: "a = option kind, c = value length", input: "value", output: "" },
    OpLayout {
        op: op::ADD_KEY,
        args: "a = algorithm index, b = kid length (negative: no kid), c = secret length",
        input: "kid, secret",
        output: "",
    },
    OpLayout { op: op::FINISH, args: "", input: "", output: "" },
    OpLayout {
        op: op::VERIFY,
        args: "c = token length, t = now (seconds)",
        input: "token",
        output: "header JSON, SEP, payload JSON",
    },
    OpLayout {
        op: op::DECODE,
        args: "b = header cap in bytes (0 or negative: the default), c = token length",
        input: "token",
        output: "header JSON, SEP, payload JSON",
    },
    OpLayout {
        op: op::INSPECT,
        args: "b = header cap in bytes (0 or negative: the default), c = token length, t = now (seconds), \
u = lifetime ceiling (seconds)",
        input: "token",
        output: "header JSON, SEP, payload JSON, SEP, personal-data claim names as a JSON array; num(slot)",
    },
    OpLayout { op: op::SET_SIGNER, args: "as add_key", input: "kid, secret", output: "" },
    OpLayout {
        op: op::SIGN,
        args: "b = typ length (negative: the default JWT), c = payload length",
        input: "payload JSON, typ",
        output: "the compact token",
    },
    OpLayout {
        op: op::VERIFY_BEGIN,
        args: "c = token length, t = now (seconds)",
        input: "token",
        output: "nothing; num(0) = the chosen key's index (in the order added), num(1) = the signing input's length",
    },
    OpLayout {
        op: op::VERIFY_MAC,
        args: "c = MAC length (right after verify_begin)",
        input: "the MAC of the signing input under the chosen key",
        output: "as verify",
    },
];

/// How one operation uses the arguments and the buffers (the description, not code).
#[derive(Debug, Clone, Copy)]
pub struct OpLayout {
    /// The `op` number.
    pub op: u8,
    /// What the arguments `a`, `b`, `c`, `t`, `u` of `call` carry (unnamed ones are 0).
    pub args: &'static str,
    /// The parts of the input buffer, back to back.
    pub input: &'static str,
    /// The output buffer on success (empty: nothing).
    pub output: &'static str,
}

/// The output of a failed operation: the reason digit (`reason`), the claim name (may be
/// empty), and after a verified signature (`ERR_JWT_EXPIRED`, `ERR_JWT_CLAIM_VALIDATION_FAILED`)
/// [`SEP`] and the payload JSON.
pub const ERROR_OUTPUT: &str =
    "reason digit (for ERR_KEY_INVALID the key-problem digit; for a refused JWE the jwe_refusal \
letter; for ERR_JWK_INVALID the jwk_problem letter), claim name; after a verified signature also SEP, payload JSON";

/// The byte between the parts of an output (NUL).
pub const SEP: u8 = 0;

/// A length or an age JS sends for "none" (`Core` reads any negative value so).
pub const ABSENT: i32 = -1;

numbered! {
    /// Option kinds of [`op::OPTION`], named after the JS option they carry (`requiredClaims`).
    pub mod opt: u8 {
        /// An accepted `iss` (one call per value).
        ISSUER = 0;
        /// An accepted `aud` (one call per value).
        AUDIENCE = 1;
        /// The required `sub`.
        SUBJECT = 2;
        /// The required header `typ`.
        TYP = 3;
        /// A claim that must be present (one call per name; JS sends `exp` by default).
        REQUIRED_CLAIMS = 4;
        /// The issuer the key added last speaks for (`keys[i].issuer`): a token it verified must
        /// carry exactly this `iss`.
        KEY_ISSUER = 5;
    }
}

/// The algorithms by wire index: the `a` of `add_key` and `set_signer`, and bit `i` of the
/// constructor's `alg_mask` for `ALGORITHMS[i]`.
pub const ALGORITHMS: [Algorithm; 3] = Algorithm::ALL;

/// One kind of error at the boundary: its number (what `call` returns), its stable code and
/// its default message (JS and Rust say the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorDesc {
    /// The status `call` returns (0 is success).
    pub number: u32,
    /// The stable code, `ERR_…` (jose's where the meaning is the same).
    pub code: &'static str,
    /// The default message: static, it never contains input.
    pub message: &'static str,
}

const fn e(number: u32, code: &'static str, message: &'static str) -> ErrorDesc {
    ErrorDesc { number, code, message }
}

numbered! {
    /// The error kinds (`ErrorKind::number`, `ErrorKind::code`, `ErrorKind::message`).
    pub mod err: ErrorDesc {
        /// Not a compact JWS.
        JWS_INVALID = e(1, "ERR_JWS_INVALID", "token is not a valid compact JWS");
        /// The payload is not a strict JSON object.
        JWT_INVALID = e(2, "ERR_JWT_INVALID", "token payload is not a valid JWT claims set");
        /// The token is longer than allowed.
        TOO_LARGE = e(3, "ERR_JWT_TOO_LARGE", "token is larger than allowed");
        /// The header `alg` is not allowed.
        ALG_NOT_ALLOWED = e(4, "ERR_JOSE_ALG_NOT_ALLOWED", "token algorithm is not allowed");
        /// `crit`, `b64: false` or nesting.
        NOT_SUPPORTED = e(5, "ERR_JOSE_NOT_SUPPORTED", "token uses an unsupported JOSE feature");
        /// The MAC did not verify.
        SIGNATURE_INVALID = e(6, "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", "signature verification failed");
        /// Expired (`exp`) or too old (`iat`; Rust says [`MAX_AGE_MESSAGE`](super::MAX_AGE_MESSAGE)).
        EXPIRED = e(7, "ERR_JWT_EXPIRED", "token has expired");
        /// A claim failed; Rust's message depends on the `reason`.
        CLAIM = e(8, "ERR_JWT_CLAIM_VALIDATION_FAILED", reason::CHECK_FAILED.message);
        /// No key fits the header.
        NO_MATCHING_KEY = e(9, "ERR_JWKS_NO_MATCHING_KEY", "no key matches the token");
        /// A key is empty, too short or ambiguous.
        KEY_INVALID = e(10, "ERR_KEY_INVALID", "key is invalid");
        /// The options are inconsistent (JS throws a `TypeError` with this code).
        INVALID_OPTIONS = e(11, "ERR_INVALID_OPTIONS", "options are invalid");
        /// Not a compact JWE: five segments, base64url, the protected header, the lengths.
        JWE_INVALID = e(12, "ERR_JWE_INVALID", "token is not a valid compact JWE");
        /// The JWE did not decrypt; one error and one path for every cause (no padding or tag oracle).
        JWE_DECRYPTION_FAILED = e(13, "ERR_JWE_DECRYPTION_FAILED", "decryption operation failed");
        /// Not a key set: not a strict JSON object with a `keys` array of objects, or duplicate kids (feature `keys`).
        JWKS_INVALID = e(14, "ERR_JWKS_INVALID", "key set is invalid");
        /// A JWK is malformed or refused; the `jwk_problem` letter says why (feature `keys`).
        JWK_INVALID = e(15, "ERR_JWK_INVALID", "key is malformed or refused");
    }
}

/// Rust's message for `ERR_JWT_EXPIRED` on `iat` (older than the maximum age); JS keeps the
/// default of [`err::EXPIRED`].
pub const MAX_AGE_MESSAGE: &str = "token is older than the maximum age";

/// Why a claim failed, as it crosses the boundary: the first byte of an error output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonDesc {
    /// The ASCII digit on the wire.
    pub digit: u8,
    /// jose's name (`ClaimReason::as_str`, the JS `reason`); empty for none.
    pub name: &'static str,
    /// Rust's message for a claim error with this reason.
    pub message: &'static str,
    /// The end of the JS message of a claim error, `"<claim>" claim <phrase>`.
    pub phrase: &'static str,
}

const fn r(digit: u8, name: &'static str, message: &'static str, phrase: &'static str) -> ReasonDesc {
    ReasonDesc { digit, name, message, phrase }
}

numbered! {
    /// Claim reasons (`ClaimReason`), by digit.
    pub mod reason: ReasonDesc {
        /// No claim involved.
        NONE = r(b'0', "", "", "");
        /// The claim is required but absent.
        MISSING = r(b'1', "missing", "a required claim is missing", "is missing");
        /// The claim has the wrong JSON type.
        INVALID = r(b'2', "invalid", "a claim has the wrong type", "has the wrong type");
        /// The claim does not meet the policy.
        CHECK_FAILED = r(b'3', "check_failed", "a claim check failed", "check failed");
    }
}

/// Why a key was refused (`ERR_KEY_INVALID`), as it crosses the boundary: the first byte of
/// the error output, as a claim reason is for claim errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyProblemDesc {
    /// The ASCII digit on the wire.
    pub digit: u8,
    /// A stable name (`KeyProblem::as_str`).
    pub name: &'static str,
    /// The message, in Rust and in JS (which prefixes the option's name): static, never the key.
    pub message: &'static str,
}

const fn k(digit: u8, name: &'static str, message: &'static str) -> KeyProblemDesc {
    KeyProblemDesc { digit, name, message }
}

numbered! {
    /// Key problems (`KeyProblem`), by digit.
    pub mod key_problem: KeyProblemDesc {
        /// Shorter than the hash output (or empty).
        SHORT = k(b'1', "short", "key is shorter than the hash output of its algorithm (HS256 32, HS384 48, HS512 64 bytes; RFC 7518 §3.2)");
        /// A PEM public key or certificate.
        PEM_PUBLIC = k(b'2', "pem_public", "a PEM public key or certificate is not an HMAC secret: the RS256→HS256 confusion (RFC 8725 §2.1)");
        /// Another PEM block (a private key, parameters).
        PEM = k(b'3', "pem", "a PEM block (a private key or other) is not an HMAC secret: pass random secret bytes");
        /// An OpenSSH public key.
        SSH = k(b'4', "ssh", "an OpenSSH public key is not an HMAC secret: the RS256→HS256 confusion (RFC 8725 §2.1)");
        /// A JWK (JSON with `kty`).
        JWK = k(b'5', "jwk", "a JWK (JSON with \"kty\") is not an HMAC secret: the RS256→HS256 confusion; for an oct JWK pass its decoded \"k\"");
        /// A DER SubjectPublicKeyInfo or certificate.
        DER = k(b'6', "der", "a DER public key or certificate is not an HMAC secret: the RS256→HS256 confusion (RFC 8725 §2.1)");
        /// The same secret under two algorithms.
        TWO_ALGORITHMS = k(b'7', "two_algorithms", "one secret is listed under two algorithms: RFC 8725 §3.1 binds each key to one");
        /// Two keys with the same algorithm and kid (or both without one).
        AMBIGUOUS = k(b'8', "ambiguous", "two keys share an algorithm and a kid (or both have none)");
    }
}

numbered! {
    /// Slots of `Core::num(slot)` after [`op::INSPECT`]: seconds, NaN when absent.
    pub mod slot: usize {
        /// `exp`.
        EXP = 0;
        /// `nbf`.
        NBF = 1;
        /// `iat`.
        IAT = 2;
        /// The `warn` bits.
        WARNINGS = 3;
        /// `exp - now`.
        EXPIRES_IN = 4;
        /// 1 when `now >= exp`, else 0.
        EXPIRED = 5;
        /// 1 when `now < nbf`, else 0.
        NOT_YET_VALID = 6;
        /// `exp - iat`.
        LIFETIME = 7;
    }
}

/// The number of `slot`s.
pub const SLOTS: usize = slot::ALL.len();

numbered! {
    /// Warning bits of `Inspection::warnings` (`dangerous::warn`), named as JS reports them
    /// (lower case).
    pub mod warn: u32 {
        /// The token has no `exp`: it never expires.
        NO_EXP = 1;
        /// `exp - iat` (or `exp - now` without `iat`) exceeds the configured ceiling.
        LONG_LIFETIME = 2;
        /// The header says `alg: none` (in any spelling).
        ALG_NONE = 4;
        /// A claim looks like personal data (e-mail, phone number, name, address, birth date).
        PERSONAL_DATA = 8;
    }
}

numbered! {
    /// Capability bits of `caps()`: what a wasm artifact was built with (its Cargo features; one
    /// artifact per job, `make pkg`). JS refuses an API whose bit is missing with a typed error.
    pub mod cap: u32 {
        /// Split, strict base64url and JSON, typed claims: `decode`, `inspect` (every artifact).
        CLAIMS = 1;
        /// HS256/384/512 keys, `verify` and `sign`.
        HMAC = 2;
        /// `verify_begin` and `verify_mac`: a verify whose MAC the runtime computes natively.
        NATIVE_MAC = 4;
        /// The `jwe_*` ops: decrypt and encrypt compact JWE (dir, A128KW, A256KW; AES-GCM, AES-CBC-HMAC).
        JWE = 8;
        /// The `pk_*` ops: JWK/JWKS reading, the public-key verify whose signature the runtime checks.
        KEYS = 16;
    }
}
