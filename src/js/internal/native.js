// @ts-check
/**
 * Where the runtime's synchronous native MAC is installed, if it has one: the Node and workerd
 * entries call `installNativeMac` (native-mac.js) with `node:crypto`; browsers never do, so this
 * stays empty there and a Verifier MACs in wasm. Read by index.js when a Verifier is made.
 */

/**
 * A Verifier's native path: `verify(core, token, now)` runs the two-phase verification (the
 * core decides up to the key, the runtime MACs, the core compares and judges); used for tokens
 * of at least `min` characters.
 * @typedef {{ min: number, verify: (core: import('../wasm.js').Core, token: string, now: number) => void }} NativePath
 */

/**
 * The installed provider: `path(keys, min)` makes a Verifier's native path over its keys (in
 * the order given to the core), used from `min` characters (default: the measured threshold); none
 * on an artifact without the native-MAC ops.
 * @type {{ path?: (keys: { alg: number, secret: Uint8Array }[], min?: number) => NativePath | undefined }}
 */
export const nativeMac = {}
