// Generated from src/protocol.rs by `cargo run --example protocol`.
// Do not edit: `make lint` checks that this file is what the generator writes.
// @ts-check
/**
 * The wasm wire protocol of the keys capability (the jwt_wasm_keys artifact): its ops, errors,
 * JWK problems and the PK_ALGS table. A file apart from protocol.js, so that no entry without
 * public keys changes by a byte. Internal: not part of the package's exports.
 */

export const OP_PK_ALGORITHMS = 20
export const OP_PK_ADD_KEYS = 21
export const OP_PK_CERT_KEY = 22
export const OP_PK_VERIFY_BEGIN = 23
export const OP_PK_VERIFY_END = 24
export const OP_PK_VERIFY_FINISH = 25
export const ERR_JWKS_INVALID = 14
export const ERR_JWK_INVALID = 15
export const CAP_KEYS = 16
/** The errors only the keys artifact returns, apart so that no other entry carries them: by number. */
export const KEYS_ERROR_CODES = { 14: 'ERR_JWKS_INVALID', 15: 'ERR_JWK_INVALID' }
export const KEYS_ERROR_MESSAGES = { 14: 'key set is invalid', 15: 'key is malformed or refused' }
/** The status of `OP_PK_VERIFY_FINISH` whose ticket gives nothing (no error): then `OP_PK_VERIFY_END`. */
export const PK_TICKET_GONE = 255
/** Why a JWK was refused (`ERR_JWK_INVALID`), by the letter (A = 0) that starts its error output. */
export const JWK_MESSAGES = [
  'a JWK member is missing or of the wrong type (kty, n, e, crv, x, y, kid, use, key_ops, alg)',
  'a JWK key member is not strict base64url (no padding, canonical)',
  'a public key set holds no private members (d, p, q, dp, dq, qi, oth, k)',
  'a symmetric key (kty oct) has no place in a public key set: the RS256 to HS256 confusion',
  'an RSA modulus has at least 2048 bits',
  'an RSA modulus is an odd integer without leading zero bytes (RFC 7518 6.3.1.1)',
  'an RSA exponent is odd, at least 3, at most 4 bytes, without leading zero bytes',
  'an EC coordinate has exactly the field size and is below the field prime',
  'an Ed25519 public key x is exactly 32 bytes',
  'a verification key has use sig (or none)',
  'the key_ops of a verification key have verify, and no repeated or unknown operation',
  'the JWK alg is a JWS algorithm that fits its kty and crv',
  'give the RSA key an alg: several RSA algorithms are allowed and none is chosen from the token',
  'a kid is non-empty and at most 256 bytes',
  'not a strict DER X.509 certificate with an RSA, EC P-256/P-384 or Ed25519 key',
  'an RSA modulus made by the ROCA-vulnerable generator (CVE-2017-15361) is refused: its private key can be computed',
]
/** The JWK problems' stable names, by letter (A = 0). */
export const JWK_PROBLEMS = [
  'malformed',
  'base64url',
  'private',
  'oct',
  'rsa_short',
  'rsa_modulus',
  'rsa_exponent',
  'ec_coordinate',
  'okp_key',
  'use',
  'key_ops',
  'alg',
  'no_alg',
  'kid',
  'certificate',
  'rsa_roca',
]
/** Public-key algorithms by index (bit i of `OP_PK_ALGORITHMS`'s a; the index `OP_PK_ADD_KEYS` outputs). */
export const PK_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519']
/** The JWK kty of each PK_ALGS index. */
export const PK_KTY = ['RSA', 'RSA', 'RSA', 'RSA', 'RSA', 'RSA', 'EC', 'EC', 'OKP', 'OKP']
/** The WebCrypto algorithm name of each PK_ALGS index. */
export const PK_SCHEME = [
  'RSASSA-PKCS1-v1_5',
  'RSASSA-PKCS1-v1_5',
  'RSASSA-PKCS1-v1_5',
  'RSA-PSS',
  'RSA-PSS',
  'RSA-PSS',
  'ECDSA',
  'ECDSA',
  'Ed25519',
  'Ed25519',
]
/** The WebCrypto hash of each PK_ALGS index ('': none, Ed25519). */
export const PK_HASH = ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA-256', 'SHA-384', '', '']
/** The WebCrypto named curve of each PK_ALGS index ('': RSA). */
export const PK_CRV = ['', '', '', '', '', '', 'P-256', 'P-384', 'Ed25519', 'Ed25519']
/** RSA-PSS's saltLength of each PK_ALGS index (0: not PSS). */
export const PK_SALT = [0, 0, 0, 32, 48, 64, 0, 0, 0, 0]
/** The signature's exact length of each PK_ALGS index (0: the RSA modulus length). */
export const PK_SIG_BYTES = [0, 0, 0, 0, 0, 0, 64, 96, 64, 64]
