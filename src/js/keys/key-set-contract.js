// @ts-check
/**
 * The KeySet contract (/work/keys-contract.md §4), shared by the key sets (local-key-set.js,
 * remote-key-set.js) and the public-key verifier that consumes them: the marker symbol and the
 * test for it. A KeySet is any object with `[KEY_SET] === true` and the methods
 * `snapshot(now)`, `load({ now, reason, scope })` and `refused(version, error)`.
 */

/**
 * The marker of a KeySet. A registered symbol, so that two copies of this module (two bundles in
 * one isolate) agree on it; it is a type tag, not a capability.
 */
export const KEY_SET = Symbol.for('jwt-wasm.keySet')

/**
 * @typedef {{ version: number, format: 'jwks' | 'x509', body: string }} KeySetSnapshot
 * @typedef {{ now: number, reason?: 'empty' | 'unknown-kid', scope?: object }} KeySetLoad
 * @typedef {{
 *   [KEY_SET]: true,
 *   snapshot(now: number): KeySetSnapshot | undefined,
 *   load(request: KeySetLoad): Promise<KeySetSnapshot>,
 *   refused(version: number, error?: unknown): void,
 * }} KeySet
 */

/**
 * Whether `v` is a KeySet (the marker and the three methods).
 * @param {unknown} v
 * @returns {v is KeySet}
 */
export function isKeySet(v) {
  const k = /** @type {any} */ (v)
  return (
    k !== null &&
    typeof k === 'object' &&
    k[KEY_SET] === true &&
    typeof k.snapshot === 'function' &&
    typeof k.load === 'function' &&
    typeof k.refused === 'function'
  )
}
