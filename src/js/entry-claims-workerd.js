// @ts-check
/** `jwt-wasm/claims` on workerd: the `claims` artifact as a static import (see `entry-workerd.js`). */
import module from './wasm/jwt_wasm_claims.wasm'
import { claims } from './wasm.js'

claims.load(module)

export * from './claims.js'
/** Resolves when the engine is ready (already, in workerd). */
export const ready = Promise.resolve()
