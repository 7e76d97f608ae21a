// @ts-check
/**
 * The error class of jwt-wasm/session. Every failure the session reports (a rejected promise or
 * the `detail.error` of an `error`/`expired` event) is a `SessionError` with a stable `code`.
 * Messages are static: they never contain a token, a password or a response body.
 */

/**
 * @typedef {import('./index.js').SessionErrorCode} SessionErrorCode
 * @typedef {import('./index.js').SessionErrorReason} SessionErrorReason
 */

export class SessionError extends Error {
  /**
   * @param {string} message
   * @param {{
   *   code: SessionErrorCode, status?: number, error?: string, reason?: SessionErrorReason,
   *   retryAfter?: number, attempts?: number, cause?: unknown,
   * }} options
   */
  constructor(message, options) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    /** @type {'SessionError'} */
    this.name = 'SessionError'
    /** @type {SessionErrorCode} */
    this.code = options.code
    /** @type {number | undefined} The HTTP status, when an endpoint answered (0: no answer). */
    this.status = options.status
    /** @type {string | undefined} The OAuth `error` field of the answer, e.g. `invalid_grant`. */
    this.error = options.error
    /** @type {SessionErrorReason | undefined} */
    this.reason = options.reason
    /** @type {number | undefined} Seconds, from a `Retry-After` header. */
    this.retryAfter = options.retryAfter
    /** @type {number | undefined} Attempts made, for `ERR_SESSION_REFRESH_FAILED`. */
    this.attempts = options.attempts
  }
}

/**
 * The error of a refresh round that gave up: the last attempt's details (its error as the cause)
 * and how many attempts were made.
 * @param {SessionError} last
 * @param {number} attempts
 */
export function roundFailed(last, attempts) {
  const { status, error, reason, retryAfter } = last
  const cause = last.cause ?? last
  return new SessionError('the refresh failed', {
    code: 'ERR_SESSION_REFRESH_FAILED',
    status,
    error,
    reason,
    retryAfter,
    attempts,
    cause,
  })
}

/**
 * Whether `e` says the session is over (expired, or logged out or closed meanwhile), rather than
 * that a refresh failed.
 * @param {unknown} e
 */
export const isEnded = (e) =>
  e instanceof SessionError && (e.code === 'ERR_SESSION_EXPIRED' || e.code === 'ERR_SESSION_ENDED')

/** The error of work dropped because the session was logged out or closed while it ran. */
export const sessionEnded = () =>
  new SessionError('the session was logged out or closed meanwhile', { code: 'ERR_SESSION_ENDED' })

/** The error of a round that does not present a refresh token that may be spent (`HeldToken.spent`). */
export const refreshLost = () =>
  new SessionError('a refresh went unanswered: the refresh token may be spent and is not presented again', {
    code: 'ERR_SESSION_REFRESH_FAILED',
    status: 0,
    reason: 'timeout',
  })

/**
 * The end of a session whose refresh token may be spent, once its token is no longer usable.
 * @param {SessionError} cause
 */
export const endedUnanswered = (cause) =>
  new SessionError('the session ended: a refresh went unanswered past the grace window', {
    code: 'ERR_SESSION_EXPIRED',
    reason: 'timeout',
    cause,
  })

/** `login()` of a session created with `loginUrl: null`. */
export const noLoginUrl = () =>
  new SessionError('this session has no loginUrl', { code: 'ERR_SESSION_LOGIN_FAILED', reason: 'http', status: 0 })
