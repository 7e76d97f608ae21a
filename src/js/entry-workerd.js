// @ts-check
/**
 * `jwt-wasm` on workerd (Cloudflare Workers) and other runtimes that forbid compiling wasm at run
 * time: the `hmac` artifact with the native-MAC ops, built for WebAssembly SIMD (which workerd's
 * V8 always has), `jwt_wasm_hmac_native.wasm`, is a static import, compiled by the platform at
 * deploy time, instantiated synchronously. Nothing random happens at module scope. Under `nodejs_compat` the
 * runtime's `node:crypto` is the Verifier's native MAC for large tokens (native-mac.js), found
 * through `process.getBuiltinModule`: no static `node:crypto` import, so a Worker without the
 * flag bundles and loads as before and MACs in wasm.
 */
// A WebAssembly.Module here (declared for tsc in tests/types/ambient/platform.d.ts).
import module from './wasm/jwt_wasm_hmac_native.wasm'
import { hmac } from './wasm.js'
import { installNativeMac } from './native-mac.js'

hmac.load(module)
installNativeMac(/** @type {any} */ (globalThis).process?.getBuiltinModule?.('node:crypto'))

export * from './index.js'
/** Resolves when the engine is ready (already, in workerd). */
export const ready = Promise.resolve()
