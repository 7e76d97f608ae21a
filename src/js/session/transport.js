// @ts-check
/**
 * The session's HTTP: POSTs to the login, refresh and logout endpoints (credentials included,
 * the CSRF header, the timeout), reading a token answer, and the table that turns an answer
 * into the outcome of one attempt. Nothing here holds state or emits events: a skew worth
 * telling the application about goes to `warn`, and the session decides what an outcome does.
 *
 * The outcome of one refresh attempt:
 *
 * | the answer                                             | outcome  | the round            |
 * |--------------------------------------------------------|----------|----------------------|
 * | 2xx `{ access_token }`, a readable, unexpired JWT      | `ok`     | installs it          |
 * | 2xx without a usable token (a captive portal page)     | `retry`  | backs off, retries   |
 * | 2xx with a `token_type` other than Bearer              | `fatal`  | fails at once        |
 * | 2xx with an encrypted token (JWE) but no `expires_in`  | `fatal`  | fails at once        |
 * | 401, or 400 `invalid_grant`                            | `dead`   | the session expires  |
 * | 408, 429, 5xx (`Retry-After` raises the wait)          | `retry`  | backs off, retries   |
 * | any other status (403, 404…)                           | `fatal`  | fails at once        |
 * | no answer: a network error or the timeout              | `retry`  | backs off, retries   |
 * | `options.refresh`: null, or throws 401, 400 `invalid_grant` or `ERR_SESSION_EXPIRED` | `dead` | the session expires |
 * | `options.refresh` throws anything else                 | `retry`  | backs off, retries   |
 */
import { inspect } from 'jwt-wasm/claims'
import { SessionError } from './errors.js'
import { estimateSkew, boundSkew, retryAfterSeconds, NOTABLE_SKEW_MS } from './time.js'
import { encryptedInfo } from './token.js'

/**
 * @typedef {import('./options.js').Resolved} Resolved
 * @typedef {import('./scheduler.js').Scheduler} Scheduler
 * @typedef {import('./index.js').SessionErrorCode} SessionErrorCode
 * @typedef {import('./index.js').WarningCode} WarningCode
 * @typedef {import('./token.js').Inspection} Inspection
 *
 * @typedef {{ kind: 'ok', token: string, info: Inspection, skew: number }
 *   | { kind: 'current' }
 *   | { kind: 'dead' | 'retry' | 'fatal', error: SessionError }} Outcome
 */

const REFRESH_FAILED = 'ERR_SESSION_REFRESH_FAILED'

/**
 * @param {unknown} e
 * @returns {boolean} true when an error thrown by `options.refresh` says the session is over
 */
const definitive = (e) =>
  (e instanceof SessionError && e.code === 'ERR_SESSION_EXPIRED') ||
  (!!e && typeof e === 'object' && refusedGrant(/** @type {any} */ (e).status, /** @type {any} */ (e).error))

/**
 * A refused grant: 400 `invalid_grant` (RFC 6749 §5.2, what authRoutes answers) or a 401 (what
 * other servers may answer).
 * @param {unknown} status
 * @param {unknown} error
 */
const refusedGrant = (status, error) => status === 401 || (status === 400 && error === 'invalid_grant')

/** @param {number} status */
const ok = (status) => status >= 200 && status < 300

/**
 * The session is over (`expired`): the refresh token, or `options.refresh`, says so.
 * @param {string} message
 * @param {{ status?: number, error?: string, cause?: unknown }} details
 */
const ended = (message, details) =>
  new SessionError(message, { code: 'ERR_SESSION_EXPIRED', reason: 'http', ...details })

export class Transport {
  #o
  #timers
  #skew
  #warn

  /**
   * @param {Resolved} o
   * @param {Scheduler} timers
   * @param {() => number} skew the session's current skew estimate (ms)
   * @param {(code: WarningCode, message: string, extra: Record<string, unknown>) => void} warn
   */
  constructor(o, timers, skew, warn) {
    this.#o = o
    this.#timers = timers
    this.#skew = skew
    this.#warn = warn
  }

  /**
   * POSTs `{ login, password }` to `loginUrl`. `ok`, or `fatal` with `ERR_SESSION_LOGIN_FAILED`
   * (`status`: 400 `invalid_grant` or 401 refused, 429 throttled with `retryAfter`, 0 no answer…). Never rejects.
   * @param {string} url
   * @param {string} login
   * @param {string} password
   * @returns {Promise<Outcome>}
   */
  async login(url, login, password) {
    const code = 'ERR_SESSION_LOGIN_FAILED'
    try {
      const { res, body, sentAt, receivedAt } = await this.#send(url, JSON.stringify({ login, password }), code)
      if (ok(res.status)) return this.#answer(body, { sentAt, receivedAt, date: res.headers.get('date') }, code)
      const error = typeof body?.error === 'string' ? body.error : undefined
      const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), receivedAt, this.#skew())
      const message = refusedGrant(res.status, error) ? 'the login was refused' : 'the login failed'
      return {
        kind: 'fatal',
        error: new SessionError(message, { code, status: res.status, error, reason: 'http', retryAfter }),
      }
    } catch (e) {
      return { kind: 'fatal', error: /** @type {SessionError} */ (e) }
    }
  }

  /**
   * One attempt against the refresh endpoint (or `options.refresh`), per the table above.
   * Never rejects.
   * @returns {Promise<Outcome>}
   */
  async refresh() {
    const o = this.#o
    const code = REFRESH_FAILED
    if (o.refresh) {
      const custom = o.refresh
      const sentAt = this.#timers.now()
      let result
      try {
        result = await this.#withTimeout((signal) => Promise.resolve(custom({ signal })), code)
      } catch (e) {
        if (definitive(e)) {
          const status = /** @type {any} */ (e).status === 400 ? 400 : 401
          return { kind: 'dead', error: ended('the session has ended', { status, cause: e }) }
        }
        if (e instanceof SessionError && e.reason === 'timeout') return { kind: 'retry', error: e }
        return {
          kind: 'retry',
          error: new SessionError('the refresh function failed', { code, reason: 'network', cause: e }),
        }
      }
      if (result === null || result === undefined) return { kind: 'dead', error: ended('the session has ended', {}) }
      return this.#answer(result, { sentAt, receivedAt: this.#timers.now(), date: result.date }, code)
    }
    let sent
    try {
      sent = await this.#send(o.refreshUrl, undefined, code)
    } catch (e) {
      return { kind: 'retry', error: /** @type {SessionError} */ (e) }
    }
    const { res, body, sentAt, receivedAt } = sent
    if (ok(res.status)) return this.#answer(body, { sentAt, receivedAt, date: res.headers.get('date') }, code)
    const error = typeof body?.error === 'string' ? body.error : undefined
    if (refusedGrant(res.status, error)) {
      return { kind: 'dead', error: ended('the refresh token is no longer valid', { status: res.status, error }) }
    }
    const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), receivedAt, this.#skew())
    const message = `the refresh endpoint answered ${res.status}`
    const failure = new SessionError(message, { code, status: res.status, error, reason: 'http', retryAfter })
    return { kind: res.status === 408 || res.status === 429 || res.status >= 500 ? 'retry' : 'fatal', error: failure }
  }

  /**
   * POSTs to `logoutUrl`: `revoked` true when the edge confirmed (2xx), false with the error
   * otherwise. Never rejects.
   * @param {string} url
   * @returns {Promise<{ revoked: boolean, error?: SessionError }>}
   */
  async logout(url) {
    const code = 'ERR_SESSION_LOGOUT_FAILED'
    try {
      const { res } = await this.#send(url, undefined, code)
      if (ok(res.status)) return { revoked: true }
      const error = new SessionError('the logout endpoint refused the request', {
        code,
        status: res.status,
        reason: 'http',
      })
      return { revoked: false, error }
    } catch (e) {
      return { revoked: false, error: /** @type {SessionError} */ (e) }
    }
  }

  /**
   * A POST to one of the endpoints: credentials included, the CSRF header, the timeout.
   * Rejects with a SessionError (`status` 0, `reason` `network` or `timeout`) when no answer came.
   * @param {string} url
   * @param {string | undefined} json
   * @param {SessionErrorCode} code
   */
  async #send(url, json, code) {
    const o = this.#o
    /** @type {Record<string, string>} */
    const headers = { accept: 'application/json', [o.csrfHeader.name]: o.csrfHeader.value }
    if (json !== undefined) headers['content-type'] = 'application/json'
    const sentAt = this.#timers.now()
    return this.#withTimeout(async (signal) => {
      let res
      try {
        res = await o.fetch(url, { method: 'POST', credentials: 'include', headers, body: json, signal })
      } catch (e) {
        throw new SessionError('the request failed', { code, status: 0, reason: 'network', cause: e })
      }
      const receivedAt = this.#timers.now()
      /** @type {any} */
      let body
      try {
        const text = await res.text()
        body = text === '' ? undefined : JSON.parse(text)
      } catch {
        body = undefined
      }
      return { res, body, sentAt, receivedAt }
    }, code)
  }

  /**
   * Runs `work` with an AbortSignal that fires after `timeout` seconds; rejects then with a
   * SessionError (`reason` `timeout`) even if `work` ignores the signal.
   * @template T
   * @param {(signal: AbortSignal) => Promise<T>} work
   * @param {SessionErrorCode} code
   * @returns {Promise<T>}
   */
  #withTimeout(work, code) {
    const controller = new AbortController()
    const timedOut = new SessionError('the request timed out', { code, status: 0, reason: 'timeout' })
    /** @type {unknown} */
    let timer
    const expiry = new Promise((_, reject) => {
      timer = this.#timers.setTimer(() => {
        reject(timedOut)
        controller.abort(timedOut)
      }, this.#o.timeout * 1000)
    })
    return /** @type {Promise<T>} */ (Promise.race([work(controller.signal), expiry])).finally(() =>
      this.#timers.clearTimer(timer),
    )
  }

  /**
   * Reads a token answer `{ access_token, token_type?, expires_in? }`, and the skew it tells. An
   * encrypted access token (JWE) has no readable `exp`: `expires_in` is then required, and its
   * times are counted from when the request was sent (the earliest it can have been minted).
   * @param {any} body
   * @param {{ sentAt: number, receivedAt: number, date?: string | number | null }} receipt
   * @param {SessionErrorCode} code
   * @returns {Outcome}
   */
  #answer(body, receipt, code) {
    const badAnswer = (/** @type {string} */ why, /** @type {unknown} */ cause) =>
      /** @type {Outcome} */ ({
        kind: 'retry',
        error: new SessionError(why, { code, status: 200, reason: 'bad_response', cause }),
      })
    const token = body?.access_token
    if (typeof token !== 'string' || token === '') return badAnswer('the answer has no access_token', undefined)
    if (body.token_type !== undefined && String(body.token_type).toLowerCase() !== 'bearer') {
      return {
        kind: 'fatal',
        error: new SessionError('the answer is not a Bearer token', { code, status: 200, reason: 'bad_response' }),
      }
    }
    /** @type {Inspection} */
    let info
    try {
      info = inspect(token, { currentDate: new Date(receipt.receivedAt) })
    } catch (e) {
      return badAnswer('the access_token is not a readable JWT', e)
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined
    if (info.encrypted && !(expiresIn !== undefined && expiresIn > 0 && expiresIn < Infinity)) {
      const why = 'an encrypted access_token needs expires_in'
      return { kind: 'fatal', error: new SessionError(why, { code, status: 200, reason: 'bad_response' }) }
    }
    const estimate = estimateSkew({ ...receipt, iat: info.iat, exp: info.exp, expiresIn })
    const skew = estimate === undefined ? this.#skew() : this.#bound(estimate)
    if (info.encrypted) {
      const iat = (receipt.sentAt + skew) / 1000
      info = encryptedInfo(info, iat, iat + /** @type {number} */ (expiresIn))
    }
    if (info.exp !== undefined && info.exp * 1000 <= receipt.receivedAt + skew) {
      return badAnswer('the access_token has already expired', undefined)
    }
    return { kind: 'ok', token, info, skew }
  }

  /** Clamps a skew estimate; a large one is worth one `warning`. @param {number} estimate */
  #bound(estimate) {
    const { skew, clamped } = boundSkew(estimate)
    if (clamped || Math.abs(skew) > NOTABLE_SKEW_MS) {
      const by = Math.round(estimate / 1000)
      const clamp = clamped ? ' (clamped to 24 h)' : ''
      const message = `this device's clock differs from the server's by about ${by} s; schedules use server time${clamp}`
      this.#warn('clock_skew', message, { skew: estimate })
    }
    return skew
  }
}
