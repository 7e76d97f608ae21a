// @ts-check
/** `jwt-wasm/jwe` in Node (and Deno, Bun): the `jwe` artifact, read from the file beside this module. */
import { readFileSync } from 'node:fs'
import { jwe } from './wasm.js'

try {
  jwe.load(readFileSync(new URL('./wasm/jwt_wasm_jwe.wasm', import.meta.url)))
} catch (e) {
  jwe.loadFailed(e)
}

export * from './jwe.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
