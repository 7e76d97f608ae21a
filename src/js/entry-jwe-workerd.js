// @ts-check
/**
 * `jwt-wasm/jwe` on workerd: the `jwe` artifact built for WebAssembly SIMD (which workerd's V8
 * always has: sha2's simd128 SHA-256 for the inner token's HMAC), `jwt_wasm_jwe_simd.wasm`, as a
 * static import (see `entry-workerd.js`).
 * `decryptAsync` decrypts the content by the runtime's WebCrypto there (`cipher: 'auto'`,
 * internal/jwe-cipher.js): its AES is native, ours is software in wasm; driven by
 * jwe-webcrypto-ticket.js (this artifact's second half takes a ticket, not the token again).
 */
import module from './wasm/jwt_wasm_jwe_simd.wasm'
import { jwe } from './wasm.js'
import { jweCipher } from './internal/jwe-cipher.js'
import { ticketContent } from './jwe-webcrypto-ticket.js'

jwe.load(module)
jweCipher.auto = jweCipher.webcrypto = ticketContent

export * from './jwe.js'
/** Resolves when the engine is ready (already, in workerd). */
export const ready = Promise.resolve()
