// @ts-check
/**
 * Device binding (`bind: 'device'`): a random device id lives in its own HttpOnly cookie; the
 * access token carries only `dvh`, an HMAC-SHA256 of that id under a server secret, never the id
 * itself and no personal data (such as an IP address). The guard recomputes the HMAC from the
 * cookie and compares, so a token replayed from another device is refused.
 */

/** The cookie that holds the device id. */
export const DEVICE_COOKIE = 'jwt_device'
/** The access-token claim that holds the device hash. */
export const DEVICE_CLAIM = 'dvh'

const encoder = new TextEncoder()

/** @param {Uint8Array} bytes */
export function base64url(bytes) {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * A fresh random device id (256 bits, base64url). Call it in a request handler, never at module
 * scope (workerd forbids randomness there).
 * @returns {string}
 */
export function newDeviceId() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)))
}

/** @type {WeakMap<object, Promise<CryptoKey>>} */
const keys = new WeakMap()

/**
 * The `dvh` value for a device id: base64url(HMAC-SHA256(secret, id)).
 * @param {Uint8Array | string} secret at least 32 bytes
 * @param {string} deviceId
 * @returns {Promise<string>}
 */
export async function deviceHash(secret, deviceId) {
  const raw = typeof secret === 'string' ? encoder.encode(secret) : Uint8Array.from(secret)
  const holder = typeof secret === 'string' ? undefined : secret
  let key = holder && keys.get(holder)
  if (!key) {
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    if (holder) keys.set(holder, key)
  }
  const mac = await crypto.subtle.sign('HMAC', await key, encoder.encode(deviceId))
  return base64url(new Uint8Array(mac))
}

/**
 * Reads one cookie from a request's `Cookie` header (first match), or undefined.
 * @param {Request} request
 * @param {string} name
 * @returns {string | undefined}
 */
export function readCookie(request, name) {
  const header = request.headers.get('cookie')
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
