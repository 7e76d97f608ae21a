// The Node floor of the public-key case (pk.mjs): node:crypto's synchronous `verify` alone with a
// `KeyObject` made once from the JWK (what jwt-wasm's Node entry verifies with:
// src/js/keys/node-signature.js), over the signing input and signature decoded before anything
// is timed; no claims. Node only (pk-node.mjs passes `node:crypto` in), so the Worker never
// loads it.

/** Strict base64url to bytes. @param {string} s */
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

/** The digest and options node:crypto verifies each algorithm of the case with. */
const SCHEMES = {
  ES256: ['sha256', { dsaEncoding: 'ieee-p1363' }],
  RS256: ['sha256', {}],
  EdDSA: [null, {}],
}

/**
 * The case over `pool` (taken in turn by `cursor`), verifying under the public JWK `jwk`.
 * @param {any} nodeCrypto the node:crypto module
 * @param {'ES256' | 'RS256' | 'EdDSA'} alg
 * @param {object} jwk
 * @param {string[]} pool
 * @param {<T>(items: T[]) => () => T} cursor
 * @param {object} claims what a valid token gives back (a floor judges none)
 */
export function nodeFloorCase(nodeCrypto, alg, jwk, pool, cursor, claims) {
  const [hash, extra] = SCHEMES[alg]
  const options = { key: nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' }), ...extra }
  /** @param {string} t */
  const make = (t) => {
    const dot = t.lastIndexOf('.')
    const [data, signature] = [new TextEncoder().encode(t.slice(0, dot)), unb64(t.slice(dot + 1))]
    return () => {
      if (!nodeCrypto.verify(hash, data, options, signature)) throw new Error('refused')
      return claims
    }
  }
  const fns = pool.map(make)
  return {
    id: 'floor-node',
    label:
      "floor: node:crypto's synchronous verify alone (a cached KeyObject, the bytes decoded beforehand; no claims)",
    floor: true,
    make,
    timed: () => {
      const next = cursor(fns)
      return () => next()()
    },
  }
}
