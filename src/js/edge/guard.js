// @ts-check
/**
 * `guard(handler, options)`: protects a module Worker's `fetch(request, env, ctx)` with a Bearer
 * access token (RFC 6750) verified by the jwt-wasm core.
 *
 * - No credentials (no `Authorization: Bearer`, no token cookie; another scheme such as `Basic`
 *   counts as none, RFC 6750 §3.1) → 401 with `WWW-Authenticate: Bearer realm="..."` and no
 *   error code in the challenge.
 * - A malformed `Authorization` header or token cookie, or two tokens → 400 `invalid_request`.
 * - Any verification failure → 401 `invalid_token` with a static `error_description` per code.
 * - A missing scope → 403 `insufficient_scope` with `scope="..."`.
 * - Anything unexpected (the wasm engine missing, a `keys` function that throws or returns bad
 *   keys, a clock that returns garbage) → 500 `server_error`, reported to `onError`.
 *
 * The handler runs only for a request that passed every check, as
 * `handler(request, env, ctx, auth)` with `auth = { header, payload }`, deeply frozen. Errors the
 * handler throws are the application's and propagate unchanged.
 *
 * The core is imported through the package's own name so that the runtime's wasm loader (the
 * `workerd` condition under wrangler, `node` in Node) is the one the exports map picks.
 */
import { Verifier, JwtError, InvalidOptionsError } from 'jwt-wasm'
import { DEVICE_COOKIE, DEVICE_CLAIM, deviceHash } from './device.js'

/** Options of the guard itself; every other name is handed to `new Verifier()`, which rejects unknown ones. */
const OWN_OPTIONS = new Set(['keys', 'scopes', 'realm', 'cookie', 'bind', 'deviceSecret', 'clock', 'onError'])
/** RFC 7230 `tchar`: auth-scheme, auth-param names, cookie names (RFC 6265 `token`). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** RFC 7235 `token68`, the only credentials form RFC 6750 §2.1 allows. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/
/** `Bearer` credentials after the scheme: one or more spaces, then a token68, nothing else. */
const BEARER_REST = /^ +([A-Za-z0-9\-._~+/]+=*)$/
/** What may stand inside a quoted-string here: HTAB, SP and visible ASCII (no obs-text, no CTLs). */
const QUOTABLE = /^[\t\x20-\x7e]*$/
/** A scope token (RFC 6749 §3.3 allows %x21 / %x23-5B / %x5D-7E; `"` and `\` are accepted and escaped). */
const SCOPE_TOKEN = /^[\x21-\x7e]+$/
const MIN_DEVICE_SECRET_BYTES = 32

const MISSING = 'missing'
const MALFORMED_HEADER = 'malformed_header'
const MALFORMED_COOKIE = 'malformed_cookie'
const TWO_TOKENS = 'two_tokens'
const DEVICE = 'device'
const SCOPE = 'scope'
/** The answers that are 400 `invalid_request`; every other refusal of a token is 401. */
const REQUEST_ERRORS = new Set([MALFORMED_HEADER, MALFORMED_COOKIE, TWO_TOKENS])

/**
 * The `error_description` of every answer, static: never the token, a key, a claim value or the
 * internal error message.
 * @type {Record<string, string>}
 */
const DESCRIPTIONS = {
  [MISSING]: 'This resource requires an access token',
  [MALFORMED_HEADER]: 'The Authorization header is malformed',
  [MALFORMED_COOKIE]: 'The access token cookie is malformed',
  [TWO_TOKENS]: 'The request carries more than one access token',
  [DEVICE]: 'The access token is bound to another device',
  [SCOPE]: 'The access token lacks a required scope',
  ERR_JWS_INVALID: 'The access token is malformed',
  ERR_JWT_INVALID: 'The access token claims are malformed',
  ERR_JWT_TOO_LARGE: 'The access token is too large',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The access token algorithm is not allowed',
  ERR_JOSE_NOT_SUPPORTED: 'The access token uses an unsupported feature',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The access token signature is invalid',
  ERR_JWKS_NO_MATCHING_KEY: 'No key matches the access token',
  ERR_JWT_EXPIRED: 'The access token expired',
  'ERR_JWT_EXPIRED:iat': 'The access token is too old',
  'ERR_JWT_CLAIM_VALIDATION_FAILED': 'The access token failed a claim check',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:missing': 'The access token lacks a required claim',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:invalid': 'The access token has a malformed claim',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:iss': 'The access token issuer is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:sub': 'The access token subject is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:aud': 'The access token audience is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:typ': 'The access token type is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:iat': 'The access token was issued in the future',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:nbf': 'The access token is not yet valid',
}

/** @param {string} message */
const bad = (message) => new InvalidOptionsError(message)

/**
 * Builds a `WWW-Authenticate` value for the Bearer scheme: `Bearer` followed by the given
 * auth-params in order, each value a quoted-string with `\` and `"` escaped (RFC 7235 §2.1).
 * Parameters whose value is `undefined` are left out. Throws `TypeError` (`ERR_INVALID_OPTIONS`)
 * for a name that is not a token or a value with control or non-ASCII characters.
 * @param {Record<string, string | undefined>} [params]
 * @returns {string}
 */
export function bearerChallenge(params) {
  if (params === undefined) return 'Bearer'
  if (params === null || typeof params !== 'object') throw bad('bearerChallenge params must be an object')
  const parts = []
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (!TOKEN.test(name)) throw bad(`bearerChallenge: "${name}" is not a valid parameter name`)
    if (typeof value !== 'string' || !QUOTABLE.test(value)) {
      throw bad(`bearerChallenge: ${name} must be a string of visible ASCII characters, spaces and tabs`)
    }
    parts.push(`${name}="${value.replace(/[\\"]/g, '\\$&')}"`)
  }
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`
}

/**
 * Every value of cookie `name` in the request's `Cookie` header.
 * @param {Request} request
 * @param {string} name
 * @returns {string[]}
 */
function cookieValues(request, name) {
  const header = request.headers.get('cookie')
  /** @type {string[]} */
  const values = []
  if (!header) return values
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq >= 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim())
  }
  return values
}

/**
 * Compares two strings in time that depends only on their length.
 * @param {string} a
 * @param {string} b
 */
function sameString(a, b) {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Freezes a JSON value and everything in it (iteratively: depth is the issuer's, not ours).
 * @template T
 * @param {T} value
 * @returns {T}
 */
function deepFreeze(value) {
  const stack = [/** @type {unknown} */ (value)]
  while (stack.length > 0) {
    const v = stack.pop()
    if (v === null || typeof v !== 'object' || Object.isFrozen(v)) continue
    Object.freeze(v)
    for (const k of Object.keys(v)) stack.push(/** @type {Record<string, unknown>} */ (v)[k])
  }
  return value
}

/**
 * The scopes a payload grants: `scope` (space-separated string, RFC 8693 §4.2) and `scp` (array
 * of strings). A claim of another type grants nothing.
 * @param {Record<string, unknown>} payload
 * @returns {Set<string>}
 */
function grantedScopes(payload) {
  const granted = new Set()
  if (typeof payload.scope === 'string') for (const s of payload.scope.split(' ')) if (s !== '') granted.add(s)
  if (Array.isArray(payload.scp)) for (const s of payload.scp) if (typeof s === 'string') granted.add(s)
  return granted
}

/**
 * Validates the options and compiles the guard's decision: `check(request, env)` resolves to the
 * verified `{ header, payload }` (deeply frozen) or to the `Response` to answer with, and rejects
 * only on an unexpected failure, which `fail` reports to `onError` and turns into a 500.
 * @param {import('./guard.js').GuardOptions} options
 * @returns {{ check: (request: Request, env: unknown) => Promise<import('./guard.js').GuardAuth | Response>, fail: (error: unknown) => Response }}
 */
function compileGuard(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw bad('guard options must be an object')
  /** @type {Record<string, any>} */
  const o = options
  /** @type {Record<string, any>} */
  const verifierOptions = {}
  for (const k of Object.keys(o)) if (!OWN_OPTIONS.has(k)) verifierOptions[k] = o[k]

  const keys = o.keys
  if (typeof keys !== 'function' && !Array.isArray(keys)) throw bad('options.keys must be an array of keys or a function (env) => keys')

  const scopes = o.scopes ?? []
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw bad('options.scopes must be an array of scope names (visible ASCII, no spaces)')
  }
  const realm = o.realm
  if (realm !== undefined && (typeof realm !== 'string' || !QUOTABLE.test(realm))) {
    throw bad('options.realm must be a string of visible ASCII characters, spaces and tabs')
  }
  const cookie = o.cookie
  if (cookie !== undefined && (typeof cookie !== 'string' || !TOKEN.test(cookie))) throw bad('options.cookie must be a cookie name')
  if (cookie === DEVICE_COOKIE) throw bad(`options.cookie must not be the device cookie "${DEVICE_COOKIE}"`)
  if (o.bind !== undefined && o.bind !== 'device') throw bad('options.bind must be "device" or absent')
  /** @param {unknown} v */
  const secretBytes = (v) => {
    const s = typeof v === 'string' ? new TextEncoder().encode(v) : v
    if (!(s instanceof Uint8Array) || s.length < MIN_DEVICE_SECRET_BYTES) {
      throw bad(`options.deviceSecret is required with bind: "device": a Uint8Array or string of at least ${MIN_DEVICE_SECRET_BYTES} bytes, or (env) => one`)
    }
    return s
  }
  const binds = o.bind === 'device'
  /** @type {Uint8Array | undefined} */
  let deviceSecret
  /** @type {((env: unknown) => unknown) | undefined} */
  let deviceSecretOf
  if (binds) {
    // Like `keys`, the secret may come from `env`: resolved on the first request, then kept.
    if (typeof o.deviceSecret === 'function') deviceSecretOf = o.deviceSecret
    else deviceSecret = secretBytes(o.deviceSecret)
  } else if (o.deviceSecret !== undefined) {
    throw bad('options.deviceSecret is only used with bind: "device"')
  }
  const clock = o.clock
  if (clock !== undefined && typeof clock !== 'function') throw bad('options.clock must be a function returning a Date')
  const onError = o.onError ?? ((/** @type {unknown} */ e) => console.error('jwt-wasm/edge guard: internal error', e))
  if (typeof onError !== 'function') throw bad('options.onError must be a function')

  /** @param {Record<string, any>} ring */
  const build = (ring) => new Verifier(/** @type {any} */ ({ ...verifierOptions, keys: ring }))
  /** @type {Verifier | undefined} */
  let verifier
  /** @type {Promise<Verifier> | undefined} */
  let pending
  // Fail at guard() time, not on the first request: a key array builds the Verifier now; with a
  // keys function, the other options are checked by building a throwaway Verifier. If the engine
  // itself is not loaded, that is left to the requests (500), like any runtime failure.
  try {
    if (Array.isArray(keys)) verifier = build(keys)
    else {
      const algorithms = Array.isArray(o.algorithms) ? o.algorithms : []
      const alg = ['HS256', 'HS384', 'HS512'].includes(algorithms[0]) ? algorithms[0] : 'HS256'
      build([{ alg, secret: new Uint8Array(64) }]).free()
    }
  } catch (e) {
    if (!(e instanceof JwtError && e.code === 'ERR_WASM_NOT_INITIALIZED')) throw e
  }

  /**
   * The Verifier: built once per guard (so once per isolate for a guard made at module scope).
   * A keys function is called with the `env` of the first request; a failure is not cached.
   * @param {unknown} env
   * @returns {Promise<Verifier>}
   */
  const load = (env) =>
    (pending ??= (async () => build(typeof keys === 'function' ? await keys(env) : keys))().then(
      (v) => (verifier = v),
      (e) => {
        pending = undefined
        throw e
      },
    ))

  /**
   * Every answer's challenge and body, computed once: no credentials (no error code in the
   * challenge, RFC 6750 §3.1), 400 invalid_request, 401 invalid_token, 403 insufficient_scope.
   * @type {Map<string, [string, string]>}
   */
  const answers = new Map()
  for (const [what, error_description] of Object.entries(DESCRIPTIONS)) {
    const error = what === MISSING ? 'unauthorized' : what === SCOPE ? 'insufficient_scope' : REQUEST_ERRORS.has(what) ? 'invalid_request' : 'invalid_token'
    const challenge =
      what === MISSING
        ? bearerChallenge({ realm })
        : bearerChallenge({ realm, error, error_description, scope: what === SCOPE ? scopes.join(' ') : undefined })
    answers.set(what, [challenge, JSON.stringify({ error, error_description })])
  }

  /**
   * @param {number} status
   * @param {[string, string] | undefined} answer challenge and body
   */
  const respond = (status, answer) =>
    new Response(answer?.[1] ?? '{"error":"server_error"}', {
      status,
      headers: answer
        ? { 'content-type': 'application/json', 'cache-control': 'no-store', 'www-authenticate': answer[0] }
        : { 'content-type': 'application/json', 'cache-control': 'no-store' },
    })
  /** @param {string} what */
  const reject = (what) => respond(what === SCOPE ? 403 : REQUEST_ERRORS.has(what) ? 400 : 401, answers.get(what))

  /**
   * @param {Request} request
   * @returns {string | Response} the token, or the answer when there is none or it is malformed
   */
  const extract = (request) => {
    /** @type {string | undefined} */
    let token
    const authorization = request.headers.get('authorization')
    if (authorization !== null) {
      const space = authorization.indexOf(' ')
      const scheme = space < 0 ? authorization : authorization.slice(0, space)
      if (!TOKEN.test(scheme)) return reject(MALFORMED_HEADER)
      if (scheme.toLowerCase() === 'bearer') {
        const m = BEARER_REST.exec(authorization.slice(scheme.length))
        if (!m) return reject(MALFORMED_HEADER)
        token = m[1]
      }
      // Another scheme (Basic, DPoP, ...) is not ours: no Bearer credentials (RFC 6750 §3.1).
    }
    if (cookie !== undefined) {
      const values = cookieValues(request, cookie).filter((v) => v !== '')
      if (values.length > 1) return reject(TWO_TOKENS)
      if (values.length === 1) {
        if (!TOKEN68.test(values[0])) return reject(MALFORMED_COOKIE)
        if (token !== undefined) return reject(TWO_TOKENS)
        token = values[0]
      }
    }
    return token ?? reject(MISSING)
  }

  /**
   * @param {Request} request
   * @param {unknown} env
   * @returns {Promise<import('./guard.js').GuardAuth | Response>}
   */
  const check = async (request, env) => {
    const token = extract(request)
    if (typeof token !== 'string') return token
    const v = verifier ?? (await load(env))
    let result
    try {
      result = v.verify(token, clock ? { currentDate: clock() } : undefined)
    } catch (e) {
      if (!(e instanceof JwtError)) throw e
      const what =
        e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
          ? `${e.code}:${e.reason === 'check_failed' ? e.claim : e.reason}`
          : e.code === 'ERR_JWT_EXPIRED' && e.claim === 'iat'
            ? 'ERR_JWT_EXPIRED:iat'
            : e.code
      const answer = answers.get(what) ?? (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? answers.get(e.code) : undefined)
      if (!answer) throw e // ERR_WASM_NOT_INITIALIZED, ERR_KEY_INVALID: not the token's fault
      return respond(401, answer)
    }
    const { header, payload } = result
    if (binds) {
      deviceSecret ??= secretBytes(await /** @type {Function} */ (deviceSecretOf)(env))
      const ids = cookieValues(request, DEVICE_COOKIE)
      const claimed = payload[DEVICE_CLAIM]
      if (ids.length !== 1 || ids[0] === '' || typeof claimed !== 'string') return reject(DEVICE)
      if (!sameString(await deviceHash(deviceSecret, ids[0]), claimed)) return reject(DEVICE)
    }
    if (scopes.length > 0) {
      const granted = grantedScopes(payload)
      if (!scopes.every((s) => granted.has(s))) return reject(SCOPE)
    }
    return deepFreeze({ header, payload })
  }

  /** @param {unknown} error */
  const fail = (error) => {
    try {
      onError(error)
    } catch {
      // A reporting failure must not change the answer.
    }
    return respond(500, undefined)
  }

  return { check, fail }
}

/**
 * Wraps a module Worker's `fetch` handler: the returned `fetch(request, env, ctx)` verifies the
 * request's access token and answers 400/401/403 (RFC 6750) or 500 itself; only a request that
 * passed reaches `handler(request, env, ctx, auth)`, with `auth = { header, payload }` (deeply
 * frozen). Options are validated now: bad options throw `TypeError` (`ERR_INVALID_OPTIONS`),
 * bad keys in an array throw `KeyInvalid`.
 *
 * @example
 * export default {
 *   fetch: guard((request, env, ctx, { payload }) => new Response(`hello ${payload.sub}`), {
 *     keys: (env) => [{ kid: '2026-11', alg: 'HS256', secret: env.JWT_SECRET }],
 *     algorithms: ['HS256'], issuer: 'https://auth.example', audience: 'api', scopes: ['read'],
 *     realm: 'api',
 *   }),
 * }
 *
 * @template R
 * @template [Env=unknown]
 * @template [Ctx=unknown]
 * @param {(request: Request, env: Env, ctx: Ctx, auth: import('./guard.js').GuardAuth) => R | Promise<R>} handler
 * @param {import('./guard.js').GuardOptions<Env>} options
 * @returns {(request: Request, env: Env, ctx: Ctx) => Promise<R | Response>}
 */
export function guard(handler, options) {
  if (typeof handler !== 'function') throw bad('guard(handler, options): handler must be a function (request, env, ctx, auth)')
  const { check, fail } = compileGuard(/** @type {import('./guard.js').GuardOptions} */ (options))
  return async (request, env, ctx) => {
    let outcome
    try {
      outcome = await check(request, env)
    } catch (e) {
      return fail(e)
    }
    if (outcome instanceof Response) return outcome
    return handler(request, env, ctx, outcome)
  }
}
