// @ts-check
/**
 * The known-device cookie of the login throttle (OWASP, "Slow Down Online Guessing Attacks with
 * Device Cookies"): a successful login sets `__Host-jwt_known=<nonce>.<tag>`, a 128-bit random
 * nonce (22 base64url characters) and its tag, the whole base64url HMAC-SHA256 (43 characters)
 * under `refreshSecret` of the nonce and the normalised login, domain-separated:
 *
 *     tag = base64url(HMAC-SHA256(refreshSecret, "known-device\0" + nonce + "\0" + login))
 *
 * (the nonce has a fixed length, so the message is unambiguous). A login attempt that carries a
 * cookie whose tag is right for the login it names comes from a browser that logged in as that
 * user before; a forged, altered or other login's cookie is no known device. This module holds
 * the name, the format and the check; the throttle (`./login-throttle.js`) decides what a known
 * device may do. Nothing here reads a request or a clock.
 */
import { hmacSha256, sameString } from '../internal/hmac.js'

/** The cookie's name: `__Host-` (Secure, no Domain, Path=/), so no sibling host can plant one. */
export const KNOWN_DEVICE_COOKIE = '__Host-jwt_known'
/** Its `Max-Age`: 400 days, the longest browsers keep a cookie (RFC 6265bis §5.6.2). */
export const KNOWN_DEVICE_MAX_AGE = 400 * 86400
/** The nonce: 16 random bytes. */
export const KNOWN_DEVICE_NONCE_BYTES = 16
const KNOWN_DEVICE = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/

/**
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {string} nonce
 * @param {string} login normalised
 */
const tagOf = (refreshSecret, nonce, login) => hmacSha256(refreshSecret, `known-device\0${nonce}\0${login}`)

/**
 * A new known-device cookie value for `login` (normalised).
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {(bytes: number) => string} randomId `n` random bytes as base64url
 * @param {string} login
 * @returns {Promise<string>}
 */
export async function knownDeviceValue(refreshSecret, randomId, login) {
  const nonce = randomId(KNOWN_DEVICE_NONCE_BYTES)
  return `${nonce}.${await tagOf(refreshSecret, nonce, login)}`
}

/**
 * Whether the cookie value is a known-device cookie issued for `login` (normalised); the tag is
 * compared in constant time.
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {string} value
 * @param {string} login
 * @returns {Promise<boolean>}
 */
export async function knowsLogin(refreshSecret, value, login) {
  const m = KNOWN_DEVICE.exec(value)
  if (!m) return false
  return sameString(await tagOf(refreshSecret, m[1], login), m[2])
}
