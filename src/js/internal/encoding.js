// @ts-check
/**
 * Text and byte encodings shared by every side: base64url without padding, UTF-8, and the
 * RFC 9110 `token` grammar (header names, auth-schemes, auth-param and cookie names).
 * Internal: not part of the package's exports.
 */

/** UTF-8 encoder, one per module graph. */
export const utf8 = new TextEncoder()

/** RFC 9110 §5.6.2 `token` (1*tchar), anchored: header names, auth-schemes, cookie names. */
export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** The same `token` grammar, sticky, for scanning inside a header value. */
export const TOKEN_AT = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y

/**
 * Whether `s` is an RFC 9110 token.
 * @param {unknown} s
 * @returns {s is string}
 */
export const isToken = (s) => typeof s === 'string' && TOKEN.test(s)

/**
 * base64url (RFC 4648 §5) without padding.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function base64url(bytes) {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * `n` random bytes as base64url. `crypto` is read from `globalThis` when called, so a runtime
 * without it throws a TypeError here, and importing never needs it.
 * @param {number} n
 */
export const randomBase64url = (n) => base64url(globalThis.crypto.getRandomValues(new Uint8Array(n)))
