// @ts-check
/**
 * `session.fetch`: `fetch` with `Authorization: Bearer <token>` for the API origins only. On a
 * 401 whose `WWW-Authenticate` is a Bearer challenge with `error="invalid_token"`, one renewal
 * (shared with every other caller) and one retry with a clone of the request taken before it was
 * sent, so the body is replayed. Any other answer, other 401s and 403 included, is returned
 * untouched.
 */
import { isInvalidTokenChallenge } from './http.js'

/**
 * @typedef {{
 *   fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
 *   apiOrigins: string[] | null,
 *   getToken: () => Promise<string | null>,
 *   renew: (refused: string) => string | Promise<string>,
 * }} FetchSession
 */

/**
 * Whether a request to `url` may carry the token (`apiOrigins` null: any origin).
 * @param {string[] | null} origins
 * @param {string} url
 */
const mayCarryToken = (origins, url) => origins === null || origins.includes(new URL(url).origin)

/**
 * @param {FetchSession} s `renew(refused)` gives a token other than the refused one: one that
 *   arrived meanwhile, or the result of a refresh
 * @param {RequestInfo | URL} input
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
export async function authorizedFetch(s, input, init) {
  const request = new Request(input, init)
  if (!mayCarryToken(s.apiOrigins, request.url)) return s.fetch(request)
  const spare = request.clone()
  const token = await s.getToken()
  if (token === null) return s.fetch(request)
  request.headers.set('authorization', `Bearer ${token}`)
  const response = await s.fetch(request)
  if (response.status !== 401 || !isInvalidTokenChallenge(response.headers.get('www-authenticate'))) return response
  /** @type {string | null} */
  let fresh
  try {
    fresh = await s.renew(token)
  } catch {
    return response
  }
  if (fresh === null || fresh === token) return response
  await response.body?.cancel().catch(() => {})
  spare.headers.set('authorization', `Bearer ${fresh}`)
  return s.fetch(spare)
}
