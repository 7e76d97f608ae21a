// @ts-check
/**
 * `authRoutes(options)`: login, refresh and logout for a Worker, with rotating refresh tokens in
 * an HttpOnly cookie and reuse detection (RFC 9700 §4.14, OAuth 2.1 §4.3.1).
 *
 * - `POST <basePath>/login` `{ login, password }` (JSON or form-encoded): the application's
 *   `verifyUser` decides; failures for one login are counted in the store and, past
 *   `loginThrottle.maxFailures` in the window, answered 429 without asking `verifyUser`.
 *   Success answers `{ access_token, token_type: 'Bearer', expires_in }` and sets the refresh
 *   token cookie (and, with `bind: 'device'`, the device cookie).
 * - `POST <basePath>/refresh`: rotates the refresh token (single use); a spent token revokes its
 *   family, except the immediate predecessor inside the grace window, which gets the same
 *   successor again.
 * - `POST <basePath>/logout`: revokes the family and clears the cookie(s).
 *
 * Refresh tokens are opaque: `<familyId>.<secret>` (128-bit family id, 256-bit secret, both
 * base64url). Stores keep only SHA-256 hashes of secrets. A successor is derived, not drawn:
 * `base64url(HMAC-SHA256(refreshSecret, familyId + '.' + predecessorSecret))`, so a retry of the
 * predecessor inside the grace window can be answered with the same successor without the store
 * ever holding a raw token.
 *
 * Cookies authenticate refresh and logout, so both accept only requests whose `Origin` is
 * allowed and that carry the `csrfHeader` (which a cross-site form cannot send); login checks the
 * `Origin` too (login CSRF). All randomness and WebCrypto happen inside the handler, never at
 * module scope (workerd forbids randomness there).
 */
import { Signer, InvalidOptionsError } from 'jwt-wasm'
import { DEVICE_COOKIE, DEVICE_CLAIM, base64url, deviceHash, readCookie } from './device.js'
import { serializeCookie, clearCookie, isCookieName } from './cookies.js'

/**
 * @typedef {import('./auth-routes.js').AuthRoutesOptions<any>} AuthRoutesOptions
 * @typedef {import('./stores.js').RefreshStore} RefreshStore
 * @typedef {import('./stores.js').FamilyRecord} FamilyRecord
 * @typedef {import('jwt-wasm').KeyEntry} KeyEntry
 * @typedef {'login' | 'refresh' | 'logout'} Route
 */

const OPTIONS = new Set([
  'signer',
  'issuer',
  'audience',
  'accessTtl',
  'verifyUser',
  'store',
  'refreshSecret',
  'graceSeconds',
  'familyLifetime',
  'idleTimeout',
  'cookieName',
  'basePath',
  'allowedOrigins',
  'csrfHeader',
  'loginThrottle',
  'bind',
  'deviceSecret',
  'clock',
  'random',
  'onError',
])

/** Claims that authRoutes sets itself; `verifyUser` may not supply them. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', DEVICE_CLAIM])

/** Size caps of the login request. */
const MAX_BODY_BYTES = 8 * 1024
const MAX_LOGIN_CHARS = 256
const MAX_PASSWORD_CHARS = 1024

/** 16 bytes of family id (22 base64url chars), 32 bytes of secret (43 chars). */
const FAMILY_BYTES = 16
const SECRET_BYTES = 32
const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/
const DEVICE_ID = /^[A-Za-z0-9_-]{43}$/
/** A header name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** One or more path segments, no trailing slash, safe inside a cookie `Path`. */
const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,=:@%-]+)+$/

const DEFAULTS = {
  accessTtl: 900,
  graceSeconds: 10,
  familyLifetime: 14 * 24 * 3600,
  idleTimeout: 24 * 3600,
  cookieName: 'jwt_rt',
  basePath: '/auth',
  csrfHeader: 'X-Requested-With',
  loginThrottle: { maxFailures: 5, windowSeconds: 900 },
}

const encoder = new TextEncoder()

/** @param {string} message */
const bad = (message) => new InvalidOptionsError(message)

/**
 * @param {unknown} v
 * @param {string} what
 * @param {number} fallback
 * @param {{ min?: number, integer?: boolean }} [rule]
 */
function seconds(v, what, fallback, { min = 1, integer = true } = {}) {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw bad(`options.${what} must be ${integer ? 'an integer' : 'a number'} of seconds, at least ${min}`)
  }
  return v
}

/**
 * A secret option: bytes or a UTF-8 string of at least 32 bytes.
 * @param {unknown} v
 * @param {string} what
 * @returns {Uint8Array<ArrayBuffer>}
 */
function secretBytes(v, what) {
  const bytes = typeof v === 'string' ? encoder.encode(v) : v instanceof Uint8Array ? v.slice() : undefined
  if (!bytes) throw bad(`${what} must be a Uint8Array or a string`)
  if (bytes.length < 32) throw bad(`${what} must be at least 32 bytes`)
  return bytes
}

/**
 * A value given directly or as `(env) => value`, resolved on first use and then kept for the
 * life of the isolate (a failure is not kept: the next request tries again).
 * @template T
 * @param {unknown} option
 * @param {(v: unknown) => T} check
 * @returns {(env: unknown) => T}
 */
function perIsolate(option, check) {
  if (typeof option !== 'function') {
    const value = check(option)
    return () => value
  }
  /** @type {{ value: T } | undefined} */
  let cached
  return (env) => {
    if (!cached) cached = { value: check(option(env)) }
    return cached.value
  }
}

/**
 * @param {number} status
 * @param {object | null} body
 * @param {Record<string, string>} [headers]
 * @param {string[]} [cookies]
 */
function answer(status, body, headers = {}, cookies = []) {
  const h = new Headers({ 'cache-control': 'no-store', ...headers })
  if (body !== null) h.set('content-type', 'application/json')
  for (const c of cookies) h.append('set-cookie', c)
  return new Response(body === null ? null : JSON.stringify(body), { status, headers: h })
}

/**
 * Reads at most `limit` bytes of a request body as UTF-8 text; undefined when it is longer or
 * not UTF-8.
 * @param {Request} request
 * @param {number} limit
 * @returns {Promise<string | undefined>}
 */
async function readBody(request, limit) {
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
 * The `{ login, password }` of a login request, or undefined when the body is not one.
 * @param {Request} request
 * @returns {Promise<{ login: string, password: string } | undefined>}
 */
async function credentials(request) {
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

/**
 * Serves `POST <basePath>/login`, `/refresh` and `/logout`. Returns the handler
 * `(request, env, ctx) => Promise<Response | null>`: `null` for any other path, so an
 * application can chain it before its own routes. Throws `TypeError` (code
 * `ERR_INVALID_OPTIONS`) for unknown or invalid options.
 * @param {AuthRoutesOptions} options
 * @returns {(request: Request, env?: any, ctx?: any) => Promise<Response | null>}
 */
export function authRoutes(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw bad('options must be an object')
  for (const k of Object.keys(options)) if (!OPTIONS.has(k)) throw bad(`options has an unknown option "${k}"`)
  const o = /** @type {Record<string, any>} */ (options)

  if (typeof o.verifyUser !== 'function') throw bad('options.verifyUser is required: async (login, password, env) => ({ sub, claims? }) | null')
  if (typeof o.store !== 'function') throw bad('options.store is required: (env) => RefreshStore')
  const accessTtl = seconds(o.accessTtl, 'accessTtl', DEFAULTS.accessTtl)
  const graceSeconds = seconds(o.graceSeconds, 'graceSeconds', DEFAULTS.graceSeconds, { min: 0, integer: false })
  const familyLifetime = seconds(o.familyLifetime, 'familyLifetime', DEFAULTS.familyLifetime)
  const idleTimeout = seconds(o.idleTimeout, 'idleTimeout', DEFAULTS.idleTimeout)
  const cookieName = o.cookieName ?? DEFAULTS.cookieName
  if (!isCookieName(cookieName)) throw bad('options.cookieName must be a cookie name (an RFC 9110 token)')
  if (cookieName === DEVICE_COOKIE) throw bad(`options.cookieName must not be "${DEVICE_COOKIE}" (the device cookie)`)
  const basePath = o.basePath ?? DEFAULTS.basePath
  if (typeof basePath !== 'string' || !BASE_PATH.test(basePath)) throw bad('options.basePath must be a path like "/auth" (no trailing slash)')
  const csrfHeader = o.csrfHeader ?? DEFAULTS.csrfHeader
  if (typeof csrfHeader !== 'string' || !TOKEN.test(csrfHeader)) throw bad('options.csrfHeader must be a header name')

  /** @type {string[] | undefined} */
  let allowedOrigins
  if (o.allowedOrigins !== undefined) {
    if (!Array.isArray(o.allowedOrigins) || o.allowedOrigins.length === 0) throw bad('options.allowedOrigins must be a non-empty array of origins')
    allowedOrigins = o.allowedOrigins.map((/** @type {unknown} */ s) => {
      let origin
      try {
        origin = typeof s === 'string' ? new URL(s).origin : undefined
      } catch {
        origin = undefined
      }
      if (!origin || origin === 'null' || origin !== s) throw bad('options.allowedOrigins must hold origins like "https://app.example" (scheme, host, port; no path)')
      return origin
    })
  }

  /** @type {{ maxFailures: number, windowSeconds: number } | false} */
  let throttle = DEFAULTS.loginThrottle
  if (o.loginThrottle === false) throttle = false
  else if (o.loginThrottle !== undefined) {
    const t = o.loginThrottle
    if (!t || typeof t !== 'object' || Object.keys(t).some((k) => k !== 'maxFailures' && k !== 'windowSeconds')) {
      throw bad('options.loginThrottle must be { maxFailures, windowSeconds } or false')
    }
    if (!Number.isInteger(t.maxFailures) || t.maxFailures < 1) throw bad('options.loginThrottle.maxFailures must be a positive integer')
    throttle = { maxFailures: t.maxFailures, windowSeconds: seconds(t.windowSeconds, 'loginThrottle.windowSeconds', DEFAULTS.loginThrottle.windowSeconds) }
  }

  if (o.bind !== undefined && o.bind !== 'device') throw bad("options.bind must be 'device' when given")
  const bind = o.bind === 'device'
  if (bind && o.deviceSecret === undefined) throw bad("options.deviceSecret is required with bind: 'device'")
  if (!bind && o.deviceSecret !== undefined) throw bad("options.deviceSecret is only used with bind: 'device'")
  const deviceSecret = bind ? perIsolate(o.deviceSecret, (v) => secretBytes(v, 'options.deviceSecret')) : undefined

  if (o.refreshSecret === undefined) throw bad('options.refreshSecret is required: at least 32 bytes, or (env) => secret')
  const refreshSecret = perIsolate(o.refreshSecret, (v) => secretBytes(v, 'options.refreshSecret'))
  if (o.issuer !== undefined && (typeof o.issuer !== 'string' || o.issuer === '')) throw bad('options.issuer must be a non-empty string')
  if (o.audience !== undefined) {
    const list = typeof o.audience === 'string' ? [o.audience] : o.audience
    if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === 'string' && a !== '')) {
      throw bad('options.audience must be a non-empty string or array of non-empty strings')
    }
  }
  /** @type {Record<string, unknown>} */
  const fixedClaims = {}
  if (o.issuer !== undefined) fixedClaims.iss = o.issuer
  if (o.audience !== undefined) fixedClaims.aud = o.audience

  /** @type {() => Date} */
  const clock = o.clock ?? (() => new Date())
  if (typeof clock !== 'function') throw bad('options.clock must be a function returning a Date')
  /** @type {(length: number) => Uint8Array} */
  const random = o.random ?? ((n) => crypto.getRandomValues(new Uint8Array(n)))
  if (typeof random !== 'function') throw bad('options.random must be a function (length) => Uint8Array')
  /** @type {(error: unknown, context: { route: Route, request: Request }) => void} */
  const onError = o.onError ?? ((error, { route }) => console.error(`jwt-wasm/edge authRoutes: ${route}: store or verifyUser failed`, error))
  if (typeof onError !== 'function') throw bad('options.onError must be a function')

  if (o.signer === undefined) throw bad('options.signer is required: { key: { kid, alg, secret } } or (env) => key')
  if (typeof o.signer !== 'function') {
    if (!o.signer || typeof o.signer !== 'object') throw bad('options.signer must be Signer options or (env) => key')
    if ('ttl' in o.signer) throw bad('options.signer.ttl is not used: set options.accessTtl')
  }
  /** @param {unknown} v */
  const makeSigner = (v) => {
    const signerOptions = typeof o.signer === 'function' ? { key: /** @type {KeyEntry} */ (v) } : /** @type {import('jwt-wasm').SignerOptions} */ (v)
    return new Signer({ jti: true, ...signerOptions, ttl: accessTtl })
  }
  // Built now when it can be, so a bad key fails here (Signer does nothing random).
  const signer = perIsolate(o.signer, makeSigner)

  const routes = new Map(/** @type {[string, Route][]} */ ([
    [`${basePath}/login`, 'login'],
    [`${basePath}/refresh`, 'refresh'],
    [`${basePath}/logout`, 'logout'],
  ]))

  /** @type {WeakMap<Uint8Array, Promise<CryptoKey>>} */
  const hmacKeys = new WeakMap()
  /**
   * base64url(HMAC-SHA256(refreshSecret, message))
   * @param {unknown} env
   * @param {string} message
   */
  const hmac = async (env, message) => {
    const secret = refreshSecret(env)
    let key = hmacKeys.get(secret)
    if (!key) {
      key = crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
      hmacKeys.set(secret, key)
    }
    return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(message))))
  }
  /** base64url(SHA-256(text)) @param {string} text */
  const sha256 = async (text) => base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))))
  /** @param {number} n */
  const randomId = (n) => {
    const bytes = random(n)
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) throw new TypeError('options.random must return a Uint8Array of the requested length')
    return base64url(bytes)
  }
  const nowSeconds = () => {
    const d = clock()
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError('options.clock must return a valid Date')
    return Math.floor(d.getTime() / 1000)
  }

  const clearRefresh = () => clearCookie(cookieName, basePath)
  /** @param {string} value @param {number} maxAge */
  const setRefresh = (value, maxAge) => serializeCookie(cookieName, value, { path: basePath, maxAge })
  const unavailable = () => answer(503, { error: 'temporarily_unavailable' })
  const invalidGrant = () => answer(401, { error: 'invalid_grant' }, {}, [clearRefresh()])
  /** @param {string} description */
  const invalidRequest = (description, status = 400) => answer(status, { error: 'invalid_request', error_description: description })

  /**
   * The access token for a family's user, and the JSON answer that carries it.
   * @param {unknown} env
   * @param {FamilyRecord} record
   * @param {number} now
   * @param {string[]} cookies
   */
  const tokenAnswer = (env, record, now, cookies) => {
    /** @type {Record<string, unknown>} */
    const claims = { ...record.claims, sub: record.sub, ...fixedClaims }
    if (record.dvh !== undefined) claims[DEVICE_CLAIM] = record.dvh
    const access_token = signer(env).sign(claims, { currentDate: new Date(now * 1000) })
    return answer(200, { access_token, token_type: 'Bearer', expires_in: accessTtl }, {}, cookies)
  }

  /**
   * The refresh token cookie of a request, split; undefined when absent or malformed.
   * @param {Request} request
   */
  const presented = (request) => {
    const m = REFRESH_TOKEN.exec(readCookie(request, cookieName) ?? '')
    return m ? { familyId: m[1], secret: m[2] } : undefined
  }

  /**
   * Same-origin checks. `Origin` must be one of `allowedOrigins` (default: the request's own
   * origin); a request without `Origin` is refused (browsers send it on every POST).
   * @param {Request} request
   * @param {URL} url
   * @param {boolean} needHeader
   */
  const crossSite = (request, url, needHeader) => {
    const origin = request.headers.get('origin')
    if (origin === null || !(allowedOrigins ?? [url.origin]).includes(origin)) return invalidRequest('The request origin is not allowed', 403)
    if (needHeader && !request.headers.get(csrfHeader)) return invalidRequest(`The ${csrfHeader} header is required`, 403)
    return undefined
  }

  /**
   * @param {Request} request
   * @param {any} env
   */
  async function login(request, env) {
    const body = await credentials(request)
    if (!body) return invalidRequest('The body must be { login, password } as JSON or form-encoded')
    const now = nowSeconds()
    /** @type {RefreshStore} */
    let store
    /** @type {string | undefined} */
    let throttleKey
    /** @type {unknown} */
    let user
    try {
      store = o.store(env)
      if (throttle) {
        throttleKey = await hmac(env, `login-throttle\0${body.login.normalize('NFKC').trim().toLowerCase()}`)
        const { count, resetAt } = await store.hit(throttleKey, throttle.windowSeconds, now)
        if (count > throttle.maxFailures) {
          return answer(429, { error: 'too_many_requests' }, { 'retry-after': String(Math.max(1, Math.ceil(resetAt - now))) })
        }
      }
      user = await o.verifyUser(body.login, body.password, env)
    } catch (e) {
      onError(e, { route: 'login', request })
      return unavailable()
    }
    if (user === null || user === undefined || user === false) return answer(401, { error: 'invalid_grant' })
    const { sub, claims = {} } = /** @type {any} */ (user)
    if (typeof sub !== 'string' || sub === '') throw new TypeError('verifyUser must return { sub: non-empty string, claims? } or null')
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new TypeError('verifyUser: claims must be an object')
    for (const name of Object.keys(claims)) {
      if (RESERVED_CLAIMS.has(name)) throw new TypeError(`verifyUser: claims must not set "${name}" (authRoutes sets it)`)
    }

    const familyId = randomId(FAMILY_BYTES)
    const secret = randomId(SECRET_BYTES)
    const cookies = [setRefresh(`${familyId}.${secret}`, familyLifetime)]
    /** @type {FamilyRecord} */
    const record = {
      familyId,
      sub,
      claims: structuredClone(claims),
      createdAt: now,
      expiresAt: now + familyLifetime,
      lastUsedAt: now,
      current: await sha256(secret),
      previous: null,
    }
    if (bind && deviceSecret) {
      const deviceId = randomId(SECRET_BYTES)
      record.dvh = await deviceHash(deviceSecret(env), deviceId)
      cookies.push(serializeCookie(DEVICE_COOKIE, deviceId, { path: '/', maxAge: familyLifetime }))
    }
    const old = presented(request)
    try {
      if (throttleKey !== undefined) await store.clear(throttleKey)
      await store.create(record)
    } catch (e) {
      onError(e, { route: 'login', request })
      return unavailable()
    }
    // This browser's previous login is replaced by the new cookie: end its family too.
    if (old) await store.revoke(old.familyId).catch((e) => onError(e, { route: 'login', request }))
    return tokenAnswer(env, record, now, cookies)
  }

  /**
   * @param {Request} request
   * @param {any} env
   */
  async function refresh(request, env) {
    const token = presented(request)
    if (!token) return invalidGrant()
    /** @type {string | undefined} */
    let dvh
    if (bind && deviceSecret) {
      const deviceId = readCookie(request, DEVICE_COOKIE)
      if (!deviceId || !DEVICE_ID.test(deviceId)) return invalidGrant()
      dvh = await deviceHash(deviceSecret(env), deviceId)
    }
    const now = nowSeconds()
    const successor = await hmac(env, `${token.familyId}.${token.secret}`)
    const [presentedHash, successorHash] = await Promise.all([sha256(token.secret), sha256(successor)])
    /** @type {import('./stores.js').RotateResult} */
    let result
    /** @type {RefreshStore} */
    let store
    try {
      store = o.store(env)
      result = await store.rotate(token.familyId, presentedHash, successorHash, now, graceSeconds, idleTimeout)
    } catch (e) {
      onError(e, { route: 'refresh', request })
      return unavailable()
    }
    if ((result.status !== 'rotated' && result.status !== 'grace') || !result.record) return invalidGrant()
    const record = result.record
    if (bind && record.dvh !== dvh) {
      // A valid refresh token from another device: treated as theft, the family ends.
      try {
        await store.revoke(token.familyId)
      } catch (e) {
        onError(e, { route: 'refresh', request })
        return unavailable()
      }
      return invalidGrant()
    }
    return tokenAnswer(env, record, now, [setRefresh(`${token.familyId}.${successor}`, record.expiresAt - now)])
  }

  /**
   * @param {Request} request
   * @param {any} env
   */
  async function logout(request, env) {
    const token = presented(request)
    if (token) {
      try {
        await o.store(env).revoke(token.familyId)
      } catch (e) {
        onError(e, { route: 'logout', request })
        return unavailable()
      }
    }
    const cookies = [clearRefresh()]
    if (bind) cookies.push(clearCookie(DEVICE_COOKIE, '/'))
    return answer(204, null, {}, cookies)
  }

  return async function authRoutesHandler(request, env, ctx) {
    void ctx
    const url = new URL(request.url)
    const route = routes.get(url.pathname)
    if (!route) return null
    if (request.method !== 'POST') return answer(405, { error: 'invalid_request', error_description: 'Use POST' }, { allow: 'POST' })
    const refused = crossSite(request, url, route !== 'login')
    if (refused) return refused
    if (route === 'login') return login(request, env)
    if (route === 'refresh') return refresh(request, env)
    return logout(request, env)
  }
}
