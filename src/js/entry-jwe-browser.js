// @ts-check
/**
 * `jwt-wasm/jwe` in browsers (and the default): the `jwe` artifact beside this module,
 * compiled by streaming compilation. Importing never throws (see `entry-browser.js`).
 */
import { jwe } from './wasm.js'
import { loadStreaming } from './internal/streaming.js'

/** Resolves once the engine has loaded (or failed to: see `WasmNotInitialized`). */
export const ready = loadStreaming(jwe, () => fetch(new URL('./wasm/jwt_wasm_jwe.wasm', import.meta.url)))
await ready

export * from './jwe.js'
