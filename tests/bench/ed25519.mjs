// The EdDSA case's synchronous alternative (issue 13: "where WebCrypto has Ed25519, measure both
// and pick per runtime"): ed25519-dalek's verify in wasm (ed25519-wasm/, built by run.sh), timed
// as the WebCrypto floor is: the signature alone over the signing input and signature decoded
// before anything is timed, no claims. Shared by Node (pk-node.mjs) and the Worker (pk-worker.js).

/** Strict base64url to bytes. @param {string} s */
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

/**
 * The case over `pool` (taken in turn by `cursor`), verifying under the public JWK `jwk`.
 * @param {WebAssembly.Module} module ed25519-wasm's artifact
 * @param {{ x: string }} jwk
 * @param {string[]} pool
 * @param {<T>(items: T[]) => () => T} cursor
 * @param {object} claims what a valid token gives back (the floor's convention: it judges none)
 */
export function dalekCase(module, jwk, pool, cursor, claims) {
  const { exports } = new WebAssembly.Instance(module, {})
  const e = /** @type {{ memory: WebAssembly.Memory, input: () => number, verify: (n: number) => number }} */ (
    /** @type {unknown} */ (exports)
  )
  const key = unb64(jwk.x)
  /** @param {string} t */
  const make = (t) => {
    const dot = t.lastIndexOf('.')
    const [data, signature] = [new TextEncoder().encode(t.slice(0, dot)), unb64(t.slice(dot + 1))]
    return () => {
      // The bytes go in at each call, as any verify puts them where its code reads them.
      const input = new Uint8Array(e.memory.buffer, e.input(), 96 + data.length)
      input.set(key, 0)
      input.set(signature, 32)
      input.set(data, 96)
      if (e.verify(data.length) !== 1) throw new Error('refused')
      return claims
    }
  }
  const fns = pool.map(make)
  return {
    id: 'wasm-ed25519',
    label: 'ed25519-dalek 3.0.0 in wasm, synchronous: the signature alone (the bytes decoded beforehand; no claims)',
    floor: true,
    make,
    timed: () => {
      const next = cursor(fns)
      return () => next()()
    },
  }
}
