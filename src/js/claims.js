// @ts-check
/**
 * jwt-wasm/claims: reading tokens WITHOUT verifying them, on the `claims` artifact (no HMAC, no
 * SHA-2 linked): `decodeUnverified` and `inspect`, the very functions of `jwt-wasm` (read.js),
 * and the errors they throw. For UIs and `jwt-wasm/session`, which only read `exp`. Verifying
 * needs `jwt-wasm` (the `hmac` artifact). The `claims-*.js` entries load the wasm per runtime.
 */
import { claims } from './wasm.js'
import { decodeWith, inspectWith } from './read.js'

export {
  JwtError,
  JWSInvalid,
  JWTInvalid,
  JWTTooLarge,
  WasmNotInitialized,
  WasmTrapped,
  WasmCapabilityMissing,
  InvalidOptionsError,
} from './errors.js'

/**
 * Decodes a token WITHOUT VERIFYING ANYTHING (as `jwt-wasm`'s `decodeUnverified`).
 * @param {string} token
 * @param {{ maxTokenBytes?: number, maxHeaderBytes?: number }} [options]
 * @returns {import('./index.js').Decoded | import('./index.js').Encrypted}
 */
export function decodeUnverified(token, options) {
  return decodeWith(claims, token, options)
}

/**
 * Describes a token WITHOUT VERIFYING IT (as `jwt-wasm`'s `inspect`).
 * @param {string} token
 * @param {{ currentDate?: Date, maxLifetime?: number, maxTokenBytes?: number, maxHeaderBytes?: number }} [options]
 * @returns {import('./index.js').Inspection | import('./index.js').Encrypted}
 */
export function inspect(token, options) {
  return inspectWith(claims, token, options)
}
