// @ts-check
/** `jwt-wasm` in Node (and Deno, Bun): the `hmac` artifact is read from the file beside this module and instantiated synchronously. */
import { readFileSync } from 'node:fs'
import { hmac } from './wasm.js'

try {
  hmac.load(readFileSync(new URL('./wasm/jwt_wasm_hmac.wasm', import.meta.url)))
} catch (e) {
  hmac.loadFailed(e)
}

export * from './index.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
