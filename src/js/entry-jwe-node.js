// @ts-check
/**
 * `jwt-wasm/jwe` in Node (and Deno, Bun): the `jwe` artifact, read from the file beside this
 * module: `jwt_wasm_jwe_simd.wasm`, built for WebAssembly SIMD (sha2's simd128 SHA-256 for the
 * inner token's HMAC and CBC-HMAC's tag), or where the runtime's WebAssembly lacks SIMD
 * (internal/simd.js) the browsers' `jwt_wasm_jwe.wasm`. The same ops and checks in both.
 */
import { readFileSync } from 'node:fs'
import { jwe } from './wasm.js'
import { hasSimd } from './internal/simd.js'
import { jweCipher } from './internal/jwe-cipher.js'
import { ticketContent } from './jwe-webcrypto-ticket.js'

const simd = hasSimd()
const artifact = simd ? 'jwt_wasm_jwe_simd.wasm' : 'jwt_wasm_jwe.wasm'
// The SIMD artifact has the ticketed second half (feature jwe-ticket); the browsers' has not.
if (simd) jweCipher.webcrypto = ticketContent

try {
  jwe.load(readFileSync(new URL(`./wasm/${artifact}`, import.meta.url)))
} catch (e) {
  jwe.loadFailed(e)
}

export * from './jwe.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
