// @ts-check
/** `jwt-wasm/claims` in Node (and Deno, Bun): the `claims` artifact, read from the file beside this module. */
import { readFileSync } from 'node:fs'
import { claims } from './wasm.js'

try {
  claims.load(readFileSync(new URL('./wasm/jwt_wasm_claims.wasm', import.meta.url)))
} catch (e) {
  claims.loadFailed(e)
}

export * from './claims.js'
/** Resolves when the engine is ready (already, in Node). */
export const ready = Promise.resolve()
