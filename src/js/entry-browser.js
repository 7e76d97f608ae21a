// @ts-check
/**
 * `jwt-wasm` in browsers (and the default): the `hmac` artifact beside this module, compiled by
 * streaming compilation, then instantiated. Loading starts at import, without top-level `await`
 * (which Vite 5 and 6, and any bundler targeting browsers before 2021, refuse to build): await
 * `ready` before the first call, else it throws `WasmNotInitialized`. Importing never throws: if
 * loading fails, using the API throws `WasmNotInitialized` with the cause, and `ready` resolves
 * all the same.
 */
import { hmac } from './wasm.js'
import { loadStreaming } from './internal/streaming.js'

/** Resolves once the engine has loaded (or failed to: see `WasmNotInitialized`). */
export const ready = loadStreaming(hmac, () => fetch(new URL('./wasm/jwt_wasm_hmac.wasm', import.meta.url)))

export * from './index.js'
