// @ts-check
/**
 * HTTP for the edge: how every answer is built (JSON and the safe headers: `cache-control:
 * no-store`, `x-content-type-options: nosniff`), `secureHeaders` which gives those headers to an
 * application's own answer, the answers `authRoutes` shares between its routes, bounded reading
 * of a request body and of a login body, and the same-origin (CSRF) check. Nothing here knows
 * about tokens or stores.
 */
import { bad } from '../internal/options.js'

/** Size caps of the login request. */
const MAX_BODY_BYTES = 8 * 1024
const MAX_LOGIN_CHARS = 256
const MAX_PASSWORD_CHARS = 1024

/**
 * The headers every edge answer carries: never stored by a cache (an answer may hold a token or
 * personal data), never sniffed into another content type.
 */
const SAFE_HEADERS = Object.freeze({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' })

/**
 * Gives a response the safe headers it has not set itself (its own `Cache-Control` wins), for a
 * guarded handler's answer. The response is changed in place, or copied when its headers are
 * immutable (a `fetch()` result); the one to use is returned.
 * @param {Response} response
 * @returns {Response}
 */
export function secureHeaders(response) {
  if (!(response instanceof Response)) throw bad('secureHeaders(response): response must be a Response')
  const missing = Object.entries(SAFE_HEADERS).filter(([name]) => !response.headers.has(name))
  if (missing.length === 0) return response
  try {
    for (const [name, value] of missing) response.headers.set(name, value)
    return response
  } catch {
    const headers = new Headers(response.headers)
    for (const [name, value] of missing) headers.set(name, value)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}

/**
 * An answer: `body` as JSON (none for `null`), with the safe headers, these headers and cookies.
 * @param {number} status
 * @param {object | null} body
 * @param {Record<string, string>} [headers]
 * @param {string[]} [cookies] `Set-Cookie` values
 * @returns {Response}
 */
export function answer(status, body, headers = {}, cookies = []) {
  const h = new Headers({ ...SAFE_HEADERS, ...headers })
  if (body !== null) h.set('content-type', 'application/json')
  for (const c of cookies) h.append('set-cookie', c)
  return new Response(body === null ? null : JSON.stringify(body), { status, headers: h })
}

/**
 * 400 (or `status`) `invalid_request` with a static description.
 * @param {string} description
 * @param {number} [status]
 */
export const invalidRequest = (description, status = 400) =>
  answer(status, { error: 'invalid_request', error_description: description })

/** 503 `temporarily_unavailable`: the store or `verifyUser` failed; nothing was changed. */
export const unavailable = () => answer(503, { error: 'temporarily_unavailable' })

/** 500 `server_error`: something unexpected failed (reported to `onError`, never in the answer). */
export const serverError = () => answer(500, { error: 'server_error' })

/** 405 for a route that only takes POST. */
export const onlyPost = () =>
  answer(405, { error: 'invalid_request', error_description: 'Use POST' }, { allow: 'POST' })

/**
 * Whether `hostname` (a parsed URL's, so lower case and normalised) names this machine:
 * `localhost`, an IPv4 address in 127.0.0.0/8, or `[::1]`. A DNS-rebinding page reaches a local
 * server under its own name, never under one of these, so only here may the request's own origin
 * stand in for a configured one.
 * @param {string} hostname
 */
export const isLoopbackHost = (hostname) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

/**
 * The same-origin check of a cookie-authenticated POST: `Origin` must be one of `origins` (a
 * request without `Origin` is refused: browsers send it on every POST), and when `csrfHeader` is
 * given that header must be present and non-empty (a cross-site form cannot send it). With
 * `origins` undefined (none configured) the request's own origin is allowed only when its host is
 * a loopback name; elsewhere the Host header could be the attacker's (DNS rebinding), so the
 * request is refused and the answer says to configure the origins. Returns the 403 answer, or
 * undefined when the request passes.
 * @param {Request} request
 * @param {readonly string[] | undefined} origins
 * @param {string} [csrfHeader]
 * @returns {Response | undefined}
 */
export function refuseCrossSite(request, origins, csrfHeader) {
  let allowed = origins
  if (allowed === undefined) {
    const url = new URL(request.url)
    if (!isLoopbackHost(url.hostname))
      return invalidRequest(
        'The request origin is not allowed: set options.allowedOrigins (only a localhost server may go without)',
        403,
      )
    allowed = [url.origin]
  }
  const origin = request.headers.get('origin')
  if (origin === null || !allowed.includes(origin)) return invalidRequest('The request origin is not allowed', 403)
  if (csrfHeader !== undefined && !request.headers.get(csrfHeader))
    return invalidRequest(`The ${csrfHeader} header is required`, 403)
  return undefined
}

/** The methods a cross-site request may use with a cookie-borne token (RFC 9110 §9.2.1 safe methods). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Whether a request is a cross-site one to an unsafe method, which a cookie must not
 * authenticate (CSRF). GET, HEAD and OPTIONS never are. `Sec-Fetch-Site` decides when the browser
 * sent it: `same-origin` and `none` (the user's own navigation) pass, `same-site`, `cross-site`
 * and anything else pass only with an `Origin` in `origins`. Without it, a request whose `Origin`
 * is neither the request's own origin nor in `origins` (`null` included) is cross-site; one
 * without `Origin` either is not from a browser that could be made to send it. The request's own
 * origin comes from its Host header, and may on any host (unlike `refuseCrossSite` without
 * origins): what is guarded is a cookie, and a browser sends a cookie only to its own host, so a
 * DNS-rebinding page (which reaches this server under its own name) never carries the victim's.
 * @param {Request} request
 * @param {readonly string[]} origins the other origins allowed
 * @returns {boolean}
 */
export function isCrossSiteUnsafe(request, origins) {
  if (SAFE_METHODS.has(request.method)) return false
  const origin = request.headers.get('origin')
  const site = request.headers.get('sec-fetch-site')
  if (site === 'same-origin' || site === 'none') return false
  if (origin !== null && origins.includes(origin)) return false
  if (site !== null) return true
  return origin !== null && origin !== new URL(request.url).origin
}

/**
 * Reads at most `limit` bytes of a request body as UTF-8 text; undefined when it is longer or
 * not UTF-8.
 * @param {Request} request
 * @param {number} limit
 * @returns {Promise<string | undefined>}
 */
export async function readBody(request, limit) {
  const declared = request.headers.get('content-length')
  if (declared !== null && !(Number(declared) <= limit)) return undefined
  if (!request.body) return ''
  const reader = request.body.getReader()
  /** @type {Uint8Array[]} */
  const chunks = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  const all = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    all.set(c, at)
    at += c.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all)
  } catch {
    return undefined
  }
}

/**
 * The `{ login, password }` of a login request (JSON or form-encoded, at most 8 KiB, a login of
 * at most 256 and a password of at most 1024 characters), or undefined when the body is not one.
 * @param {Request} request
 * @returns {Promise<{ login: string, password: string } | undefined>}
 */
export async function readLoginBody(request) {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') return undefined
  const text = await readBody(request, MAX_BODY_BYTES)
  if (text === undefined) return undefined
  /** @type {unknown} */
  let login
  /** @type {unknown} */
  let password
  if (type === 'application/json') {
    /** @type {any} */
    let body
    try {
      body = JSON.parse(text)
    } catch {
      return undefined
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined
    ;({ login, password } = body)
  } else {
    const form = new URLSearchParams(text)
    if (form.getAll('login').length !== 1 || form.getAll('password').length !== 1) return undefined
    login = form.get('login')
    password = form.get('password')
  }
  if (typeof login !== 'string' || login === '' || login.length > MAX_LOGIN_CHARS) return undefined
  if (typeof password !== 'string' || password === '' || password.length > MAX_PASSWORD_CHARS) return undefined
  return { login, password }
}
