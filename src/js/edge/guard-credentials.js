// @ts-check
/**
 * Where the guard finds the access token of a request: the `Authorization: Bearer` header
 * (RFC 6750 §2.1) and, when configured, a cookie. Answers the token, or the refusal code of
 * `./guard-answers.js`: no credentials (another scheme such as `Basic` counts as none, RFC 6750
 * §3.1), a malformed header or cookie, or two tokens (header and cookie, or the cookie twice).
 * It says whether the token came from the cookie (the decision then refuses cross-site unsafe
 * requests). Nothing here verifies anything.
 */
import { isToken } from '../internal/encoding.js'
import { TWO_VALUES, readCookie } from './cookies.js'
import { MISSING, MALFORMED_HEADER, MALFORMED_COOKIE, TWO_TOKENS } from './guard-answers.js'

/** RFC 7235 `token68`, the only credentials form RFC 6750 §2.1 allows. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/
/** `Bearer` credentials after the scheme: one or more spaces, then a token68, nothing else. */
const BEARER_REST = /^ +([A-Za-z0-9\-._~+/]+=*)$/

/**
 * The token and whether it came from the cookie (which a cross-site request can carry), or the refusal.
 * @typedef {{ token: string, fromCookie: boolean, refused?: undefined } | { token?: undefined, refused: string }} Credentials
 */

/**
 * The request's access token, or why there is none to verify.
 * @param {Request} request
 * @param {string | undefined} cookieName the cookie that may carry the token, if any
 * @returns {Credentials}
 */
export function bearerCredentials(request, cookieName) {
  /** @type {string | undefined} */
  let token
  let fromCookie = false
  const authorization = request.headers.get('authorization')
  if (authorization !== null) {
    const space = authorization.indexOf(' ')
    const scheme = space < 0 ? authorization : authorization.slice(0, space)
    if (!isToken(scheme)) return { refused: MALFORMED_HEADER }
    if (scheme.toLowerCase() === 'bearer') {
      const m = BEARER_REST.exec(authorization.slice(scheme.length))
      if (!m) return { refused: MALFORMED_HEADER }
      token = m[1]
    }
    // Another scheme (Basic, DPoP, ...) is not ours: no Bearer credentials (RFC 6750 §3.1).
  }
  if (cookieName !== undefined) {
    const value = readCookie(request, cookieName)
    if (value === TWO_VALUES) return { refused: TWO_TOKENS }
    if (value) {
      if (!TOKEN68.test(value)) return { refused: MALFORMED_COOKIE }
      if (token !== undefined) return { refused: TWO_TOKENS }
      token = value
      fromCookie = true
    }
  }
  return token === undefined ? { refused: MISSING } : { token, fromCookie }
}
