// @ts-check
/**
 * Browsers (and the default): the wasm is fetched from beside this module and compiled by
 * streaming instantiation (synchronous compilation of large modules is refused on the main
 * thread). Importing never throws: if loading fails, using the API throws `WasmNotInitialized`
 * with the cause, and `ready` resolves all the same.
 */
import init from './wasm/jwt_wasm.js'
import { loadAsync } from './wasm.js'

/** Resolves once the engine has loaded (or failed to: see `WasmNotInitialized`). */
export const ready = loadAsync(
  Promise.resolve().then(() => init({ module_or_path: new URL('./wasm/jwt_wasm_bg.wasm', import.meta.url) })),
)
await ready

export * from './index.js'
