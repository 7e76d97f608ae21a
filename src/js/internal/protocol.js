// Generated from src/protocol.rs by `cargo run --example protocol`.
// Do not edit: `make lint` checks that this file is what the generator writes.
// @ts-check
/**
 * The wasm wire protocol: the numbers and messages `Core` (src/wasm.rs) and the JS layer exchange.
 * Internal: not part of the package's exports. Plain constants, so a bundle keeps only what it uses.
 */

/** Operations of `Core.call(op, a, b, c, t, u)`. */
export const OP_OPTION = 0
export const OP_ADD_KEY = 1
export const OP_FINISH = 2
export const OP_VERIFY = 3
export const OP_DECODE = 4
export const OP_INSPECT = 5
export const OP_SET_SIGNER = 6
export const OP_SIGN = 7
export const OP_VERIFY_BEGIN = 8
export const OP_VERIFY_MAC = 9
/** Option kinds of `OP_OPTION`, by option name. */
export const OPT = { issuer: 0, audience: 1, subject: 2, typ: 3, requiredClaims: 4, keyIssuer: 5 }
/** Algorithms by index (the `a` of `OP_ADD_KEY` and `OP_SET_SIGNER`; bit i of the `Core` mask). */
export const ALGS = ['HS256', 'HS384', 'HS512']
/** The shortest secret of each algorithm, by index: its hash output (RFC 7518 §3.2). */
export const MIN_SECRET_BYTES = [32, 48, 64]
/** A length or an age that is absent. */
export const ABSENT = -1
/** The character between the parts of an output. */
export const SEP = '\0'
/** Error numbers: the status of `Core.call` (0 is success). */
export const ERR_JWS_INVALID = 1
export const ERR_JWT_INVALID = 2
export const ERR_TOO_LARGE = 3
export const ERR_ALG_NOT_ALLOWED = 4
export const ERR_NOT_SUPPORTED = 5
export const ERR_SIGNATURE_INVALID = 6
export const ERR_EXPIRED = 7
export const ERR_CLAIM = 8
export const ERR_NO_MATCHING_KEY = 9
export const ERR_KEY_INVALID = 10
export const ERR_INVALID_OPTIONS = 11
/** Error codes by error number (the JWE ones: protocol-jwe.js). */
export const CODES = [
  '',
  'ERR_JWS_INVALID',
  'ERR_JWT_INVALID',
  'ERR_JWT_TOO_LARGE',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_KEY_INVALID',
  'ERR_INVALID_OPTIONS',
]
/** Default error messages by error number (the JWE ones: protocol-jwe.js). */
export const MESSAGES = [
  '',
  'token is not a valid compact JWS',
  'token payload is not a valid JWT claims set',
  'token is larger than allowed',
  'token algorithm is not allowed',
  'token uses an unsupported JOSE feature',
  'signature verification failed',
  'token has expired',
  'a claim check failed',
  'no key matches the token',
  'key is invalid',
  'options are invalid',
]
/** Claim reasons by the digit that starts an error output. */
export const REASONS = [undefined, 'missing', 'invalid', 'check_failed']
/** The end of a claim error's message, `"<claim>" claim <phrase>`, by reason digit. */
export const CLAIM_PHRASES = [undefined, 'is missing', 'has the wrong type', 'check failed']
/** Why a key was refused (`ERR_KEY_INVALID`), by the digit that starts its error output. */
export const KEY_MESSAGES = [
  undefined,
  'key is shorter than the hash output of its algorithm (HS256 32, HS384 48, HS512 64 bytes; RFC 7518 §3.2)',
  'a PEM public key or certificate is not an HMAC secret: the RS256→HS256 confusion (RFC 8725 §2.1)',
  'a PEM block (a private key or other) is not an HMAC secret: pass random secret bytes',
  'an OpenSSH public key is not an HMAC secret: the RS256→HS256 confusion (RFC 8725 §2.1)',
  'a JWK (JSON with "kty") is not an HMAC secret: the RS256→HS256 confusion; for an oct JWK pass its decoded "k"',
  'a DER public key or certificate is not an HMAC secret: the RS256→HS256 confusion (RFC 8725 §2.1)',
  'one secret is listed under two algorithms: RFC 8725 §3.1 binds each key to one',
  'two keys share an algorithm and a kid (or both have none)',
]
/** Slots of `Core.num(slot)` after `OP_INSPECT` (NaN when absent). */
export const SLOT_EXP = 0
export const SLOT_NBF = 1
export const SLOT_IAT = 2
export const SLOT_WARNINGS = 3
export const SLOT_EXPIRES_IN = 4
export const SLOT_EXPIRED = 5
export const SLOT_NOT_YET_VALID = 6
export const SLOT_LIFETIME = 7
/** Capability bits of an artifact's `caps()` (its Cargo features). */
export const CAP_CLAIMS = 1
export const CAP_HMAC = 2
export const CAP_NATIVE_MAC = 4
/** Warning names by bit position in the `SLOT_WARNINGS` number. */
/** @type {readonly ('no_exp' | 'long_lifetime' | 'alg_none' | 'personal_data')[]} */
export const WARNINGS = ['no_exp', 'long_lifetime', 'alg_none', 'personal_data']
