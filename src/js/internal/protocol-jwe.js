// Generated from src/protocol.rs by `cargo run --example protocol`.
// Do not edit: `make lint` checks that this file is what the generator writes.
// @ts-check
/**
 * The wasm wire protocol of the jwe capability (the jwt_wasm_jwe artifact): its ops, errors,
 * refusals and tables. A file apart from protocol.js, so that no entry without JWE changes by a
 * byte (not even its minifier's names). Internal: not part of the package's exports.
 */

export const OP_JWE_ADD_KEY = 10
export const OP_JWE_DECRYPTER = 11
export const OP_JWE_DECRYPT = 12
export const OP_JWE_ENCRYPTER = 13
export const OP_JWE_ENCRYPT = 14
export const OP_JWE_DECRYPT_BEGIN = 15
export const OP_JWE_DECRYPT_END = 16
export const OP_JWE_DECRYPT_FINISH = 17
export const OP_JWE_DECRYPT_PARK = 18
export const ERR_JWE_INVALID = 12
export const ERR_JWE_DECRYPTION_FAILED = 13
export const CAP_JWE = 8
/** The errors only the jwe artifact returns, apart so that no other entry carries them: by number. */
export const JWE_ERROR_CODES = { 12: 'ERR_JWE_INVALID', 13: 'ERR_JWE_DECRYPTION_FAILED' }
export const JWE_ERROR_MESSAGES = { 12: 'token is not a valid compact JWE', 13: 'decryption operation failed' }
/** Why a JWE was refused, by the letter (a = 0) that starts its error output. */
export const JWE_MESSAGES = [
  'compressed JWE ("zip") is refused: decompression bombs',
  'PBES2 key management ("p2c", "p2s") is refused: its iteration count is a denial of service',
  'ECDH-ES key management is not supported',
  'RSA key management is not supported',
  'a JWE with "crit" is refused: no extension is understood',
  '"jku", "jwk", "x5u" and "x5c" are refused: keys come only from the configuration',
  'the JWE JSON serialization is not supported: compact only',
  'JWE key management algorithm is not supported (dir, A128KW, A256KW)',
  'JWE content encryption is not supported (A128GCM, A256GCM, A128CBC-HS256, A256CBC-HS512)',
  'JWE key management algorithm is not allowed',
  'JWE content encryption algorithm is not allowed',
  'token is a compact JWS (three segments), not a JWE (five)',
  'the JWE does not carry a signed token ("cty" is not "JWT")',
  'a JWE key has exactly the length of its algorithm (A128KW 16, A256KW 32 bytes; dir: the CEK of its enc)',
]
/** JWE key management by index (`OP_JWE_ADD_KEY`, `OP_JWE_ENCRYPTER`; bit i of `OP_JWE_DECRYPTER`'s a). */
export const JWE_ALGS = ['dir', 'A128KW', 'A256KW']
/** The key-encryption key's exact length by JWE_ALGS index (0: dir, the key is the CEK). */
export const JWE_KEK_BYTES = [0, 16, 32]
/** JWE content encryption by index (the u of `OP_JWE_ADD_KEY`, `OP_JWE_ENCRYPTER`; bit i of b). */
export const JWE_ENCS = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']
/** The CEK's exact length by JWE_ENCS index (also a dir key's). */
export const JWE_CEK_BYTES = [16, 32, 32, 64]
/** The IV's exact length by JWE_ENCS index. */
export const JWE_IV_BYTES = [12, 12, 16, 16]
/** What `OP_JWE_DECRYPT_FINISH` returns for a ticket that gives nothing (not an error). */
export const JWE_TICKET_GONE = 255
