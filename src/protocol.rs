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
    }
}

/// How JS drives a `Core` (the description, not code).
pub const EXCHANGE: &str = "new Core(alg_mask, clock_tolerance, max_token_age, max_token_bytes, max_header_bytes \
(0: the default, 8 KiB or the token cap if lower)); per operation: \
input(len) returns where to write the input parts back to back, call(op, a, b, c, t, u) returns 0 or an error number, \
out() and out_len() give the output, num(slot) the numbers of an inspection";

/// Each operation: its number, what `a`, `b`, `c`, `t`, `u` carry, the input bytes, the output.
pub const OPS: [OpLayout; 20] = [
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
    OpLayout {
        op: op::JWE_ADD_KEY,
        args: "a = JWE_ALGS index, b = kid length (negative: no kid), c = key length, \
u = JWE_ENCS index for dir (negative for a key-wrapping key)",
        input: "kid, key",
        output: "",
    },
    OpLayout {
        op: op::JWE_DECRYPTER,
        args: "a = allowed JWE_ALGS (bit i), b = allowed JWE_ENCS (bit i); the caps are the constructor's",
        input: "",
        output: "",
    },
    OpLayout {
        op: op::JWE_DECRYPT,
        args: "a = 1: nested (cty JWT required, the plaintext verified by this Core's verifier at t), \
0: not; c = token length, t = now (seconds)",
        input: "token",
        output: "protected header JSON, SEP, plaintext (a = 0); protected header JSON, SEP, inner header JSON, \
SEP, payload JSON (a = 1; a claim error after a verified inner signature: as verify)",
    },
    OpLayout {
        op: op::JWE_ENCRYPTER,
        args: "a = JWE_ALGS index, b = kid length (negative: no kid), c = key length, u = JWE_ENCS index",
        input: "kid, key",
        output: "",
    },
    OpLayout {
        op: op::JWE_ENCRYPT,
        args: "a = 1: cty JWT (the plaintext is a signed token), 0: none; b = CEK length \
(0 for dir, else JWE_CEK_BYTES of the enc), c = plaintext length; the IV is the rest of the input \
(JWE_IV_BYTES of the enc)",
        input: "plaintext, CEK, IV (fresh random bytes from the caller: the core draws none)",
        output: "the compact JWE",
    },
    OpLayout {
        op: op::PK_ALGORITHMS,
        args: "b = allowed PK_ALGS (bit i; 10 bits, so b, not the u8 a, which must be 0), required non-zero; \
before pk_add_keys",
        input: "",
        output: "",
    },
    OpLayout {
        op: op::PK_ADD_KEYS,
        args: "a = 1: a JWKS ({\"keys\":[...]}), 0: one JWK; c = length",
        input: "the JSON text",
        output: "per accepted key, SEP between: PK_ALGS index (ASCII decimal), SEP, kid (empty: none), SEP, \
the minimal public JWK JSON; num(0) = keys accepted by this call, num(1) = keys skipped (unknown kty/crv, use enc, \
a known algorithm outside the allowlist); keys are indexed in the order accepted across calls",
    },
    OpLayout {
        op: op::PK_CERT_KEY,
        args: "c = length",
        input: "one PEM CERTIFICATE block, or a bare standard-base64 DER certificate (as in x5c)",
        output: "the minimal public JWK JSON of its SubjectPublicKeyInfo (RSA, EC P-256/P-384, Ed25519); \
nothing is added to the ring",
    },
    OpLayout {
        op: op::PK_VERIFY_BEGIN,
        args: "c = token length, t = now (seconds)",
        input: "token",
        output: "the raw signature bytes (ECDSA r||s, range-checked); num(0) = the chosen key's index, \
num(1) = the signing input's length",
    },
    OpLayout {
        op: op::PK_VERIFY_END,
        args: "a = 1: the runtime verified the signature with key b, 0: it did not; b = the key index begin chose; \
c = token length, t = now (seconds)",
        input: "token (again: end keeps no state from begin)",
        output: "as verify",
    },
];

/// The public-key signature algorithms by wire index (feature `keys`): bit `i` of
/// `pk_algorithms`'s `a`, the index `pk_add_keys` outputs per key. What WebCrypto needs to verify.
pub const PK_ALGS: [PkAlgDesc; 10] = [
    PkAlgDesc {
        name: "RS256",
        kty: "RSA",
        crv: "",
        scheme: "RSASSA-PKCS1-v1_5",
        hash: "SHA-256",
        salt: 0,
        sig_bytes: 0,
    },
    PkAlgDesc {
        name: "RS384",
        kty: "RSA",
        crv: "",
        scheme: "RSASSA-PKCS1-v1_5",
        hash: "SHA-384",
        salt: 0,
        sig_bytes: 0,
    },
    PkAlgDesc {
        name: "RS512",
        kty: "RSA",
        crv: "",
        scheme: "RSASSA-PKCS1-v1_5",
        hash: "SHA-512",
        salt: 0,
        sig_bytes: 0,
    },
    PkAlgDesc {
        name: "PS256",
        kty: "RSA",
        crv: "",
        scheme: "RSA-PSS",
        hash: "SHA-256",
        salt: 32,
        sig_bytes: 0,
    },
    PkAlgDesc {
        name: "PS384",
        kty: "RSA",
        crv: "",
        scheme: "RSA-PSS",
        hash: "SHA-384",
        salt: 48,
        sig_bytes: 0,
    },
    PkAlgDesc {
        name: "PS512",
        kty: "RSA",
        crv: "",
        scheme: "RSA-PSS",
        hash: "SHA-512",
        salt: 64,
        sig_bytes: 0,
    },
    PkAlgDesc {
        name: "ES256",
        kty: "EC",
        crv: "P-256",
        scheme: "ECDSA",
        hash: "SHA-256",
        salt: 0,
        sig_bytes: 64,
    },
    PkAlgDesc {
        name: "ES384",
        kty: "EC",
        crv: "P-384",
        scheme: "ECDSA",
        hash: "SHA-384",
        salt: 0,
        sig_bytes: 96,
    },
    PkAlgDesc {
        name: "EdDSA",
        kty: "OKP",
        crv: "Ed25519",
        scheme: "Ed25519",
        hash: "",
        salt: 0,
        sig_bytes: 64,
    },
    PkAlgDesc {
        name: "Ed25519",
        kty: "OKP",
        crv: "Ed25519",
        scheme: "Ed25519",
        hash: "",
        salt: 0,
        sig_bytes: 64,
    },
];

/// A public-key signature algorithm on the wire (RFC 7518 §3, RFC 8037, RFC 9864).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PkAlgDesc {
    /// Its JWS `alg` name.
    pub name: &'static str,
    /// The JWK `kty` of its keys.
    pub kty: &'static str,
    /// The JWK `crv` of its keys (empty for RSA).
    pub crv: &'static str,
    /// The WebCrypto algorithm name (`RSASSA-PKCS1-v1_5`, `RSA-PSS`, `ECDSA`, `Ed25519`).
    pub scheme: &'static str,
    /// The WebCrypto hash (empty for Ed25519).
    pub hash: &'static str,
    /// RSA-PSS's salt length in bytes: the hash length (0 for the others).
    pub salt: u8,
    /// The signature's exact length in bytes; 0: the RSA modulus length.
    pub sig_bytes: usize,
}

/// The JWE key-management algorithms by wire index: the `a` of `jwe_add_key` and
/// `jwe_encrypter`, and bit `i` of `jwe_decrypter`'s `a`.
pub const JWE_ALGS: [JweAlgDesc; 3] = [
    JweAlgDesc { name: "dir", key_bytes: 0 },
    JweAlgDesc { name: "A128KW", key_bytes: 16 },
    JweAlgDesc { name: "A256KW", key_bytes: 32 },
];

/// A JWE key-management algorithm on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JweAlgDesc {
    /// Its `alg` name.
    pub name: &'static str,
    /// The key-encryption key's exact length in bytes (0 for `dir`: the key is the CEK, so it
    /// has the length of its one `enc`).
    pub key_bytes: usize,
}

/// The JWE content encryptions by wire index: the `u` of `jwe_add_key` (for `dir`) and
/// `jwe_encrypter`, and bit `i` of `jwe_decrypter`'s `b`.
pub const JWE_ENCS: [JweEncDesc; 4] = [
    JweEncDesc { name: "A128GCM", cek_bytes: 16, iv_bytes: 12, tag_bytes: 16 },
    JweEncDesc { name: "A256GCM", cek_bytes: 32, iv_bytes: 12, tag_bytes: 16 },
    JweEncDesc { name: "A128CBC-HS256", cek_bytes: 32, iv_bytes: 16, tag_bytes: 16 },
    JweEncDesc { name: "A256CBC-HS512", cek_bytes: 64, iv_bytes: 16, tag_bytes: 32 },
];

/// A JWE content encryption on the wire, with its exact lengths (RFC 7518 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JweEncDesc {
    /// Its `enc` name.
    pub name: &'static str,
    /// The content encryption key (CEK), in bytes (for CBC-HMAC: the MAC key then the AES key).
    pub cek_bytes: usize,
    /// The initialization vector, in bytes.
    pub iv_bytes: usize,
    /// The authentication tag, in bytes.
    pub tag_bytes: usize,
}

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

/// The errors only the `keys` capability returns, rendered apart (protocol-keys.js) as the JWE ones are.
pub const KEYS_ERRORS: [ErrorDesc; 2] = [err::JWKS_INVALID, err::JWK_INVALID];

/// The errors only the `jwe` capability returns. The generator renders them apart from `CODES`
/// and `MESSAGES` (as `JWE_ERROR_CODES`, `JWE_ERROR_MESSAGES`), so that a JS entry without JWE
/// carries none of their bytes (the claims and hmac entries do not grow because of JWE).
pub const JWE_ERRORS: [ErrorDesc; 2] = [err::JWE_INVALID, err::JWE_DECRYPTION_FAILED];

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

/// Why a JWE was refused before any decryption: its own static message, under the error
/// number it is reported with (`ERR_JOSE_NOT_SUPPORTED`, `ERR_JOSE_ALG_NOT_ALLOWED` or
/// `ERR_JWE_INVALID`). On the wire it is the first byte of the error output, a lower-case letter
/// (so it is never a reason or key-problem digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JweRefusalDesc {
    /// The ASCII letter on the wire.
    pub letter: u8,
    /// The error it is reported with.
    pub error: ErrorDesc,
    /// A stable name (`JweRefusal::as_str`).
    pub name: &'static str,
    /// The message, in Rust and in JS: static, never the input.
    pub message: &'static str,
}

const fn j(letter: u8, error: ErrorDesc, name: &'static str, message: &'static str) -> JweRefusalDesc {
    JweRefusalDesc { letter, error, name, message }
}

numbered! {
    /// JWE refusals (`JweRefusal`), by letter.
    pub mod jwe_refusal: JweRefusalDesc {
        /// `zip` in the header.
        ZIP = j(b'a', err::NOT_SUPPORTED, "zip", "compressed JWE (\"zip\") is refused: decompression bombs");
        /// PBES2 key management, or `p2c`/`p2s` in the header.
        PBES2 = j(b'b', err::NOT_SUPPORTED, "pbes2", "PBES2 key management (\"p2c\", \"p2s\") is refused: its iteration count is a denial of service");
        /// ECDH-ES key management (or `epk`).
        ECDH = j(b'c', err::NOT_SUPPORTED, "ecdh", "ECDH-ES key management is not supported");
        /// RSA key management.
        RSA = j(b'd', err::NOT_SUPPORTED, "rsa", "RSA key management is not supported");
        /// Any `crit`.
        CRIT = j(b'e', err::NOT_SUPPORTED, "crit", "a JWE with \"crit\" is refused: no extension is understood");
        /// `jku`, `jwk`, `x5u` or `x5c`.
        KEY_SOURCE = j(b'f', err::NOT_SUPPORTED, "key_source", "\"jku\", \"jwk\", \"x5u\" and \"x5c\" are refused: keys come only from the configuration");
        /// The JWE JSON serialization.
        JSON = j(b'g', err::NOT_SUPPORTED, "json", "the JWE JSON serialization is not supported: compact only");
        /// Another key-management algorithm (A192KW, AES-GCM key wrap, an unknown name).
        ALG = j(b'h', err::NOT_SUPPORTED, "alg", "JWE key management algorithm is not supported (dir, A128KW, A256KW)");
        /// Another content encryption (A192GCM, A192CBC-HS384, an unknown name).
        ENC = j(b'i', err::NOT_SUPPORTED, "enc", "JWE content encryption is not supported (A128GCM, A256GCM, A128CBC-HS256, A256CBC-HS512)");
        /// A supported key management outside the allowlist.
        ALG_NOT_ALLOWED = j(b'j', err::ALG_NOT_ALLOWED, "alg_not_allowed", "JWE key management algorithm is not allowed");
        /// A supported content encryption outside the allowlist.
        ENC_NOT_ALLOWED = j(b'k', err::ALG_NOT_ALLOWED, "enc_not_allowed", "JWE content encryption algorithm is not allowed");
        /// A compact JWS where a JWE is expected, or a JWE where a JWS is expected.
        NOT_JWE = j(b'l', err::JWE_INVALID, "not_jwe", "token is a compact JWS (three segments), not a JWE (five)");
        /// A nested decrypt whose plaintext is not marked `cty: JWT`.
        NOT_NESTED = j(b'm', err::JWE_INVALID, "not_nested", "the JWE does not carry a signed token (\"cty\" is not \"JWT\")");
        /// A JWE key of another length than its algorithm needs.
        KEY_LENGTH = j(b'n', err::KEY_INVALID, "key_length", "a JWE key has exactly the length of its algorithm (A128KW 16, A256KW 32 bytes; dir: the CEK of its enc)");
    }
}

/// Why a JWK was refused (`ERR_JWK_INVALID`, feature `keys`): the first byte of the error
/// output, an upper-case letter (never a reason or key-problem digit, nor a JWE letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwkProblemDesc {
    /// The ASCII letter on the wire.
    pub letter: u8,
    /// A stable name (`JwkProblem::as_str`).
    pub name: &'static str,
    /// The message, in Rust and in JS: static, never the key.
    pub message: &'static str,
}

const fn p(letter: u8, name: &'static str, message: &'static str) -> JwkProblemDesc {
    JwkProblemDesc { letter, name, message }
}

numbered! {
    /// JWK problems (`JwkProblem`), by letter.
    pub mod jwk_problem: JwkProblemDesc {
        /// A member of the wrong JSON type, or a required member missing.
        MALFORMED = p(b'A', "malformed", "a JWK member is missing or of the wrong type (kty, n, e, crv, x, y, kid, use, key_ops, alg)");
        /// A key member that is not strict base64url.
        BASE64URL = p(b'B', "base64url", "a JWK key member is not strict base64url (no padding, canonical)");
        /// A private member (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`).
        PRIVATE = p(b'C', "private", "a public key set holds no private members (d, p, q, dp, dq, qi, oth, k)");
        /// `kty: oct` in a public key set.
        OCT = p(b'D', "oct", "a symmetric key (kty oct) has no place in a public key set: the RS256 to HS256 confusion");
        /// An RSA modulus below 2048 bits.
        RSA_SHORT = p(b'E', "rsa_short", "an RSA modulus has at least 2048 bits");
        /// An RSA modulus that is not a canonical odd integer (leading zero byte, even).
        RSA_MODULUS = p(b'F', "rsa_modulus", "an RSA modulus is an odd integer without leading zero bytes (RFC 7518 6.3.1.1)");
        /// An RSA exponent that is even, below 3, longer than 4 bytes, or with a leading zero byte.
        RSA_EXPONENT = p(b'G', "rsa_exponent", "an RSA exponent is odd, at least 3, at most 4 bytes, without leading zero bytes");
        /// An EC coordinate of the wrong length or not below the field prime.
        EC_COORDINATE = p(b'H', "ec_coordinate", "an EC coordinate has exactly the field size and is below the field prime");
        /// An Ed25519 `x` that is not 32 bytes.
        OKP_KEY = p(b'I', "okp_key", "an Ed25519 public key x is exactly 32 bytes");
        /// `use` other than `sig` (an `enc` key is skipped, not refused).
        USE = p(b'J', "use", "a verification key has use sig (or none)");
        /// `key_ops` without `verify`, or with a repeated or unknown operation.
        KEY_OPS = p(b'K', "key_ops", "the key_ops of a verification key have verify, and no repeated or unknown operation");
        /// `alg` that does not fit `kty`/`crv`, or that is no JWS algorithm.
        ALG = p(b'L', "alg", "the JWK alg is a JWS algorithm that fits its kty and crv");
        /// An RSA key without `alg` while several RSA algorithms are allowed.
        NO_ALG = p(b'M', "no_alg", "give the RSA key an alg: several RSA algorithms are allowed and none is chosen from the token");
        /// An empty kid, or one over the length cap.
        KID = p(b'N', "kid", "a kid is non-empty and at most 256 bytes");
        /// An RSA modulus with the ROCA fingerprint (CVE-2017-15361).
        RSA_ROCA = p(b'P', "rsa_roca", "an RSA modulus made by the ROCA-vulnerable generator (CVE-2017-15361) is refused: its private key can be computed");
        /// A certificate that is not strict DER, or whose key is not RSA, EC P-256/P-384 or Ed25519.
        CERTIFICATE = p(b'O', "certificate", "not a strict DER X.509 certificate with an RSA, EC P-256/P-384 or Ed25519 key");
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
