// @ts-check
/**
 * The options of `guard` (and of the Hono middleware), read once: the guard's own options checked
 * (bad ones throw `TypeError` with code `ERR_INVALID_OPTIONS` at `guard()` time), every other
 * option handed to `new Verifier()`, which rejects unknown ones; the key ring and the device
 * secret turned into per-isolate resolvers. The result, `GuardConfig`, is frozen. With `decrypt`
 * (a `Decrypter` of `jwt-wasm/jwe`, injected: nothing of it is imported here, so a guard without
 * encryption bundles none of it) the Decrypter, its inner Verifier, is the whole token policy;
 * with `verifier` (a `PublicKeyVerifier` of `jwt-wasm/keys`, injected the same way) its options are.
 */
import { Verifier, JwtError } from 'jwt-wasm'
import { bad, object, originList, secretBytes } from '../internal/options.js'
import { bindsDevice } from './device.js'
import { cookieNameOption } from './cookies.js'
import { QUOTABLE } from './guard-answers.js'
import { perIsolateAsync } from './per-isolate.js'

/**
 * @typedef {object} GuardConfig
 * @property {(env: unknown) => Verifies | Promise<Verifies>} verifier built once per guard: a
 *   Verifier, or what reads a JWE through the `decrypt` option's Decrypter
 * @property {readonly string[]} scopes required, all of them
 * @property {string | undefined} realm
 * @property {string | undefined} cookie the cookie that may carry the token
 * @property {readonly string[]} allowedOrigins other origins whose unsafe requests the cookie may authenticate
 * @property {((env: unknown) => Uint8Array<ArrayBuffer> | Promise<Uint8Array<ArrayBuffer>>) | undefined} deviceSecret
 *   set exactly when the guard binds tokens to a device
 * @property {(() => Date) | undefined} clock
 * @property {(error: unknown) => void} onError
 */

/**
 * What verifies a token: `verify` (a Verifier; a Decrypter's, whose promise is awaited), or
 * `verifyAsync` (a PublicKeyVerifier, whose signature the runtime's crypto checks; `scope` is
 * the request, for its key set's single flight).
 * @typedef {{ verify(token: string, options?: { currentDate: Date }): { header: any, payload: any } | Promise<{ header: any, payload: any }>, verifyAsync?: undefined }
 *   | { verifyAsync(token: string, options: { now?: Date, scope: object }): Promise<{ header: any, payload: any }> }} Verifies
 */

/**
 * The `typ` an access token must carry unless the guard names another (RFC 8725 §3.11, RFC 9068
 * §2.1; compared as a media type, so `application/at+jwt` is the same). `authRoutes` mints it.
 */
export const ACCESS_TOKEN_TYP = 'at+jwt'

/** Options of the guard itself; every other name is handed to `new Verifier()`. */
const OWN_OPTIONS = new Set([
  'keys',
  'scopes',
  'realm',
  'cookie',
  'allowedOrigins',
  'bind',
  'deviceSecret',
  'clock',
  'onError',
  'decrypt',
  'verifier',
])
/** A scope token (RFC 6749 §3.3 allows %x21 / %x23-5B / %x5D-7E; `"` and `\` are accepted and escaped). */
const SCOPE_TOKEN = /^[\x21-\x7e]+$/

/**
 * The Verifier of a key ring, once per guard (so once per isolate for a guard made at module
 * scope). It is built now when it can be, so that bad keys or options fail at `guard()` time:
 * a key array builds the Verifier; with a keys function, the other options are checked by
 * building a throwaway Verifier, and the function is called with the `env` of the first request
 * (a failure is not cached). If the engine itself is not loaded yet, building is left to the
 * requests (500 until it is), like any runtime failure.
 * @param {unknown} keys
 * @param {Record<string, unknown>} verifierOptions
 * @returns {(env: unknown) => Verifier | Promise<Verifier>}
 */
function verifierOf(keys, verifierOptions) {
  /** @param {unknown} ring */
  const build = (ring) => new Verifier(/** @type {any} */ ({ ...verifierOptions, keys: ring }))
  try {
    if (typeof keys === 'function') {
      const algorithms = Array.isArray(verifierOptions.algorithms) ? verifierOptions.algorithms : []
      const alg = ['HS256', 'HS384', 'HS512'].includes(algorithms[0]) ? algorithms[0] : 'HS256'
      build([{ alg, secret: new Uint8Array(64) }]).free()
    }
    return perIsolateAsync(keys, build)
  } catch (e) {
    if (!(e instanceof JwtError && e.code === 'ERR_WASM_NOT_INITIALIZED')) throw e
    return perIsolateAsync(typeof keys === 'function' ? keys : () => keys, build)
  }
}

/**
 * The reader of encrypted access tokens: the `decrypt` option (a Decrypter, or `(env) =>
 * Decrypter`, once per guard), whose `decryptAsync` decrypts and verifies with its Verifier.
 * @param {unknown} option
 * @returns {(env: unknown) => Verifies | Promise<Verifies>}
 */
function decrypterOf(option) {
  return perIsolateAsync(option, (/** @type {any} */ d) => {
    if (typeof d?.decryptAsync !== 'function') throw bad('options.decrypt must be a Decrypter')
    // The guard takes access tokens only (RFC 8725 §3.11): with decrypt too, a typ is required.
    if (typeof d.typ !== 'string') throw bad(`options.decrypt: its verifier must name a typ ("${ACCESS_TOKEN_TYP}")`)
    return { verify: (token, options) => d.decryptAsync(token, options) }
  })
}

/**
 * The verifier of tokens signed with public keys: the `verifier` option (a PublicKeyVerifier of
 * `jwt-wasm/keys`, or `(env) => PublicKeyVerifier`, once per guard), awaited per request. Its
 * options are the whole policy: the guard adds no `typ` of its own (an identity provider's
 * tokens carry theirs, or none), as a Verifier's or Decrypter's options would have to say.
 * @param {unknown} option
 * @returns {(env: unknown) => Verifies | Promise<Verifies>}
 */
function publicVerifierOf(option) {
  return perIsolateAsync(option, (/** @type {any} */ v) => {
    if (typeof v?.verifyAsync !== 'function') throw bad('options.verifier must be a PublicKeyVerifier (jwt-wasm/keys)')
    return v
  })
}

/**
 * Checks the options of `guard` and resolves them into the frozen configuration its decision
 * reads.
 * @param {import('./guard.js').GuardOptions} options
 * @returns {Readonly<GuardConfig>}
 */
export function resolveGuardOptions(options) {
  const o = object(options, 'guard options')
  /** @type {Record<string, unknown>} */
  const verifierOptions = { typ: ACCESS_TOKEN_TYP }
  // One policy, not two that could disagree: with `decrypt`, its Verifier's; with `verifier`, its own.
  const injected = o.decrypt !== undefined ? 'decrypt' : o.verifier !== undefined ? 'verifier' : undefined
  for (const k of Object.keys(o)) {
    if (injected && (k === 'keys' || k === 'decrypt' || k === 'verifier' || !OWN_OPTIONS.has(k)) && k !== injected)
      throw bad(`options.${k} is not used with options.${injected}`)
    if (!OWN_OPTIONS.has(k)) verifierOptions[k] = o[k]
  }
  // `typ: undefined` would be an option that came out empty: it must not switch the check off.
  if (verifierOptions.typ === undefined) throw bad(`options.typ must be a string; omit it for "${ACCESS_TOKEN_TYP}"`)

  const keys = o.keys
  if (!injected && typeof keys !== 'function' && !Array.isArray(keys))
    throw bad('options.keys must be an array of keys or a function (env) => keys')
  const scopes = o.scopes ?? []
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw bad('options.scopes must be an array of scope names (visible ASCII, no spaces)')
  }
  // An empty list never switches the check off by accident: no scope is said by omitting it.
  if (o.scopes !== undefined && scopes.length === 0) {
    throw bad('options.scopes must name at least one scope; omit it to require none')
  }
  const realm = o.realm
  if (realm !== undefined && (typeof realm !== 'string' || !QUOTABLE.test(realm))) {
    throw bad('options.realm must be a string of visible ASCII characters, spaces and tabs')
  }
  const cookie = o.cookie === undefined ? undefined : cookieNameOption(o.cookie, 'options.cookie')
  // Other origins whose unsafe requests a cookie-borne token may authenticate; only with `cookie`.
  if (o.allowedOrigins !== undefined && cookie === undefined)
    throw bad('options.allowedOrigins only applies to a token from the cookie: set options.cookie')
  const allowedOrigins = Object.freeze(
    o.allowedOrigins === undefined ? [] : originList(o.allowedOrigins, 'options.allowedOrigins', 'https://app.example'),
  )
  // Like `keys`, the secret may come from `env` (sync or async): resolved on first use, then kept.
  const deviceSecret = bindsDevice(o)
    ? perIsolateAsync(o.deviceSecret, (v) => secretBytes(v, 'options.deviceSecret'))
    : undefined
  const clock = o.clock
  if (clock !== undefined && typeof clock !== 'function') throw bad('options.clock must be a function returning a Date')
  const onError = o.onError ?? ((/** @type {unknown} */ e) => console.error('jwt-wasm/edge guard: internal error', e))
  if (typeof onError !== 'function') throw bad('options.onError must be a function')

  return Object.freeze({
    verifier:
      injected === 'decrypt'
        ? decrypterOf(o.decrypt)
        : injected
          ? publicVerifierOf(o.verifier)
          : verifierOf(keys, verifierOptions),
    scopes: Object.freeze([...scopes]),
    realm,
    cookie,
    allowedOrigins,
    deviceSecret,
    clock,
    onError,
  })
}
