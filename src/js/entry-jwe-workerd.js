// @ts-check
/** `jwt-wasm/jwe` on workerd: the `jwe` artifact as a static import (see `entry-workerd.js`). */
import module from './wasm/jwt_wasm_jwe.wasm'
import { jwe } from './wasm.js'

jwe.load(module)

export * from './jwe.js'
/** Resolves when the engine is ready (already, in workerd). */
export const ready = Promise.resolve()
