//! The wire protocol of the `keys` capability (feature `keys`): its ops' rows of `OPS`, the
//! `PK_ALGS` table with what WebCrypto needs, its errors and the JWK problems (`jwk_problem`).
//! Re-exported by `protocol` (`crate::protocol::PK_ALGS`, …), rendered into `protocol-keys.js`.

use super::{err, op, ErrorDesc, OpLayout};

/// The rows of `OPS` for the `pk_*` ops (20 to 25).
pub(super) const PK_OPS: [OpLayout; 6] = [
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
num(1) = the signing input's length, num(2) = where the output lies in the memory, num(3) = where the input does, \
num(4) = the ticket of pk_verify_finish (the decoded header and payload and the key parked under it, one of 64 \
slots per Core: the 65th begin without a finish parks over the oldest; NaN on an artifact without keys-tickets)",
    },
    OpLayout {
        op: op::PK_VERIFY_END,
        args: "a = 1: the runtime verified the signature with key b, 0: it did not; b = the key index begin chose; \
c = token length, t = now (seconds)",
        input: "token (again: end keeps no state from begin)",
        output: "as verify",
    },
    OpLayout {
        op: op::PK_VERIFY_FINISH,
        args: "a = 1: the runtime verified the signature with key c, 0: it did not; b = the ticket begin gave \
(num(4)); c = the key index begin chose; t = now (seconds)",
        input: "",
        output: "as verify (claims and time judged only after the verdict); status PK_TICKET_GONE, no error, when \
the ticket gives nothing (already taken, parked over, never given): then pk_verify_end with the token. Only the \
artifact with keys-tickets (Node, workerd) has this op; a fresh instance starts its tickets anew, so a ticket goes \
only to the instance that gave it",
    },
];

/// The status of `pk_verify_finish` whose ticket gives nothing: no error number (those are
/// small), the cue to call `pk_verify_end` with the token instead.
pub const PK_TICKET_GONE: u32 = 255;

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

/// The errors only the `keys` capability returns, rendered apart (protocol-keys.js) as the JWE ones are.
pub const KEYS_ERRORS: [ErrorDesc; 2] = [err::JWKS_INVALID, err::JWK_INVALID];

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
