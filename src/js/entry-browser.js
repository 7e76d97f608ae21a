// @ts-check
/**
 * `jwt-wasm` in browsers (and the default): the `hmac` artifact beside this module, compiled by
 * streaming compilation, then instantiated. Importing never throws: if loading fails, using the
 * API throws `WasmNotInitialized` with the cause, and `ready` resolves all the same.
 */
import { hmac } from './wasm.js'
import { loadStreaming } from './internal/streaming.js'

/** Resolves once the engine has loaded (or failed to: see `WasmNotInitialized`). */
export const ready = loadStreaming(hmac, () => fetch(new URL('./wasm/jwt_wasm_hmac.wasm', import.meta.url)))
await ready

export * from './index.js'
