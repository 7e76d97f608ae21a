// @ts-check
/**
 * `jwt-wasm/keys` in browsers (and the default): the `keys` artifact beside this module, compiled
 * by streaming compilation; signatures are WebCrypto's. Loading starts at import, without
 * top-level `await` (Vite 5 and 6 refuse it): await `ready` before the first verifier, else it
 * throws `WasmNotInitialized`. Importing never throws (see `entry-browser.js`).
 */
import { keys } from './wasm.js'
import { loadStreaming } from './internal/streaming.js'

/** Resolves once the engine has loaded (or failed to: see `WasmNotInitialized`). */
export const ready = loadStreaming(keys, () => fetch(new URL('./wasm/jwt_wasm_keys.wasm', import.meta.url)))

export * from './keys.js'
