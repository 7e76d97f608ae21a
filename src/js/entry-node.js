// @ts-check
/** Node (and Deno, Bun): the wasm is read from the file beside this module and instantiated synchronously. */
import { readFileSync } from 'node:fs'
import { load, loadFailed } from './wasm.js'

try {
  load(readFileSync(new URL('./wasm/jwt_wasm_bg.wasm', import.meta.url)))
} catch (e) {
  loadFailed(e)
}

export * from './index.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
