// @ts-check
/**
 * The edge's cookies, read and written here only.
 *
 * - Writing: one way, `HttpOnly; Secure; SameSite=Strict`, a path, and a `Max-Age` (never
 *   `Expires`, so no clock of the browser is involved), never a `Domain`. Values are base64url,
 *   so nothing is ever quoted or escaped. Our cookies are `__Host-` by default (Secure, no
 *   Domain, Path=/: only this host can set them, no sibling subdomain); a `__Host-` name is
 *   only ever written with `Path=/`.
 * - Reading: a cookie is absent, has one value, or arrives more than once. Two values of one of
 *   our cookies are what a sibling subdomain or a longer `Path` plants ("cookie tossing"), so
 *   `readCookie` answers `TWO_VALUES` and every caller refuses the request: a choice between the
 *   values is never made.
 * - Option names: `cookieNameOption` is the rule for an option that names one of our cookies
 *   (never the device or known-device cookie's name).
 */
import { isToken } from '../internal/encoding.js'
import { bad } from '../internal/options.js'
import { DEVICE_COOKIE } from './device.js'
import { KNOWN_DEVICE_COOKIE } from './known-device.js'

/** What authRoutes ever puts in a cookie: base64url and the family separator. */
const VALUE = /^[A-Za-z0-9_.-]*$/
/** A cookie path: starts with '/', no control characters, no ';'. */
const PATH = /^\/[\x21-\x3a\x3c-\x7e]*$/

/** `readCookie`'s answer when the cookie arrives more than once. */
export const TWO_VALUES = Symbol('two values of one cookie')

/**
 * Whether `name` can be a cookie name (RFC 6265 §4.1.1 cookie-name is an RFC 9110 token).
 * @param {unknown} name
 * @returns {name is string}
 */
export const isCookieName = (name) => isToken(name)

/**
 * Whether `path` can be a cookie `Path` attribute.
 * @param {unknown} path
 * @returns {path is string}
 */
export function isCookiePath(path) {
  return typeof path === 'string' && PATH.test(path)
}

/**
 * Whether a cookie name carries the `__Host-` prefix (compared without regard to case, as
 * browsers do, RFC 6265bis §4.1.3.2).
 * @param {string} name
 */
export const isHostPrefixed = (name) => name.slice(0, 7).toLowerCase() === '__host-'

/**
 * Whether a request path lies under a cookie path (RFC 6265 §5.1.4 path-match), so the browser
 * sends the cookie with it.
 * @param {string} requestPath
 * @param {string} cookiePath
 */
export function pathMatches(requestPath, cookiePath) {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/'
}

/**
 * An option naming one of our cookies: a cookie name, and not the device or known-device
 * cookie's.
 * @param {unknown} v
 * @param {string} what e.g. `options.cookieName`
 * @returns {string}
 */
export function cookieNameOption(v, what) {
  if (!isCookieName(v)) throw bad(`${what} must be a cookie name (an RFC 9110 token)`)
  for (const taken of [DEVICE_COOKIE, KNOWN_DEVICE_COOKIE]) {
    if (v === taken) throw bad(`${what} must not be the device cookie "${taken}"`)
  }
  return v
}

/**
 * The value of cookie `name` in the request's `Cookie` header: `undefined` when absent, the value
 * (trimmed, possibly '') when it appears once, `TWO_VALUES` when it appears more than once (even
 * with equal or empty values).
 * @param {Request} request
 * @param {string} name
 * @returns {string | undefined | typeof TWO_VALUES}
 */
export function readCookie(request, name) {
  const header = request.headers.get('cookie')
  if (!header) return undefined
  /** @type {string | undefined} */
  let found
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue
    if (found !== undefined) return TWO_VALUES
    found = part.slice(eq + 1).trim()
  }
  return found
}

/**
 * A `Set-Cookie` value: `name=value; HttpOnly; Secure; SameSite=Strict; Path=path; Max-Age=n`
 * (a `__Host-` name only with `Path=/`).
 * @param {string} name a cookie-name token
 * @param {string} value base64url (and '.'), or '' to clear
 * @param {{ path: string, maxAge: number }} attributes `maxAge` in whole seconds, 0 clears
 * @returns {string}
 */
export function serializeCookie(name, value, { path, maxAge }) {
  if (!isCookieName(name)) throw new TypeError('invalid cookie name')
  if (!VALUE.test(value)) throw new TypeError('invalid cookie value')
  if (!isCookiePath(path)) throw new TypeError('invalid cookie path')
  if (isHostPrefixed(name) && path !== '/') throw new TypeError('a __Host- cookie needs Path=/')
  const age = Math.max(0, Math.floor(maxAge))
  return `${name}=${value}; HttpOnly; Secure; SameSite=Strict; Path=${path}; Max-Age=${age}`
}

/**
 * The `Set-Cookie` value that deletes a cookie set by `serializeCookie` with the same name and
 * path: an empty value and `Max-Age=0`.
 * @param {string} name
 * @param {string} path
 * @returns {string}
 */
export function clearCookie(name, path) {
  return serializeCookie(name, '', { path, maxAge: 0 })
}
