// @ts-check
/**
 * The guard's RFC 6750 answers: the refusal codes, their static descriptions, the
 * `WWW-Authenticate: Bearer` challenges (`bearerChallenge`, exported by the package), and
 * `guardAnswers(realm, scopes)`, which computes every answer of one guard once:
 *
 * - no credentials: 401 with a bare challenge (no error code, RFC 6750 §3.1);
 * - a malformed header or cookie, two tokens: 400 `invalid_request`;
 * - a cross-site request to an unsafe method with the token from the cookie: 403 `invalid_request`;
 * - a verification failure or another device: 401 `invalid_token`;
 * - a missing scope: 403 `insufficient_scope` with `scope="..."`;
 * - the keys of a public-key verifier unavailable: 503 `temporarily_unavailable`, without a challenge;
 * - anything unexpected: 500 `server_error`, without a challenge.
 *
 * Descriptions never contain the token, a key, a claim value or an internal error message.
 */
import { bad } from '../internal/options.js'
import { isToken } from '../internal/encoding.js'
import { answer, serverError } from './http.js'

/** What may stand inside a quoted-string here: HTAB, SP and visible ASCII (no obs-text, no CTLs). */
export const QUOTABLE = /^[\t\x20-\x7e]*$/

/** The refusals that are not a verification error of the core. */
export const MISSING = 'missing'
export const MALFORMED_HEADER = 'malformed_header'
export const MALFORMED_COOKIE = 'malformed_cookie'
export const TWO_TOKENS = 'two_tokens'
export const DEVICE = 'device'
export const SCOPE = 'scope'
export const CROSS_SITE = 'cross_site'
/**
 * The errors of a key set that has no usable keys (keys/: fetch failed, timed out, too large, a
 * body or key the core refused: `ERR_JWKS_TIMEOUT`, `ERR_JWKS_FETCH_FAILED`, `ERR_JWKS_TOO_LARGE`,
 * `ERR_JWKS_INVALID`, `ERR_JWK_INVALID`). No token can be judged then, so none is called invalid: RFC 6750
 * §3.1's `invalid_token` would tell the client to drop a token that may be good. The answer is
 * 503 (RFC 9110 §15.6.4: a temporary overload or maintenance of the server), without a Bearer
 * challenge, with the error name RFC 6749 §4.1.2.1 gives a temporarily unavailable server.
 */
const UNAVAILABLE = /^ERR_JWKS?_(TIMEOUT|FETCH_FAILED|TOO_LARGE|INVALID)$/
/** The answers that are 400 `invalid_request`; every other refusal of a token is 401. */
const REQUEST_ERRORS = new Set([MALFORMED_HEADER, MALFORMED_COOKIE, TWO_TOKENS, CROSS_SITE])

/**
 * The `error_description` of every answer, static, by refusal code or core error code
 * (`code:claim` or `code:reason` where one code has several).
 * @type {Readonly<Record<string, string>>}
 */
const DESCRIPTIONS = Object.freeze({
  [MISSING]: 'This resource requires an access token',
  [MALFORMED_HEADER]: 'The Authorization header is malformed',
  [MALFORMED_COOKIE]: 'The access token cookie is malformed',
  [TWO_TOKENS]: 'The request carries more than one access token',
  [DEVICE]: 'The access token is bound to another device',
  [SCOPE]: 'The access token lacks a required scope',
  [CROSS_SITE]: 'The request origin is not allowed',
  ERR_JWS_INVALID: 'The access token is malformed',
  ERR_JWT_INVALID: 'The access token claims are malformed',
  ERR_JWT_TOO_LARGE: 'The access token is too large',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The access token algorithm is not allowed',
  ERR_JOSE_NOT_SUPPORTED: 'The access token uses an unsupported feature',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The access token signature is invalid',
  ERR_JWKS_NO_MATCHING_KEY: 'No key matches the access token',
  ERR_JWE_INVALID: 'The access token is not a valid encrypted token',
  ERR_JWE_DECRYPTION_FAILED: 'The access token could not be decrypted',
  ERR_JWT_EXPIRED: 'The access token expired',
  'ERR_JWT_EXPIRED:iat': 'The access token is too old',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'The access token failed a claim check',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:missing': 'The access token lacks a required claim',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:invalid': 'The access token has a malformed claim',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:iss': 'The access token issuer is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:sub': 'The access token subject is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:aud': 'The access token audience is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:typ': 'The access token type is not accepted',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:iat': 'The access token was issued in the future',
  'ERR_JWT_CLAIM_VALIDATION_FAILED:nbf': 'The access token is not yet valid',
})

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
    if (!isToken(name)) throw bad(`bearerChallenge: "${name}" is not a valid parameter name`)
    if (typeof value !== 'string' || !QUOTABLE.test(value)) {
      throw bad(`bearerChallenge: ${name} must be a string of visible ASCII characters, spaces and tabs`)
    }
    parts.push(`${name}="${value.replace(/[\\"]/g, '\\$&')}"`)
  }
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`
}

/**
 * The description key of a core verification error: `ERR_JWT_CLAIM_VALIDATION_FAILED:<claim>`
 * for a failed check (`:<reason>` for a missing or malformed claim), `ERR_JWT_EXPIRED:iat` for
 * `maxTokenAge`, else the code.
 * @param {import('jwt-wasm').JwtError} e
 * @returns {string}
 */
export function describedAs(e) {
  if (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
    return `${e.code}:${e.reason === 'check_failed' ? e.claim : e.reason}`
  if (e.code === 'ERR_JWT_EXPIRED' && e.claim === 'iat') return 'ERR_JWT_EXPIRED:iat'
  return e.code
}

/**
 * @typedef {object} GuardAnswers
 * @property {(refusal: string) => Response} refuse the answer to one of the refusal codes above
 * @property {(e: import('jwt-wasm').JwtError) => Response | undefined} refuseToken the 401 for a
 *   verification error; undefined for an error that is not the token's fault (engine not
 *   loaded, a bad key), which the caller treats as unexpected
 * @property {(e?: unknown) => Response} serverError the answer to an unexpected failure `e`: 503
 *   `temporarily_unavailable` when it is a key set's (`UNAVAILABLE`), else 500 `server_error`
 */

/**
 * Every answer of one guard, challenges and bodies computed once.
 * @param {string | undefined} realm
 * @param {readonly string[]} scopes the scopes the guard requires (for `insufficient_scope`)
 * @returns {GuardAnswers}
 */
export function guardAnswers(realm, scopes) {
  /** @type {Map<string, { status: number, challenge: string, body: object }>} */
  const answers = new Map()
  for (const [what, error_description] of Object.entries(DESCRIPTIONS)) {
    const request = REQUEST_ERRORS.has(what)
    const error =
      what === MISSING
        ? 'unauthorized'
        : what === SCOPE
          ? 'insufficient_scope'
          : request
            ? 'invalid_request'
            : 'invalid_token'
    const challenge =
      what === MISSING
        ? bearerChallenge({ realm })
        : bearerChallenge({ realm, error, error_description, scope: what === SCOPE ? scopes.join(' ') : undefined })
    const status = what === SCOPE || what === CROSS_SITE ? 403 : request ? 400 : 401
    answers.set(what, { status, challenge, body: Object.freeze({ error, error_description }) })
  }
  /** @param {{ status: number, challenge: string, body: object }} a */
  const respond = (a) => answer(a.status, a.body, { 'www-authenticate': a.challenge })
  return {
    refuse: (refusal) =>
      respond(/** @type {{ status: number, challenge: string, body: object }} */ (answers.get(refusal))),
    refuseToken(e) {
      const a =
        answers.get(describedAs(e)) ?? (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? answers.get(e.code) : undefined)
      return a && respond(a)
    },
    serverError: (e) =>
      UNAVAILABLE.test(/** @type {any} */ (e)?.code)
        ? answer(503, {
            error: 'temporarily_unavailable',
            error_description: 'The keys that verify access tokens are unavailable',
          })
        : serverError(),
  }
}
