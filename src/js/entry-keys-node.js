// @ts-check
/**
 * `jwt-wasm/keys` in Node (and Deno, Bun): the `keys` artifact built for WebAssembly SIMD and
 * speed with the second half of a verify by ticket (`jwt_wasm_keys_fast.wasm`: `keys-tickets`,
 * +simd128, -O3), read from the file beside this module, or on a runtime without SIMD the
 * browsers' `jwt_wasm_keys.wasm` and its stateless second half (as entry-jwe-node.js falls back);
 * signatures are checked by node:crypto's synchronous `verify` with a cached `KeyObject`,
 * faster in Node than `crypto.subtle.verify` (keys/node-signature.js; tests/bench/keys-paths.mjs).
 */
import * as crypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import { keys } from './wasm.js'
import { signatures } from './keys/signature.js'
import { nodeSignatures } from './keys/node-signature.js'
import { useTickets } from './keys/tickets.js'
import { hasSimd } from './internal/simd.js'

const simd = hasSimd()
try {
  keys.load(readFileSync(new URL(`./wasm/${simd ? 'jwt_wasm_keys_fast.wasm' : 'jwt_wasm_keys.wasm'}`, import.meta.url)))
} catch (e) {
  keys.loadFailed(e)
}
signatures.provider = nodeSignatures(crypto) ?? signatures.provider
// The ticketed second half is the fast artifact's (feature keys-tickets); the browsers' has not.
if (simd) useTickets()

export * from './keys.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
