// @ts-check
/**
 * `jwt-wasm` on workerd (Cloudflare Workers) and other runtimes that forbid compiling wasm at run
 * time: the `hmac` artifact is a static import, compiled by the platform at deploy time,
 * instantiated synchronously. Nothing random happens at module scope.
 */
// A WebAssembly.Module here (declared for tsc in tests/types/ambient/platform.d.ts).
import module from './wasm/jwt_wasm_hmac.wasm'
import { hmac } from './wasm.js'

hmac.load(module)

export * from './index.js'
/** Resolves when the engine is ready (already, in workerd). */
export const ready = Promise.resolve()
