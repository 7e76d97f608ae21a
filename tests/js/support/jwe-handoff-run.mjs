// The memory hand-off of decryptAsync's WebCrypto path (src/js/jwe-webcrypto-ticket.js): the
// bytes WebCrypto is handed (views into the wasm memory where they can be) are overwritten right
// after each `decrypt` and `importKey` returns, as the next core call may overwrite them; every
// decrypt must still give what `decrypt` (wasm) gives, since WebCrypto takes its own copy before
// it returns (W3C WebCrypto). A tag checked over other bytes than the token's would be a forgery
// accepted, or here a valid token refused. Runtime-neutral: Node (tests/js/core/jwe-ticket.test.mjs)
// and workerd (tests/js/workerd/jwe-ticket.test.mjs). The hook is the package's own
// `jweCipher.webcrypto` (internal/jwe-cipher.js), wrapped for the run and put back after.
import { HS, hexBytes } from './jwe-paths-run.mjs'

const ENCS = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']

/**
 * Each case decrypted twice on one Decrypter (the first imports a dir key, the second finds it
 * imported), by WebCrypto with the overwriting hook, and once by `decrypt`: each outcome, and
 * how many of the buffers handed over were views into the wasm memory (`memory()`) or copies.
 * @param {{ Decrypter: any }} jwe the imported `jwt-wasm/jwe`
 * @param {{ webcrypto: any }} jweCipher its internal/jwe-cipher.js
 * @param {() => ArrayBufferLike} memory the jwe engine's memory buffer now
 * @param {any[]} cases of tests/js/support/jwe-paths-cases.mjs
 */
export async function runOverwritten(jwe, jweCipher, memory, cases) {
  const real = jweCipher.webcrypto
  const seen = { views: 0, copies: 0 }
  /** @param {Uint8Array | undefined} b */
  const scrub = (b) => {
    if (!b) return
    seen[b.buffer === memory() ? 'views' : 'copies']++
    new Uint8Array(b.buffer, b.byteOffset, b.byteLength).fill(0xa5)
  }
  /** @param {SubtleCrypto} subtle @param {Uint8Array[]} secrets */
  jweCipher.webcrypto = (subtle, secrets) =>
    real(
      {
        importKey: (/** @type {any[]} */ ...a) => {
          const p = subtle.importKey(a[0], a[1], a[2], a[3], a[4])
          // An unwrapped CEK is in the memory; a dir secret is the Decrypter's own copy (kept).
          if (a[1].buffer === memory()) scrub(a[1])
          return p
        },
        decrypt: (/** @type {any} */ alg, /** @type {CryptoKey} */ key, /** @type {Uint8Array} */ data) => {
          const p = subtle.decrypt(alg, key, data)
          scrub(alg.iv)
          scrub(alg.additionalData)
          scrub(data)
          return p
        },
      },
      secrets,
    )
  const out = []
  try {
    for (const c of cases) {
      const { hex, ...key } = c.key
      /** @type {any} */
      let d
      try {
        d = new jwe.Decrypter({
          keys: [{ ...key, secret: hexBytes(hex) }],
          algorithms: [key.alg],
          encryptions: ENCS,
          verifier: { keys: [HS], algorithms: ['HS256'] },
          cipher: 'webcrypto',
        })
      } catch {
        continue // a case refused at construction: not this file's
      }
      const at = { currentDate: new Date(c.now * 1000) }
      /** @param {() => any} f */
      const said = async (f) => {
        try {
          const { protectedHeader, payload } = await f()
          return { ok: true, protectedHeader, payload }
        } catch (e) {
          return { code: /** @type {any} */ (e)?.code ?? String(e) }
        }
      }
      const first = await said(() => d.decryptAsync(c.token, at))
      const again = await said(() => d.decryptAsync(c.token, at))
      const sync = await said(() => d.decrypt(c.token, at))
      out.push({ name: c.name, first, again, sync })
      d.free()
    }
  } finally {
    jweCipher.webcrypto = real
  }
  return { outcomes: out, ...seen }
}
