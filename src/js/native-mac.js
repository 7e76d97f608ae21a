// @ts-check
/**
 * The native MAC of a Verifier, for runtimes with a synchronous HMAC (Node's `node:crypto`;
 * workerd's under `nodejs_compat`): imported only by entry-node.js and entry-workerd.js, which
 * pass `node:crypto` in (no static import here, so a Worker without `nodejs_compat` bundles as
 * before). The wasm core keeps every decision: `verify_begin` runs steps 1 to 4 of the order of
 * checks (caps, segments, base64url, header, algorithm, key) and names the chosen key's index and
 * the signing input's length; the runtime computes HMAC over that input with the key's
 * `KeyObject` (made once per key, at its first native MAC); `verify_mac` compares it with the
 * signature in constant time in the core (step 5) and only then judges the claims (steps 6, 7).
 * So a forged token is refused
 * before its claims are read, exactly as on the wasm path; tests/js/core/native-mac.test.mjs runs
 * every shared vector through both paths.
 */
import { call, hmac, put } from './wasm.js'
import { check } from './internal/calls.js'
import { nativeMac } from './internal/native.js'
import { CAP_NATIVE_MAC, KEY_MESSAGES, OP_VERIFY_BEGIN, OP_VERIFY_MAC } from './internal/protocol.js'

/**
 * The token length (characters) from which `mac: 'auto'` MACs natively. Below it the wasm core's
 * pre-keyed HMAC wins: the native path pays a fixed cost (a `createHmac` object, two more
 * boundary calls, the MAC copied back into wasm) that SHA-256's speed only repays on longer
 * input. Measured with tests/bench/crossover.mjs (Node 20.20, 2 shared cores, two runs, on the
 * SIMD build Node loads): wasm over native 0.62 at 213 chars, 0.82 at 613, 0.95 at 1013 and
 * 1280, 0.99-1.00 at 1547 and 1813, 1.11-1.13 at 2213, 1.33-1.41 at 5813; so the crossover
 * lies at about 1.6 KB. (Before the SIMD build it lay at 600-1000 chars.)
 */
export const NATIVE_MIN_CHARS = 1600

/** The hash of each algorithm index (HS256, HS384, HS512). */
const HASHES = ['sha256', 'sha384', 'sha512']

/**
 * Installs `crypto` (the `node:crypto` module, or undefined where there is none) as the native
 * MAC of every Verifier made afterwards with `mac` 'auto' or 'native' (made on an hmac artifact
 * with the native-MAC ops: `CAP_NATIVE_MAC`).
 * @param {any} crypto
 */
export function installNativeMac(crypto) {
  if (typeof crypto?.createHmac !== 'function' || typeof crypto.createSecretKey !== 'function') return
  nativeMac.path = (keys, min = NATIVE_MIN_CHARS) => {
    if (!(hmac.caps & CAP_NATIVE_MAC)) return undefined
    /** @type {{ hash: string, key: any }[] | undefined} made at the first native MAC, once */
    let ring
    return {
      min,
      verify(core, token, now) {
        check(core, call(core, OP_VERIFY_BEGIN, 0, 0, put(core, [token])[0], now, 0), undefined, KEY_MESSAGES)
        ring ??= keys.map((k) => ({ hash: HASHES[k.alg], key: crypto.createSecretKey(k.secret) }))
        const key = ring[core.num(0)]
        // After phase 1 the signing input is strict base64url, ASCII: its bytes are its characters.
        const mac = crypto
          .createHmac(key.hash, key.key)
          .update(token.slice(0, core.num(1)), 'latin1')
          .digest()
        check(core, call(core, OP_VERIFY_MAC, 0, 0, put(core, [mac])[0], 0, 0), undefined, KEY_MESSAGES)
      },
    }
  }
}
