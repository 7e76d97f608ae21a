// @ts-check
/**
 * The guard's decision for one request, in order: find the credentials, refuse a cross-site
 * unsafe request whose token came from the cookie, verify the token with the core, check the device binding, check the scopes. Resolves to the verified
 * `{ header, payload }` (deeply frozen) or to the `Response` that refuses the request; rejects
 * only on an unexpected failure (the engine not loaded, a bad key ring, a broken clock, a key set
 * that could not be fetched), which the caller reports and answers 500 (503 for the key set).
 */
import { JwtError } from 'jwt-wasm'
import { DEVICE_COOKIE, DEVICE_CLAIM, deviceHash } from './device.js'
import { readCookie } from './cookies.js'
import { sameString } from '../internal/hmac.js'
import { bearerCredentials } from './guard-credentials.js'
import { CROSS_SITE, DEVICE, SCOPE } from './guard-answers.js'
import { isCrossSiteUnsafe } from './http.js'

/**
 * @typedef {import('./guard-options.js').GuardConfig} GuardConfig
 * @typedef {import('./guard-answers.js').GuardAnswers} GuardAnswers
 * @typedef {import('./guard.js').GuardAuth} GuardAuth
 */

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
export function grantedScopes(payload) {
  const granted = new Set()
  if (typeof payload.scope === 'string') for (const s of payload.scope.split(' ')) if (s !== '') granted.add(s)
  if (Array.isArray(payload.scp)) for (const s of payload.scp) if (typeof s === 'string') granted.add(s)
  return granted
}

/**
 * Whether the request carries the device whose hash the token claims: exactly one non-empty
 * device cookie whose HMAC under the device secret is the token's `dvh`.
 * @param {Request} request
 * @param {Record<string, unknown>} payload
 * @param {Uint8Array<ArrayBuffer>} secret
 */
async function sameDevice(request, payload, secret) {
  const id = readCookie(request, DEVICE_COOKIE)
  const claimed = payload[DEVICE_CLAIM]
  if (typeof id !== 'string' || id === '' || typeof claimed !== 'string') return false
  return sameString(await deviceHash(secret, id), claimed)
}

/**
 * @param {Readonly<GuardConfig>} config
 * @param {GuardAnswers} answers
 * @param {Request} request
 * @param {unknown} env
 * @returns {Promise<GuardAuth | Response>}
 */
export async function decide(config, answers, request, env) {
  const credentials = bearerCredentials(request, config.cookie)
  if (credentials.refused !== undefined) return answers.refuse(credentials.refused)
  // A cookie goes with every request, also a cross-site one: no unsafe method on its word (CSRF).
  if (credentials.fromCookie && isCrossSiteUnsafe(request, config.allowedOrigins)) return answers.refuse(CROSS_SITE)
  const loaded = config.verifier(env)
  const verifier = loaded instanceof Promise ? await loaded : loaded
  let result
  try {
    // A public-key verifier is awaited (the runtime's crypto checks its signature); its key set
    // gets the request as the scope of its single flight.
    result = verifier.verifyAsync
      ? await verifier.verifyAsync(credentials.token, { now: config.clock?.(), scope: request })
      : await verifier.verify(credentials.token, config.clock ? { currentDate: config.clock() } : undefined)
  } catch (e) {
    if (!(e instanceof JwtError)) throw e
    const refused = answers.refuseToken(e)
    if (!refused) throw e // ERR_WASM_NOT_INITIALIZED, ERR_KEY_INVALID, a key set unavailable: not the token's fault
    return refused
  }
  const { header, payload } = result
  if (config.deviceSecret) {
    const pending = config.deviceSecret(env)
    const secret = pending instanceof Promise ? await pending : pending
    if (!(await sameDevice(request, payload, secret))) return answers.refuse(DEVICE)
  }
  if (config.scopes.length > 0) {
    const granted = grantedScopes(payload)
    if (!config.scopes.every((s) => granted.has(s))) return answers.refuse(SCOPE)
  }
  return deepFreeze({ header, payload })
}
