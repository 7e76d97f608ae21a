// @ts-check
/**
 * `jwt-wasm` in Node (and Deno, Bun): the `hmac` artifact is read from the file beside this
 * module and instantiated synchronously: `jwt_wasm_hmac_native.wasm`, built for WebAssembly SIMD
 * and with the ops of the native MAC (`node:crypto` MACs large tokens: native-mac.js). A runtime
 * whose WebAssembly lacks SIMD (internal/simd.js's probe fails; never in Node 20+) gets the browsers'
 * `jwt_wasm_hmac.wasm` instead, which MACs every token in wasm.
 */
import * as crypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hmac } from './wasm.js'
import { installNativeMac } from './native-mac.js'
import { hasSimd } from './internal/simd.js'

const artifact = hasSimd() ? 'jwt_wasm_hmac_native.wasm' : 'jwt_wasm_hmac.wasm'

try {
  hmac.load(readFileSync(new URL(`./wasm/${artifact}`, import.meta.url)))
} catch (e) {
  hmac.loadFailed(e)
}
installNativeMac(crypto)

export * from './index.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
