// @ts-check
/**
 * `jwt-wasm` in Node (and Deno, Bun): the `hmac` artifact with the native-MAC ops (`jwt_wasm_hmac_native.wasm`) is read from the file beside this
 * module and instantiated synchronously; `node:crypto` is the Verifier's native MAC for large
 * tokens (native-mac.js).
 */
import * as crypto from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hmac } from './wasm.js'
import { installNativeMac } from './native-mac.js'

try {
  hmac.load(readFileSync(new URL('./wasm/jwt_wasm_hmac_native.wasm', import.meta.url)))
} catch (e) {
  hmac.loadFailed(e)
}
installNativeMac(crypto)

export * from './index.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
