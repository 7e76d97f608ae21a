// @ts-check
/**
 * The three routes of `authRoutes` as module-level handlers over the frozen `AuthConfig` of
 * `./auth-options.js`: `login`, `refresh` and `logout`, each `(config, request, env) =>
 * Promise<Response>`. The router (`./auth-routes.js`) has already checked the method and the
 * origin. A cookie of ours (the refresh cookie, the device cookie with `bind`, the known-device
 * cookie with the throttle) that arrives twice (cookie tossing) is answered 400
 * `invalid_request` on every route before anything is read, counted, revoked or cleared. A refresh cookie whose
 * tag is wrong (a forged family id or a secret authRoutes never issued for it) is refused before
 * any store is touched: only a secret of the family can rotate, end or revoke it.
 */
import { DEVICE_COOKIE, DEVICE_CLAIM, DEVICE_ID, DEVICE_ID_BYTES, deviceHash } from './device.js'
import { TWO_VALUES, readCookie, serializeCookie, clearCookie } from './cookies.js'
import { answer, invalidRequest, unavailable, readLoginBody } from './http.js'
import { KNOWN_DEVICE_COOKIE, KNOWN_DEVICE_MAX_AGE, knownDeviceValue } from './known-device.js'
import { normalisedLogin } from './login-throttle.js'
import { firstToken, formatToken, issued, parseToken, secretHash, successor } from './refresh-token.js'

/**
 * @typedef {import('./auth-options.js').AuthConfig} AuthConfig
 * @typedef {import('./stores.js').RefreshStore} RefreshStore
 * @typedef {import('./stores.js').FamilyRecord} FamilyRecord
 * @typedef {import('./refresh-token.js').RefreshToken} RefreshToken
 */

/** Claims that authRoutes sets itself; `verifyUser` may not supply them. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', DEVICE_CLAIM])

/**
 * The answer to a request that carries one of our cookies twice: 400, nothing changed.
 * @param {string} name
 */
const twoCookies = (name) => invalidRequest(`The request carries the ${name} cookie more than once`)

/**
 * The 400 for a request that carries one of our cookies more than once (a planted one beside
 * the browser's own), or null. Checked first on every route, whether the route reads it or not.
 * @param {Readonly<AuthConfig>} config
 * @param {Request} request
 * @returns {Response | null}
 */
function tossed(config, request) {
  for (const name of [config.cookieName, config.bind && DEVICE_COOKIE, config.throttle && KNOWN_DEVICE_COOKIE]) {
    if (name && readCookie(request, name) === TWO_VALUES) return twoCookies(name)
  }
  return null
}

/**
 * The refresh cookie of a request (already checked by `tossed`): absent or malformed
 * (undefined), or the token.
 * @param {Readonly<AuthConfig>} config
 * @param {Request} request
 * @returns {RefreshToken | undefined}
 */
function presented(config, request) {
  const value = readCookie(request, config.cookieName)
  return typeof value === 'string' ? parseToken(value) : undefined
}

/**
 * @param {Readonly<AuthConfig>} config
 * @param {RefreshToken} token
 * @param {number} maxAge
 */
const setRefresh = (config, token, maxAge) =>
  serializeCookie(config.cookieName, formatToken(token), { path: config.cookiePath, maxAge })

/** @param {Readonly<AuthConfig>} config */
const clearRefresh = (config) => clearCookie(config.cookieName, config.cookiePath)

/**
 * 400 `invalid_grant` (RFC 6749 §5.2), the refresh cookie cleared.
 * @param {Readonly<AuthConfig>} config
 */
const invalidGrant = (config) => answer(400, { error: 'invalid_grant' }, {}, [clearRefresh(config)])

/**
 * The access token for a family's user, and the JSON answer that carries it.
 * @param {Readonly<AuthConfig>} config
 * @param {unknown} env
 * @param {FamilyRecord} record
 * @param {number} now
 * @param {string[]} cookies
 */
function tokenAnswer(config, env, record, now, cookies) {
  /** @type {Record<string, unknown>} */
  const claims = { ...record.claims, sub: record.sub, ...config.fixedClaims }
  if (record.dvh !== undefined) claims[DEVICE_CLAIM] = record.dvh
  const signed = config.signer(env).sign(claims, { currentDate: new Date(now * 1000) })
  const access_token = config.encrypter ? config.encrypter(env).encrypt(signed) : signed
  return answer(200, { access_token, token_type: 'Bearer', expires_in: config.accessTtl }, {}, cookies)
}

/**
 * Claims an application hook returned, checked: an object that sets none of the claims
 * authRoutes sets itself. Anything else is the application's programming error (a TypeError).
 * @param {unknown} claims
 * @param {string} hook
 * @returns {Record<string, unknown>}
 */
function checkedClaims(claims, hook) {
  if (!claims || typeof claims !== 'object' || Array.isArray(claims))
    throw new TypeError(`${hook}: claims must be an object`)
  for (const name of Object.keys(claims)) {
    if (RESERVED_CLAIMS.has(name)) throw new TypeError(`${hook}: claims must not set "${name}" (authRoutes sets it)`)
  }
  return /** @type {Record<string, unknown>} */ (claims)
}

/**
 * What `verifyUser` returned, checked: `{ sub, claims }`, or undefined for a refused login.
 * Anything else is the application's programming error (a TypeError).
 * @param {unknown} user
 * @returns {{ sub: string, claims: Record<string, unknown> } | undefined}
 */
function verifiedUser(user) {
  if (user === null || user === undefined || user === false) return undefined
  const { sub, claims = {} } = /** @type {any} */ (user)
  if (typeof sub !== 'string' || sub === '')
    throw new TypeError('verifyUser must return { sub: non-empty string, claims? } or null')
  return { sub, claims: checkedClaims(claims, 'verifyUser') }
}

/**
 * `POST <basePath>/login`: throttle, `verifyUser`, a new family (and device id), a new
 * known-device cookie, the old family of this browser revoked.
 * @param {Readonly<AuthConfig>} config
 * @param {Request} request
 * @param {any} env
 * @returns {Promise<Response>}
 */
export async function login(config, request, env) {
  const refused = tossed(config, request)
  if (refused) return refused
  const old = presented(config, request)
  const body = await readLoginBody(request)
  if (!body) return invalidRequest('The body must be { login, password } as JSON or form-encoded')
  const now = config.now()
  const { counters } = config
  /** @type {(() => void) | undefined} */
  let succeeded
  if (counters) {
    // Counted in this isolate (bounded), never in the store: nothing is written before verifyUser.
    const cookie = readCookie(request, KNOWN_DEVICE_COOKIE)
    const known = typeof cookie === 'string' ? cookie : undefined
    const attempt = await counters.attempt(config.refreshSecret(env), request, body.login, known, now)
    if (attempt.retryAfter !== undefined) {
      return answer(429, { error: 'too_many_requests' }, { 'retry-after': String(attempt.retryAfter) })
    }
    succeeded = attempt.succeeded
  }
  /** @type {unknown} */
  let user
  try {
    user = await config.verifyUser(body.login, body.password, env)
  } catch (e) {
    config.onError(e, { route: 'login', request })
    return unavailable()
  }
  const verified = verifiedUser(user)
  if (!verified) return answer(400, { error: 'invalid_grant' })

  const token = await firstToken(config.refreshSecret(env), config.randomId)
  const cookies = [setRefresh(config, token, config.familyLifetime)]
  /** @type {FamilyRecord} */
  const record = {
    familyId: token.familyId,
    sub: verified.sub,
    claims: structuredClone(verified.claims),
    createdAt: now,
    expiresAt: now + config.familyLifetime,
    lastUsedAt: now,
    current: await secretHash(token.secret),
    previous: null,
  }
  if (config.deviceSecret) {
    const deviceId = config.randomId(DEVICE_ID_BYTES)
    record.dvh = await deviceHash(config.deviceSecret(env), deviceId)
    cookies.push(serializeCookie(DEVICE_COOKIE, deviceId, { path: '/', maxAge: config.familyLifetime }))
  }
  /** @type {RefreshStore} */
  let store
  try {
    store = config.store(env)
    await store.create(record)
  } catch (e) {
    config.onError(e, { route: 'login', request })
    return unavailable()
  }
  if (succeeded) {
    succeeded()
    const known = await knownDeviceValue(config.refreshSecret(env), config.randomId, normalisedLogin(body.login))
    cookies.push(serializeCookie(KNOWN_DEVICE_COOKIE, known, { path: '/', maxAge: KNOWN_DEVICE_MAX_AGE }))
  }
  // This browser's previous login is replaced by the new cookie: end its family too, but only
  // with a secret issued for that family (current or spent: a spent one is reuse anyway).
  if (old && (await issued(config.refreshSecret(env), old)))
    await store.revoke(old.familyId).catch((e) => config.onError(e, { route: 'login', request }))
  return tokenAnswer(config, env, record, now, cookies)
}

/**
 * `POST <basePath>/refresh`: rotates the refresh token to its successor (single use); the store
 * decides between rotation, the grace answer and reuse (which revokes the family). With
 * `refreshClaims`, the application gives the claims of each new access token (or null: the
 * family ends and the answer is that of a dead refresh token).
 * @param {Readonly<AuthConfig>} config
 * @param {Request} request
 * @param {any} env
 * @returns {Promise<Response>}
 */
export async function refresh(config, request, env) {
  const refused = tossed(config, request)
  if (refused) return refused
  const token = presented(config, request)
  if (!token || !(await issued(config.refreshSecret(env), token))) return invalidGrant(config)
  /** @type {string | undefined} */
  let dvh
  if (config.deviceSecret) {
    const deviceId = readCookie(request, DEVICE_COOKIE)
    if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) return invalidGrant(config)
    dvh = await deviceHash(config.deviceSecret(env), deviceId)
  }
  const now = config.now()
  const next = await successor(config.refreshSecret(env), token)
  const [presentedHash, successorHash] = await Promise.all([secretHash(token.secret), secretHash(next.secret)])
  /** @type {import('./stores.js').RotateResult} */
  let result
  /** @type {RefreshStore} */
  let store
  try {
    store = config.store(env)
    result = await store.rotate(
      token.familyId,
      presentedHash,
      successorHash,
      now,
      config.graceSeconds,
      config.idleTimeout,
    )
  } catch (e) {
    config.onError(e, { route: 'refresh', request })
    return unavailable()
  }
  if ((result.status !== 'rotated' && result.status !== 'grace') || !result.record) return invalidGrant(config)
  const record = result.record
  if (config.bind && record.dvh !== dvh) {
    // A valid refresh token from another device: treated as theft, the family ends.
    try {
      await store.revoke(token.familyId)
    } catch (e) {
      config.onError(e, { route: 'refresh', request })
      return unavailable()
    }
    return invalidGrant(config)
  }
  /** @type {FamilyRecord} */
  let minted = record
  if (config.refreshClaims) {
    // The application's word on this user now: new claims, or null (the family ends).
    /** @type {unknown} */
    let current
    try {
      current = await config.refreshClaims({ sub: record.sub, claims: structuredClone(record.claims), env })
      if (current === null || current === undefined || current === false) await store.revoke(token.familyId)
    } catch (e) {
      config.onError(e, { route: 'refresh', request })
      return unavailable()
    }
    if (current === null || current === undefined || current === false) return invalidGrant(config)
    minted = { ...record, claims: checkedClaims(current, 'refreshClaims') }
  }
  return tokenAnswer(config, env, minted, now, [setRefresh(config, next, record.expiresAt - now)])
}

/**
 * `POST <basePath>/logout`: revokes the family of the refresh cookie (if any) and clears the
 * cookie(s); 204. A cookie with a wrong tag revokes nothing: 400 `invalid_grant` (the useless
 * cookie cleared), no store touched.
 * @param {Readonly<AuthConfig>} config
 * @param {Request} request
 * @param {any} env
 * @returns {Promise<Response>}
 */
export async function logout(config, request, env) {
  const refused = tossed(config, request)
  if (refused) return refused
  const token = presented(config, request)
  if (token) {
    if (!(await issued(config.refreshSecret(env), token))) return invalidGrant(config)
    try {
      await config.store(env).revoke(token.familyId)
    } catch (e) {
      config.onError(e, { route: 'logout', request })
      return unavailable()
    }
  }
  const cookies = [clearRefresh(config)]
  if (config.bind) cookies.push(clearCookie(DEVICE_COOKIE, '/'))
  return answer(204, null, {}, cookies)
}
