// @ts-check
/**
 * Device binding (`bind: 'device'`): a random device id lives in its own HttpOnly cookie; the
 * access token carries only `dvh`, an HMAC-SHA256 of that id under a server secret, never the id
 * itself and no personal data (such as an IP address). The guard recomputes the HMAC from the
 * cookie and compares, so a token replayed from another device is refused. This module holds the
 * names, the id format, the hash and the one rule for the `bind` / `deviceSecret` options that
 * `authRoutes` and `guard` share.
 */
import { bad } from '../internal/options.js'
import { hmacSha256 } from '../internal/hmac.js'

/** The cookie that holds the device id: `__Host-` (Secure, no Domain, Path=/), so no sibling host plants one. */
export const DEVICE_COOKIE = '__Host-jwt_device'
/** The access-token claim that holds the device hash. */
export const DEVICE_CLAIM = 'dvh'
/** A device id as `authRoutes` draws it: 32 random bytes, base64url. */
export const DEVICE_ID_BYTES = 32
export const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/

/**
 * The `dvh` value for a device id: base64url(HMAC-SHA256(secret, id)).
 * @param {Uint8Array<ArrayBuffer>} secret at least 32 bytes, as `secretBytes` returns it
 * @param {string} deviceId
 * @returns {Promise<string>}
 */
export const deviceHash = (secret, deviceId) => hmacSha256(secret, deviceId)

/**
 * Whether the options ask for device binding: `bind` is `'device'` or absent, and `deviceSecret`
 * is given exactly when it is `'device'`. The secret itself is read by the caller (once per
 * isolate, its own way).
 * @param {Record<string, any>} o the options
 * @returns {boolean}
 */
export function bindsDevice(o) {
  if (o.bind !== undefined && o.bind !== 'device') throw bad('options.bind must be "device" or absent')
  const binds = o.bind === 'device'
  if (binds && o.deviceSecret === undefined) {
    throw bad(
      'options.deviceSecret is required with bind: "device": a Uint8Array or string of at least 32 bytes, or (env) => one',
    )
  }
  if (!binds && o.deviceSecret !== undefined) throw bad('options.deviceSecret is only used with bind: "device"')
  return binds
}
