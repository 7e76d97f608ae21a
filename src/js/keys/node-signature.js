// @ts-check
/**
 * The signature check of node:crypto (Node; workerd under `nodejs_compat`): a `KeyObject` made
 * once per key and the synchronous `crypto.verify`, which in Node beats `crypto.subtle.verify`
 * (tests/bench/keys-paths.mjs measures both). Imported only by the Node and workerd entries,
 * which pass `node:crypto` in, so a browser bundle carries none of it.
 */
import { PK_HASH, PK_SALT, PK_SCHEME } from '../internal/protocol-keys.js'

/**
 * The provider over `crypto` (the `node:crypto` module), or undefined without one.
 * @param {any} crypto
 * @returns {import('./signature.js').SignatureProvider | undefined}
 */
export function nodeSignatures(crypto) {
  if (typeof crypto?.verify !== 'function' || typeof crypto.createPublicKey !== 'function') return undefined
  return {
    name: 'node:crypto',
    // `crypto.verify` without a callback is synchronous: the bytes are read before it returns.
    readsAtOnce: true,
    importKey(alg, jwk) {
      const key = crypto.createPublicKey({ key: jwk, format: 'jwk' })
      const scheme = PK_SCHEME[alg]
      /** @type {Record<string, unknown>} */
      const options = { key }
      if (scheme === 'ECDSA') options.dsaEncoding = 'ieee-p1363'
      if (scheme === 'RSA-PSS') {
        options.padding = crypto.constants.RSA_PKCS1_PSS_PADDING
        options.saltLength = PK_SALT[alg]
      }
      // Ed25519 takes no digest (null); the others name theirs (SHA-256 → sha256).
      return { hash: PK_HASH[alg] ? PK_HASH[alg].replace('-', '').toLowerCase() : null, options }
    },
    verify: (k, data, signature) => crypto.verify(k.hash, data, k.options, signature),
  }
}
