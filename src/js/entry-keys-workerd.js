// @ts-check
/**
 * `jwt-wasm/keys` on workerd: the `keys` artifact as a static import (see `entry-workerd.js`);
 * signatures are WebCrypto's (`crypto.subtle.verify`), which workerd runs natively.
 */
import module from './wasm/jwt_wasm_keys.wasm'
import { keys } from './wasm.js'

keys.load(module)

export * from './keys.js'
/** Resolves when the engine is ready (already, in workerd). */
export const ready = Promise.resolve()
