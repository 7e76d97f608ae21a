// @ts-check
/**
 * Whether this runtime's WebAssembly has SIMD (Node 20+ and workerd always do): the Node
 * entries (entry-node.js, entry-jwe-node.js, entry-keys-node.js) load the artifacts built for it
 * (`jwt_wasm_hmac_native.wasm`, `jwt_wasm_jwe_simd.wasm`, `jwt_wasm_keys_fast.wasm`) when so,
 * else the browsers' builds.
 */

/** `(func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)`: valid only with SIMD. */
const PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
])

/** Asked at each call, so a test can make a runtime without SIMD. */
export const hasSimd = () => WebAssembly.validate(PROBE)
