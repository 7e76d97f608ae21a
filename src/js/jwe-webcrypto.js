// @ts-check
/**
 * The Decrypter's asynchronous content decryption by the runtime's WebCrypto (`crypto.subtle`),
 * for `Decrypter#decryptAsync`, on the browsers' artifact (and Node's without SIMD); the Node and
 * workerd artifact has the ticketed driver, jwe-webcrypto-ticket.js (`jweCipher`). The wasm core keeps every decision:
 * `jwe_decrypt_begin` runs the JWE order up to the content (caps, five segments, the strict
 * header and its refusals, allowlists, the key, strict base64url and exact lengths, the
 * A128KW/A256KW unwrap, and for CBC-HMAC the tag in constant time) and hands out the key (for
 * `dir` only its index: its CryptoKey is imported here once, non-extractable), the IV, the
 * ciphertext and the GCM tag; WebCrypto decrypts (AES-GCM checks its tag; AES-CBC decrypts and
 * unpads an already authenticated ciphertext); `jwe_decrypt_end` reads the token again
 * (stateless: two decrypts may interleave across the await), takes the plaintext or the
 * failure, and verifies the inner JWS. Every failure of the runtime goes through it, so the one
 * `ERR_JWE_DECRYPTION_FAILED` comes out of the core on the path of every other.
 * tests/js/core/jwe-paths.test.mjs runs every shared case through both paths.
 */
import { call, engine, jwe, put } from './wasm.js'
import { OP_JWE_DECRYPT_BEGIN, OP_JWE_DECRYPT_END } from './internal/protocol-jwe.js'

/** By JWE_ENCS index: WebCrypto's name, and the MAC half of a CBC-HMAC key (not AES's). */
const NAMES = ['AES-GCM', 'AES-GCM', 'AES-CBC', 'AES-CBC']
const MAC_HALF = [0, 0, 16, 32]
const NONE = new Uint8Array(0)
const encoder = new TextEncoder()

/**
 * The content decryption over `subtle` for a Decrypter whose `dir` secrets (copies, by key
 * index; others unused) are `secrets`: `(core, token, now, checked, read, alive)` resolves to
 * `read` of the core's output once it has judged (the output of a `jwe_decrypt`), or throws its
 * error; `alive` throws if the Decrypter was freed during the await.
 * @param {SubtleCrypto} subtle
 * @param {Uint8Array[]} secrets
 */
export function webCryptoContent(subtle, secrets) {
  /** @type {Map<number, Promise<CryptoKey>>} */
  const dirKeys = new Map()
  /** @param {Uint8Array} raw @param {number} enc */
  const importKey = (raw, enc) =>
    subtle.importKey('raw', /** @type {BufferSource} */ (raw), NAMES[enc], false, ['decrypt'])
  /**
   * @param {import('./wasm.js').Core} core
   * @param {string} token
   * @param {number} now
   * @param {(core: import('./wasm.js').Core, status: number) => void} checked
   * @template T
   * @param {(core: import('./wasm.js').Core) => T} read
   * @param {() => void} alive
   * @returns {Promise<T>}
   */
  return async (core, token, now, checked, read, alive) => {
    checked(core, call(core, OP_JWE_DECRYPT_BEGIN, 0, 0, put(core, [token])[0], 0, 0))
    const [enc, dir, k, i] = [0, 1, 2, 3].map((slot) => core.num(slot))
    // The output's bytes, copied out of the memory (the next call reuses it).
    const bytes = new Uint8Array(engine(jwe).memory.buffer, core.num(6), k + i + core.num(4) + core.num(5)).slice()
    const iv = bytes.subarray(k, k + i)
    /** @type {Uint8Array | undefined} */
    let plaintext
    try {
      let key = dir < 0 ? importKey(bytes.subarray(0, k), enc) : dirKeys.get(dir)
      if (!key) {
        key = importKey(secrets[dir].subarray(MAC_HALF[enc]), enc)
        dirKeys.set(dir, key)
      }
      const additionalData = encoder.encode(token.slice(0, token.indexOf('.')))
      const alg = enc < 2 ? { name: 'AES-GCM', iv, additionalData } : { name: 'AES-CBC', iv }
      plaintext = new Uint8Array(await subtle.decrypt(alg, await key, bytes.subarray(k + i)))
    } catch {} // tag, padding, anything: judged by the core below, as one failure
    alive()
    const [n, m] = put(core, [token, plaintext ?? NONE])
    checked(core, call(core, OP_JWE_DECRYPT_END, plaintext ? 1 : 0, n, m, now, 0))
    return read(core) // now: another decrypt's call may come right after this one's last
  }
}
