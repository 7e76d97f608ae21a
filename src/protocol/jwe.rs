//! The wire protocol of the `jwe` capability (feature `jwe`): its ops' rows of `OPS`, the
//! `JWE_ALGS` and `JWE_ENCS` tables, its errors and its refusals (`jwe_refusal`). Re-exported
//! by `protocol` (`crate::protocol::JWE_ALGS`, …), rendered into `protocol-jwe.js`.

use super::{err, op, ErrorDesc, OpLayout};

/// The rows of `OPS` for the `jwe_*` ops (10 to 18).
pub(super) const JWE_OPS: [OpLayout; 9] = [
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
        op: op::JWE_DECRYPT_BEGIN,
        args: "c = token length",
        input: "token",
        output: "the key to decrypt with (none for dir: num(1) its index; GCM: the CEK, zero bytes when it \
did not unwrap; CBC-HMAC, its tag checked: the AES half), IV, ciphertext, GCM tag, back to back (bytes: num(6) their address in the memory); \
num(0) the JWE_ENCS index, num(2..6) the four lengths",
    },
    OpLayout {
        op: op::JWE_DECRYPT_END,
        args: "a = 1: the runtime decrypted, 0: it failed; b = token length, c = plaintext length, \
t = now (seconds)",
        input: "token (read again: stateless), plaintext",
        output: "as a nested jwe_decrypt (a = 0, or a key that did not unwrap: ERR_JWE_DECRYPTION_FAILED)",
    },
    OpLayout {
        op: op::JWE_DECRYPT_FINISH,
        args: "a = 1: the runtime decrypted, 0: it failed; b = the ticket of jwe_decrypt_park, c = plaintext \
length, t = now (seconds), u = the park's u (feature jwe-ticket)",
        input: "plaintext (the token is not sent again: what the park read of it is taken by the ticket)",
        output: "as jwe_decrypt_end; a ticket that gives nothing (taken, parked over by more than 64 parks since, \
another instance's, another u) returns JWE_TICKET_GONE and nothing else: send the token to jwe_decrypt_end",
    },
    OpLayout {
        op: op::JWE_DECRYPT_PARK,
        args: "c = token length, u = a number the finish must give again (feature jwe-ticket)",
        input: "token",
        output: "as jwe_decrypt_begin, laid out for one read (bytes: num(0) their address): 8 little-endian u32, the \
JWE_ENCS index, the dir key's index (0xffffffff: none), the lengths of the key, IV, ciphertext, GCM tag and AAD, \
the ticket; then those five parts back to back (the AAD: the protected segment's ASCII)",
    },
];

/// What `jwe_decrypt_finish` returns for a ticket that gives nothing: never an error number
/// (`err`), never 0; the caller then sends the token to the stateless `jwe_decrypt_end`.
pub const JWE_TICKET_GONE: u32 = 255;

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

/// The errors only the `jwe` capability returns. The generator renders them apart from `CODES`
/// and `MESSAGES` (as `JWE_ERROR_CODES`, `JWE_ERROR_MESSAGES`), so that a JS entry without JWE
/// carries none of their bytes (the claims and hmac entries do not grow because of JWE).
pub const JWE_ERRORS: [ErrorDesc; 2] = [err::JWE_INVALID, err::JWE_DECRYPTION_FAILED];

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
