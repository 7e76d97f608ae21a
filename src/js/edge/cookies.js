// @ts-check
/**
 * The cookies of `authRoutes`, written one way only: `HttpOnly; Secure; SameSite=Strict`, a
 * path, and a `Max-Age` (never `Expires`, so no clock of the browser is involved). Values are
 * base64url, so nothing is ever quoted or escaped. Reading is `readCookie` in `./device.js`.
 */

/** RFC 6265 §4.1.1 cookie-name (an RFC 9110 token). */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** What authRoutes ever puts in a cookie: base64url and the family separator. */
const VALUE = /^[A-Za-z0-9_.-]*$/
/** A cookie path: starts with '/', no control characters, no ';'. */
const PATH = /^\/[\x21-\x3a\x3c-\x7e]*$/

/**
 * Whether `name` can be a cookie name.
 * @param {unknown} name
 * @returns {name is string}
 */
export function isCookieName(name) {
  return typeof name === 'string' && NAME.test(name)
}

/**
 * Whether `path` can be a cookie `Path` attribute.
 * @param {unknown} path
 * @returns {path is string}
 */
export function isCookiePath(path) {
  return typeof path === 'string' && PATH.test(path)
}

/**
 * A `Set-Cookie` value: `name=value; HttpOnly; Secure; SameSite=Strict; Path=path; Max-Age=n`.
 * @param {string} name a cookie-name token
 * @param {string} value base64url (and '.'), or '' to clear
 * @param {{ path: string, maxAge: number }} attributes `maxAge` in whole seconds, 0 clears
 * @returns {string}
 */
export function serializeCookie(name, value, { path, maxAge }) {
  if (!isCookieName(name)) throw new TypeError('invalid cookie name')
  if (!VALUE.test(value)) throw new TypeError('invalid cookie value')
  if (!isCookiePath(path)) throw new TypeError('invalid cookie path')
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
