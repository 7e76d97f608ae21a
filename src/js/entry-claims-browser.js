// @ts-check
/**
 * `jwt-wasm/claims` in browsers (and the default): the `claims` artifact beside this module,
 * compiled by streaming compilation, started at import: await `ready` before the first call
 * (`jwt-wasm/session` does itself). Importing never throws (see `entry-browser.js`).
 */
import { claims } from './wasm.js'
import { loadStreaming } from './internal/streaming.js'

/** Resolves once the engine has loaded (or failed to: see `WasmNotInitialized`). */
export const ready = loadStreaming(claims, () => fetch(new URL('./wasm/jwt_wasm_claims.wasm', import.meta.url)))

export * from './claims.js'
