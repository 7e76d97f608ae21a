// @ts-check
/**
 * HMAC-SHA256 through WebCrypto with one cache of imported keys: a secret (a Uint8Array the
 * caller keeps) is imported once as a non-extractable `CryptoKey` and reused for every later
 * MAC, and the constant-time comparison of two MACs. Used by the edge for refresh-token tags and
 * successors, device hashes and the known-device cookie. Internal.
 */
import { base64url, utf8 } from './encoding.js'

/** @type {WeakMap<Uint8Array, Promise<CryptoKey>>} */
const keys = new WeakMap()

/**
 * The imported HMAC-SHA256 signing key for `secret`, cached per secret object. A failed import
 * is not cached.
 * @param {Uint8Array<ArrayBuffer>} secret
 * @returns {Promise<CryptoKey>}
 */
function hmacKey(secret) {
  let key = keys.get(secret)
  if (!key) {
    key = globalThis.crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    keys.set(secret, key)
    key.catch(() => keys.delete(secret))
  }
  return key
}

/**
 * base64url(HMAC-SHA256(secret, message)).
 * @param {Uint8Array<ArrayBuffer>} secret
 * @param {string} message
 * @returns {Promise<string>}
 */
export async function hmacSha256(secret, message) {
  return base64url(
    new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', await hmacKey(secret), utf8.encode(message))),
  )
}

/**
 * base64url(SHA-256(text)).
 * @param {string} text
 * @returns {Promise<string>}
 */
export async function sha256(text) {
  return base64url(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', utf8.encode(text))))
}

/**
 * Whether two strings (MACs, in base64url) are equal, in time that depends on their lengths
 * only, never on where they differ.
 * @param {string} a
 * @param {string} b
 * @returns {boolean}
 */
export function sameString(a, b) {
  let d = a.length ^ b.length
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return d === 0
}
