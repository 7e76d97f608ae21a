// @ts-check
/**
 * The Decrypter's asynchronous content decryption by WebCrypto on the Node and workerd
 * artifact (`jwt_wasm_jwe_simd.wasm`, Cargo feature `jwe-ticket`; the entries set it as
 * `jweCipher`), for `Decrypter#decryptAsync`: jwe-webcrypto.js's order and verdicts with
 * fewer crossings of the boundary. `jwe_decrypt_park` runs `jwe_decrypt_begin`'s checks (the
 * JWE order up to the content, the unwrap, a CBC-HMAC tag) and parks what it read of the token
 * under a ticket (src/wasm/jwe/ticket.rs); its output is laid out for one read (eight words,
 * then the key, IV, ciphertext with the GCM tag, and the AAD); WebCrypto decrypts; then
 * `jwe_decrypt_finish` takes the plaintext (or the failure) and the ticket, without the token,
 * and verifies the inner JWS. A ticket that gives nothing (`JWE_TICKET_GONE`: more than 64
 * decrypts in flight on one core, or an instance that trapped between the halves) falls back to
 * the stateless `jwe_decrypt_end` with the token, as jwe-webcrypto.js does every time. Every
 * failure of the runtime goes through the core, so the one `ERR_JWE_DECRYPTION_FAILED` comes out
 * of it on the path of every other. tests/js/core/jwe-paths.test.mjs runs every shared case
 * through it (and the fallback), tests/js/core/jwe-ticket.test.mjs the memory hand-off.
 *
 * The hand-off without copies: WebCrypto's `decrypt` and `importKey` take "a copy of the bytes
 * held by" their BufferSource arguments (the IV, the AAD, the data, the key) before they return
 * their promise (W3C WebCrypto, §14.3.2 and §14.3.9, step 2), so views into the wasm memory are
 * handed to a call made at once: the next core call may overwrite those bytes, the decrypt has
 * its own. This matters for the forgery it rules out: a tag checked over bytes other than this
 * token's (another decrypt's, written there across an await) would accept content this token
 * never carried. So a decrypt that must await first (a CEK unwrapped per token, imported per
 * token; a `dir` key not imported yet) copies the bytes before the await, and the `dir` keys,
 * imported once, are kept resolved so that their decrypt starts at once.
 * tests/js/core/jwe-ticket.test.mjs overwrites the memory right after each call returns.
 */
import { call, engine, jwe, put } from './wasm.js'
import { partsKept } from './internal/parts-kept.js'
import {
  JWE_TICKET_GONE,
  OP_JWE_DECRYPT_END,
  OP_JWE_DECRYPT_FINISH,
  OP_JWE_DECRYPT_PARK,
} from './internal/protocol-jwe.js'

/** By JWE_ENCS index: WebCrypto's name, and the MAC half of a CBC-HMAC key (not AES's). */
const NAMES = ['AES-GCM', 'AES-GCM', 'AES-CBC', 'AES-CBC']
const MAC_HALF = [0, 0, 16, 32]
const NONE = new Uint8Array(0)

/**
 * The algorithm of a content decryption, by JWE_ENCS index.
 * @param {number} enc @param {Uint8Array} iv @param {Uint8Array} additionalData
 */
const params = (enc, iv, additionalData) =>
  enc < 2 ? { name: 'AES-GCM', iv, additionalData } : { name: 'AES-CBC', iv }

/**
 * The content decryption over `subtle` for a Decrypter whose `dir` secrets (copies, by key
 * index; others unused) are `secrets`: as jwe-webcrypto.js's `webCryptoContent`.
 * @param {SubtleCrypto} subtle
 * @param {Uint8Array[]} secrets
 */
export function ticketContent(subtle, secrets) {
  /** @type {(CryptoKey | undefined)[]} the dir keys once imported, by index */
  const dirKeys = []
  /** @type {Promise<CryptoKey>[]} their imports, once each */
  const imports = []
  /** Each decrypt's own number (the park's `u`): a ticket of an instance that trapped never takes another's. */
  let count = 0
  /** @param {Uint8Array} raw @param {number} enc */
  const importKey = (raw, enc) =>
    subtle.importKey('raw', /** @type {BufferSource} */ (raw), NAMES[enc], false, ['decrypt'])
  /**
   * The CryptoKey of dir key `i` (imported once; kept resolved in `dirKeys` once it is).
   * @param {number} i @param {number} enc
   */
  const dirKey = (i, enc) => {
    let p = imports[i]
    if (!p) {
      p = importKey(secrets[i].subarray(MAC_HALF[enc]), enc).then((k) => {
        dirKeys[i] = k
        return k
      })
      imports[i] = p
    }
    return p
  }
  /**
   * The views of the last layout: its memory, address and part lengths, the words' DataView and
   * the IV, data and AAD views. The core writes each layout into the same output buffer, so the
   * tokens of one issuer (the same header, the same lengths) meet the same views again: reused,
   * they are views of the bytes this park has just written (creating four views was about a
   * tenth of the first half on workerd). Keyed on where the bytes lie, never on what they are.
   * @type {{ buffer: ArrayBuffer, at: number, words: DataView, k: number, n: number, c: number, m: number, iv: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>, aad: Uint8Array<ArrayBuffer>, alg: { enc: number, params: ReturnType<typeof params> } | undefined } | undefined}
   */
  let views
  /**
   * @param {import('./wasm.js').Core} core
   * @param {string} token
   * @param {number} now
   * @param {(core: import('./wasm.js').Core, status: number) => void} checked
   * @template T
   * @param {(core: import('./wasm.js').Core) => T} read jwe.js's reader of the result, whose
   *   shape (`{ protectedHeader, header, payload }`) is built here with the headers kept
   *   (internal/parts-kept.js)
   * @param {() => void} alive
   * @returns {Promise<T>}
   */
  return async (core, token, now, checked, read, alive) => {
    const u = ++count
    checked(core, call(core, OP_JWE_DECRYPT_PARK, 0, 0, put(core, [token])[0], 0, u))
    const at = core.num(0)
    const buffer = engine(jwe).memory.buffer
    let v = views
    const words = v && v.buffer === buffer && v.at === at ? v.words : new DataView(buffer, at, 32)
    const word = (/** @type {number} */ i) => words.getUint32(4 * i, true)
    const enc = word(0)
    const dir = word(1)
    const ticket = word(7) // read now: the memory is another decrypt's after the await
    // The parts back to back after the eight words: key, IV, ciphertext and tag, AAD.
    const [k, n, c, m] = [word(2), word(3), word(4) + word(5), word(6)]
    if (!v || v.words !== words || v.k !== k || v.n !== n || v.c !== c || v.m !== m) {
      const iv = new Uint8Array(buffer, at + 32 + k, n)
      const data = new Uint8Array(buffer, iv.byteOffset + n, c)
      const aad = new Uint8Array(buffer, data.byteOffset + c, m)
      v = { buffer, at, words, k, n, c, m, iv, data, aad, alg: undefined }
      views = v
    }
    const { iv, data, aad } = v
    /** @type {Uint8Array | undefined} */
    let plaintext
    try {
      const ready = dirKeys[dir]
      /** @type {Promise<ArrayBuffer>} */
      let decrypted
      // Views into the memory: WebCrypto copies them before it returns (see above).
      // The algorithm of these views, for this enc, made once too (WebCrypto reads it at the call).
      if (ready) {
        let alg = v.alg
        if (!alg || alg.enc !== enc) {
          alg = { enc, params: params(enc, iv, aad) }
          v.alg = alg
        }
        decrypted = subtle.decrypt(alg.params, ready, data)
      } else {
        // A key to import first: the bytes are copied now, the memory is reused across its await.
        const copies = [iv.slice(), aad.slice(), data.slice()]
        const imported =
          dir === 0xffffffff ? importKey(new Uint8Array(buffer, at + 32, word(2)), enc) : dirKey(dir, enc)
        decrypted = imported.then((k) => subtle.decrypt(params(enc, copies[0], copies[1]), k, copies[2]))
      }
      plaintext = new Uint8Array(await decrypted)
    } catch {} // tag, padding, anything: judged by the core below, as one failure
    alive()
    const ok = plaintext ? 1 : 0
    const status = call(core, OP_JWE_DECRYPT_FINISH, ok, ticket, put(core, [plaintext ?? NONE])[0], now, u)
    if (status === JWE_TICKET_GONE) {
      const [n, m] = put(core, [token, plaintext ?? NONE])
      checked(core, call(core, OP_JWE_DECRYPT_END, ok, n, m, now, 0))
    } else checked(core, status)
    // Now (another decrypt's call may come right after this one's last), its headers kept.
    const [protectedHeader, header, payload] = partsKept(core)
    return /** @type {T} */ ({ protectedHeader, header, payload })
  }
}
