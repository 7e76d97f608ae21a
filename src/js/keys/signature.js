// @ts-check
/**
 * The runtime's half of a public-key verification: a key imported once (a non-extractable
 * `CryptoKey`, or a `KeyObject` where node:crypto is faster: node-signature.js) and the signature
 * check over the signing input, for one algorithm of the protocol's `PK_ALGS`. The core chose the
 * key and range-checked the signature before (pk_verify_begin); it judges the verdict after
 * (pk_verify_end). `signatures.provider` is WebCrypto unless an entry installed another.
 */
import { PK_CRV, PK_HASH, PK_SALT, PK_SCHEME } from '../internal/protocol-keys.js'

/**
 * A runtime's signature scheme: `importKey` makes the key of a minimal public JWK for algorithm
 * `alg` (a `PK_ALGS` index), refusing a key the runtime refuses (an EC point off its curve);
 * `verify` checks `signature` over `data` with it. `readsAtOnce`: its `verify` has read (or
 * copied) all of `data` and `signature` when it returns, even when it returns a promise; only
 * then may it be handed views into the core's memory, which the next verification overwrites
 * (ring.js's `verify` copies the bytes for any other provider).
 * @typedef {{
 *   name: string,
 *   readsAtOnce?: boolean,
 *   importKey(alg: number, jwk: JsonWebKey): unknown,
 *   verify(key: any, data: Uint8Array<ArrayBuffer>, signature: Uint8Array<ArrayBuffer>): boolean | Promise<boolean>,
 * }} SignatureProvider
 */

/**
 * WebCrypto's import and verify parameters of a `PK_ALGS` index, exactly the members each
 * scheme takes: RSA keys carry their hash; EC keys their curve, and ECDSA's verify the hash;
 * RSA-PSS verifies with the salt of the hash's length (RFC 7518 §3.5).
 * @param {number} alg
 */
function params(alg) {
  const name = PK_SCHEME[alg]
  const hash = PK_HASH[alg]
  if (name === 'ECDSA')
    return [
      { name, namedCurve: PK_CRV[alg] },
      { name, hash },
    ]
  if (!hash) return [{ name }, { name }]
  return [{ name, hash }, name === 'RSA-PSS' ? { name, saltLength: PK_SALT[alg] } : { name }]
}

/** @type {SignatureProvider} WebCrypto (`crypto.subtle`): browsers, workerd, Node. */
export const webCrypto = {
  name: 'webcrypto',
  // "Let data be the result of getting a copy of the bytes held by the data parameter" (and the
  // signature): W3C Web Cryptography API, SubtleCrypto.verify, steps run before it returns.
  readsAtOnce: true,
  async importKey(alg, jwk) {
    const [imports, verifies] = params(alg)
    return { key: await crypto.subtle.importKey('jwk', jwk, imports, false, ['verify']), params: verifies }
  },
  verify: (k, data, signature) => crypto.subtle.verify(k.params, k.key, signature, data),
}

/** Where the entries install the runtime's fastest provider (read when a key is imported). */
export const signatures = { provider: webCrypto }
