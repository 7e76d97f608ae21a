// @ts-check
/**
 * Browsers (and the default): the wasm beside this module is compiled by streaming compilation
 * (synchronous compilation of large modules is refused on the main thread), then instantiated.
 * Importing never throws: if loading fails, using the API throws `WasmNotInitialized` with the
 * cause, and `ready` resolves all the same.
 */
import { load, loadFailed } from './wasm.js'

/** Resolves once the engine has loaded (or failed to: see `WasmNotInitialized`). */
export const ready = (async () => {
  try {
    const response = fetch(new URL('./wasm/jwt_wasm_bg.wasm', import.meta.url))
    let module
    try {
      module = await WebAssembly.compileStreaming(response)
    } catch {
      // A server that does not say `application/wasm`: compile from the bytes instead.
      module = await WebAssembly.compile(await (await response).arrayBuffer())
    }
    load(module)
  } catch (e) {
    loadFailed(e)
  }
})()
await ready

export * from './index.js'
