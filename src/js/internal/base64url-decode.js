// @ts-check
/**
 * base64url to bytes, for text the core has already checked strict (a token's signature after
 * `pk_verify_begin`), so nothing is checked here and trailing bits are dropped. A file of its own
 * beside encoding.js, so that no entry but jwt-wasm/keys carries it (or changes by a byte).
 * A table and a loop: `atob` with a character map took 29 µs for an RSA signature, this about 1.
 * Internal: not part of the package's exports.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Each character code's value. */
const VALUES = new Uint8Array(128)
for (let i = 0; i < 64; i++) VALUES[ALPHABET.charCodeAt(i)] = i

/**
 * @param {string} s base64url, already checked strict
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function fromBase64url(s) {
  const out = new Uint8Array((s.length * 3) >> 2)
  let bits = 0
  let acc = 0
  let j = 0
  for (let i = 0; i < s.length; i++) {
    acc = ((acc << 6) | VALUES[s.charCodeAt(i) & 127]) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[j++] = (acc >> bits) & 255
    }
  }
  return out
}
