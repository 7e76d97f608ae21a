// @ts-check
/**
 * `jwt-wasm/keys` on workerd: the `keys` artifact built for speed with the second half of a
 * verify by ticket (`jwt_wasm_keys_fast.wasm`: `keys-tickets`, +simd128, -O3) as a static import (see
 * `entry-workerd.js`);
 * signatures are WebCrypto's (`crypto.subtle.verify`), which workerd runs natively.
 */
import module from './wasm/jwt_wasm_keys_fast.wasm'
import { keys } from './wasm.js'
import { useTickets } from './keys/tickets.js'

keys.load(module)
useTickets()

export * from './keys.js'
/** Resolves when the engine is ready (already, in workerd). */
export const ready = Promise.resolve()
