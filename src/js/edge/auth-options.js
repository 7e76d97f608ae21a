// @ts-check
/**
 * The options of `authRoutes`, read once: every option checked (unknown or invalid ones throw
 * `TypeError` with code `ERR_INVALID_OPTIONS` at `authRoutes()` time), the defaults filled in, the
 * values that may come from `env` (signer, refresh secret, device secret) turned into per-isolate
 * resolvers, and the clock and random source wrapped so that a bad value they return is a
 * programming error. The result, `AuthConfig`, is frozen: the handlers only read it.
 */
import { Signer } from 'jwt-wasm'
import { bad, fn, object, seconds, secretBytes, originList, optionalString, strings } from '../internal/options.js'
import { base64url, isToken } from '../internal/encoding.js'
import { bindsDevice } from './device.js'
import { cookieNameOption, isCookiePath, isHostPrefixed, pathMatches } from './cookies.js'
import { perIsolate } from './per-isolate.js'
import { ACCESS_TOKEN_TYP } from './guard-options.js'
import { LoginThrottle, connectingAddress } from './login-throttle.js'
import { GRACE_SECONDS } from '../internal/grace.js'

/**
 * @typedef {import('./auth-routes.js').AuthRoutesOptions<any>} AuthRoutesOptions
 * @typedef {import('./stores.js').RefreshStore} RefreshStore
 * @typedef {import('jwt-wasm').KeyEntry} KeyEntry
 * @typedef {'login' | 'refresh' | 'logout'} Route
 */

/**
 * @typedef {object} AuthConfig
 * @property {(login: string, password: string, env: any) => unknown} verifyUser
 * @property {(env: any) => RefreshStore} store
 * @property {((user: { sub: string, claims: Record<string, unknown>, env: any }) => unknown) | undefined} refreshClaims
 * @property {number} accessTtl
 * @property {number} graceSeconds
 * @property {number} familyLifetime
 * @property {number} idleTimeout
 * @property {string} cookieName
 * @property {string} cookiePath the refresh cookie's `Path`: `/` unless told
 * @property {string} basePath
 * @property {string} csrfHeader
 * @property {readonly string[] | undefined} allowedOrigins undefined: the request's own origin, on a loopback host only
 * @property {Readonly<import('./login-throttle.js').ThrottlePolicy> | false} throttle
 * @property {LoginThrottle | undefined} counters the throttle's counters in this isolate, set exactly when `throttle`
 * @property {boolean} bind
 * @property {((env: unknown) => Uint8Array<ArrayBuffer>) | undefined} deviceSecret set exactly when `bind`
 * @property {(env: unknown) => Uint8Array<ArrayBuffer>} refreshSecret
 * @property {(env: unknown) => Signer} signer
 * @property {((env: unknown) => { encrypt(token: string): string }) | undefined} encrypter the
 *   `encrypt` option's (an `Encrypter` of `jwt-wasm/jwe`, injected), set exactly when access tokens are encrypted
 * @property {Readonly<Record<string, unknown>>} fixedClaims `iss` and `aud`, when configured
 * @property {() => number} now the clock, in whole seconds
 * @property {(bytes: number) => string} randomId `n` random bytes, base64url
 * @property {(error: unknown, context: { route: Route, request: Request }) => void} onError
 */

const OPTIONS = new Set([
  'signer',
  'encrypt',
  'issuer',
  'audience',
  'accessTtl',
  'verifyUser',
  'store',
  'refreshClaims',
  'refreshSecret',
  'graceSeconds',
  'familyLifetime',
  'idleTimeout',
  'cookieName',
  'cookiePath',
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

const DEFAULTS = Object.freeze({
  accessTtl: 900,
  graceSeconds: GRACE_SECONDS,
  familyLifetime: 14 * 24 * 3600,
  idleTimeout: 24 * 3600,
  cookieName: '__Host-jwt_rt',
  basePath: '/auth',
  csrfHeader: 'X-Requested-With',
  cookiePath: '/',
  loginThrottle: Object.freeze({
    maxFailures: 5,
    maxClientFailures: 20,
    maxDeviceFailures: 10,
    windowSeconds: 900,
    clientKey: connectingAddress,
  }),
})

/** Durations are whole seconds, at least 1, unless told otherwise. */
const WHOLE = Object.freeze({ min: 1, integer: true })

/** One or more path segments, no trailing slash, safe inside a cookie `Path`. */
const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,=:@%-]+)+$/

const THROTTLE_OPTIONS = new Set([
  'maxFailures',
  'maxClientFailures',
  'maxDeviceFailures',
  'windowSeconds',
  'clientKey',
])

/**
 * A budget of the throttle: a positive integer, the default when absent.
 * @param {unknown} v
 * @param {string} name
 * @param {number} fallback
 */
function budget(v, name, fallback) {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw bad(`options.loginThrottle.${name} must be a positive integer`)
  }
  return v
}

/**
 * The refresh cookie's `Path`: a cookie path that the routes lie under (or the cookie would never
 * reach them), and `/` for a `__Host-` name (the prefix requires it).
 * @param {unknown} path
 * @param {string} cookieName
 * @param {string} basePath
 * @returns {string}
 */
function refreshCookiePath(path, cookieName, basePath) {
  if (!isCookiePath(path)) throw bad('options.cookiePath must be a cookie path like "/" or "/auth"')
  if (isHostPrefixed(cookieName) && path !== '/') {
    throw bad(
      'options.cookiePath must be "/" for a __Host- cookie name (the prefix requires Path=/): name the cookie e.g. "__Secure-jwt_rt" to use another path',
    )
  }
  if (!pathMatches(basePath, path)) throw bad('options.cookiePath must be "/" or a path that basePath lies under')
  return path
}

/**
 * @param {unknown} t the `loginThrottle` option
 * @returns {AuthConfig['throttle']}
 */
function loginThrottle(t) {
  if (t === false) return false
  if (t === undefined) return DEFAULTS.loginThrottle
  if (!t || typeof t !== 'object' || Array.isArray(t)) {
    throw bad(
      'options.loginThrottle must be { maxFailures?, maxClientFailures?, maxDeviceFailures?, windowSeconds?, clientKey? } or false',
    )
  }
  const o = object(t, 'options.loginThrottle', THROTTLE_OPTIONS)
  const d = DEFAULTS.loginThrottle
  const clientKey = o.clientKey === undefined ? d.clientKey : fn(o.clientKey, 'options.loginThrottle.clientKey')
  return Object.freeze({
    maxFailures: budget(o.maxFailures, 'maxFailures', d.maxFailures),
    maxClientFailures: budget(o.maxClientFailures, 'maxClientFailures', d.maxClientFailures),
    maxDeviceFailures: budget(o.maxDeviceFailures, 'maxDeviceFailures', d.maxDeviceFailures),
    windowSeconds: seconds(o.windowSeconds, 'options.loginThrottle.windowSeconds', d.windowSeconds, WHOLE),
    clientKey,
  })
}

/**
 * The access-token signer: `Signer` options (built now, so a bad key fails here: Signer does
 * nothing random) or `(env) => key`, built on first use.
 * @param {unknown} option
 * @param {number} accessTtl
 * @returns {(env: unknown) => Signer}
 */
function signerOf(option, accessTtl) {
  if (option === undefined) throw bad('options.signer is required: { key: { kid, alg, secret } } or (env) => key')
  if (typeof option !== 'function') {
    if (!option || typeof option !== 'object') throw bad('options.signer must be Signer options or (env) => key')
    if ('ttl' in option) throw bad('options.signer.ttl is not used: set options.accessTtl')
  }
  /** @param {unknown} v */
  const make = (v) => {
    const signerOptions =
      typeof option === 'function'
        ? { key: /** @type {KeyEntry} */ (v) }
        : /** @type {import('jwt-wasm').SignerOptions} */ (v)
    // Access tokens are explicitly typed (RFC 8725 §3.11): `at+jwt` (RFC 9068) unless told.
    return new Signer({ jti: true, ...signerOptions, typ: signerOptions.typ ?? ACCESS_TOKEN_TYP, ttl: accessTtl })
  }
  return perIsolate(option, make)
}

/**
 * @param {unknown} option
 * @returns {() => number}
 */
function clockOf(option) {
  /** @type {() => Date} */
  const clock = option === undefined ? () => new Date() : /** @type {any} */ (option)
  if (typeof clock !== 'function') throw bad('options.clock must be a function returning a Date')
  return () => {
    const d = clock()
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError('options.clock must return a valid Date')
    return Math.floor(d.getTime() / 1000)
  }
}

/**
 * @param {unknown} option
 * @returns {(bytes: number) => string}
 */
function randomIdOf(option) {
  /** @type {(length: number) => Uint8Array} */
  const random = option === undefined ? (n) => crypto.getRandomValues(new Uint8Array(n)) : /** @type {any} */ (option)
  if (typeof random !== 'function') throw bad('options.random must be a function (length) => Uint8Array')
  return (n) => {
    const bytes = random(n)
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
      throw new TypeError('options.random must return a Uint8Array of the requested length')
    }
    return base64url(bytes)
  }
}

/**
 * Checks the options of `authRoutes` and resolves them into the frozen configuration the
 * handlers read.
 * @param {AuthRoutesOptions} options
 * @returns {Readonly<AuthConfig>}
 */
export function resolveAuthOptions(options) {
  const o = object(options, 'options', OPTIONS)

  if (typeof o.verifyUser !== 'function') {
    throw bad('options.verifyUser is required: async (login, password, env) => ({ sub, claims? }) | null')
  }
  if (typeof o.store !== 'function') throw bad('options.store is required: (env) => RefreshStore')
  if (o.refreshClaims !== undefined && typeof o.refreshClaims !== 'function') {
    throw bad('options.refreshClaims must be async ({ sub, claims, env }) => claims | null')
  }
  const accessTtl = seconds(o.accessTtl, 'options.accessTtl', DEFAULTS.accessTtl, WHOLE)
  const graceSeconds = seconds(o.graceSeconds, 'options.graceSeconds', DEFAULTS.graceSeconds)
  const familyLifetime = seconds(o.familyLifetime, 'options.familyLifetime', DEFAULTS.familyLifetime, WHOLE)
  const idleTimeout = seconds(o.idleTimeout, 'options.idleTimeout', DEFAULTS.idleTimeout, WHOLE)
  const cookieName = cookieNameOption(o.cookieName ?? DEFAULTS.cookieName, 'options.cookieName')
  const basePath = o.basePath ?? DEFAULTS.basePath
  if (typeof basePath !== 'string' || !BASE_PATH.test(basePath)) {
    throw bad('options.basePath must be a path like "/auth" (no trailing slash)')
  }
  const cookiePath = refreshCookiePath(
    o.cookiePath === undefined ? DEFAULTS.cookiePath : o.cookiePath,
    cookieName,
    basePath,
  )
  const csrfHeader = o.csrfHeader ?? DEFAULTS.csrfHeader
  if (!isToken(csrfHeader)) throw bad('options.csrfHeader must be a header name')
  const allowedOrigins =
    o.allowedOrigins === undefined
      ? undefined
      : Object.freeze(originList(o.allowedOrigins, 'options.allowedOrigins', 'https://app.example'))
  const throttle = loginThrottle(o.loginThrottle)

  const bind = bindsDevice(o)
  const deviceSecret = bind ? perIsolate(o.deviceSecret, (v) => secretBytes(v, 'options.deviceSecret')) : undefined
  if (o.refreshSecret === undefined)
    throw bad('options.refreshSecret is required: at least 32 bytes, or (env) => secret')
  const refreshSecret = perIsolate(o.refreshSecret, (v) => secretBytes(v, 'options.refreshSecret'))

  /** @type {Record<string, unknown>} */
  const fixedClaims = {}
  const issuer = optionalString(o.issuer, 'options.issuer')
  if (issuer !== undefined) fixedClaims.iss = issuer
  if (o.audience !== undefined) {
    const list = strings(o.audience, 'options.audience')
    fixedClaims.aud = typeof o.audience === 'string' ? o.audience : Object.freeze([...list])
  }

  const now = clockOf(o.clock)
  const randomId = randomIdOf(o.random)
  /** @type {AuthConfig['onError']} */
  const onError =
    o.onError ??
    ((error, { route }) => console.error(`jwt-wasm/edge authRoutes: ${route}: store or verifyUser failed`, error))
  if (typeof onError !== 'function') throw bad('options.onError must be a function')
  const signer = signerOf(o.signer, accessTtl)
  // Nested (sign, then encrypt: RFC 7519 §11.2), by an Encrypter the application made, or
  // `(env) => Encrypter` once per isolate: nothing of jwt-wasm/jwe is imported here.
  const encrypter =
    o.encrypt === undefined
      ? undefined
      : perIsolate(o.encrypt, (/** @type {any} */ e) => {
          if (typeof e?.encrypt !== 'function') throw bad('options.encrypt must be an Encrypter')
          return e
        })

  return Object.freeze({
    verifyUser: o.verifyUser,
    store: o.store,
    refreshClaims: o.refreshClaims,
    accessTtl,
    graceSeconds,
    familyLifetime,
    idleTimeout,
    cookieName,
    cookiePath,
    basePath,
    csrfHeader,
    allowedOrigins,
    throttle,
    counters: throttle ? new LoginThrottle(throttle) : undefined,
    bind,
    deviceSecret,
    refreshSecret,
    signer,
    encrypter,
    fixedClaims: Object.freeze(fixedClaims),
    now,
    randomId,
    onError,
  })
}
