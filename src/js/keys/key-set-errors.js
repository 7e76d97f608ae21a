// @ts-check
/**
 * The errors of key sets (JavaScript only: the fetch, its time and size, the shape of a body), in
 * the style of ../errors.js: each a subclass of `JwtError` bound to its stable code, with a static
 * message that never echoes a URL, a body or a key. `ERR_JWKS_INVALID` is also the core's code
 * for a key set it refuses (the protocol's error 14): `kind` registers this class for it, so the
 * verifier's `fromCore` answers with the same class.
 */
import { kind } from '../errors.js'

/** The key set did not answer within `timeout` milliseconds (jose's code). */
export const JWKSTimeout = kind('JWKSTimeout', 'ERR_JWKS_TIMEOUT', 'the key set request timed out')

/** The key set was larger than `maxBytes` (by its Content-Length or while reading it). */
export const JWKSTooLarge = kind('JWKSTooLarge', 'ERR_JWKS_TOO_LARGE', 'the key set response is too large')

/** The key set is not JSON of its format's shape (a JWKS: an object with a `keys` array of objects; x509: an object of PEM strings), or the verifier refused it. */
export const JWKSInvalid = kind('JWKSInvalid', 'ERR_JWKS_INVALID', 'the key set is not a valid key set')

const FetchFailedBase = kind('JWKSFetchFailed', 'ERR_JWKS_FETCH_FAILED', 'the key set could not be fetched')

/**
 * The key set could not be fetched: a network error (`status` 0, `cause` the error), a redirect
 * (refused: `status` 3xx) or another non-2xx answer (`status`).
 */
export class JWKSFetchFailed extends FetchFailedBase {
  /**
   * @param {string} [message]
   * @param {ErrorOptions & { status?: number }} [options]
   */
  constructor(message, options) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    /** @type {number} the HTTP status, 0 when there was no answer */
    this.status = options?.status ?? 0
  }
}
