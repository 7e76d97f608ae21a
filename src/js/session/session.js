// @ts-check
/**
 * `createSession(options)`: the browser half of the login flow served by `jwt-wasm/edge`'s
 * `authRoutes` (or any endpoint answering `{ access_token, expires_in? }`).
 *
 * - The access token, and only it, is kept in sessionStorage (memory when that is unavailable);
 *   the refresh token stays in the edge's HttpOnly cookie, which JavaScript never sees.
 * - Claims are read with the wasm core's `inspect`, the same parser the edge verifies with.
 * - A refresh is due at `exp − refreshBefore − random(0..jitter)` in server time (the skew is
 *   estimated from each answer's `Date` and the token's `iat`). Timers are only early triggers,
 *   never longer than 30 s, and `getToken()` and the page's `visibilitychange`, `pageshow`,
 *   `focus` and `online` events compare the wall clock themselves, so a tab that slept catches up
 *   at once.
 * - One refresh at a time: callers in a tab share one promise; tabs take a Web Lock (fallbacks in
 *   coordination.js) and re-check, inside it, whether another tab already refreshed (its token
 *   arrives on a BroadcastChannel), so a rotated refresh token is never presented twice.
 * - Failures: network errors, timeouts, 408, 429 and 5xx are retried with exponential backoff and
 *   jitter (waiting for `online` when offline); a 401 (or 400 `invalid_grant`) is definitive and
 *   ends the session with `expired`; other answers (403, 404…) fail the round without retry.
 *
 * Nothing here runs at import: every global (sessionStorage, navigator, BroadcastChannel,
 * fetch, timers) is looked up inside `createSession`, from options with `globalThis` defaults.
 */
import { inspect, InvalidOptionsError } from 'jwt-wasm'
import { SessionError } from './errors.js'
import { openStore } from './storage.js'
import { estimateSkew, boundSkew, refreshPlan, backoffDelay, retryAfterSeconds, NOTABLE_SKEW_MS } from './time.js'
import { isInvalidTokenChallenge } from './http.js'
import { coordinator } from './coordination.js'

/**
 * @typedef {import('./index.js').SessionOptions} SessionOptions
 * @typedef {import('./index.js').SessionEventMap} SessionEventMap
 * @typedef {import('./index.js').ChangeReason} ChangeReason
 * @typedef {import('./index.js').WarningCode} WarningCode
 * @typedef {import('./index.js').SessionErrorReason} SessionErrorReason
 * @typedef {import('./index.js').SessionErrorCode} SessionErrorCode
 * @typedef {import('./index.js').StorageLike} StorageLike
 * @typedef {import('./index.js').LockManagerLike} LockManagerLike
 * @typedef {import('./index.js').ChannelLike} ChannelLike
 * @typedef {import('./index.js').RefreshResult} RefreshResult
 * @typedef {import('jwt-wasm').Inspection} Inspection
 *
 * @typedef {{
 *   refresh: ((context: { signal: AbortSignal }) => Promise<RefreshResult | null | undefined> | RefreshResult | null | undefined) | null,
 *   refreshUrl: string,
 *   loginUrl: string | null,
 *   logoutUrl: string | null,
 *   storage: () => StorageLike | null | undefined,
 *   memoryOnly: boolean,
 *   keyPrefix: string,
 *   refreshBefore: number,
 *   jitter: number,
 *   retry: { attempts: number, baseDelay: number, maxDelay: number },
 *   timeout: number,
 *   csrfHeader: { name: string, value: string },
 *   channelName: string,
 *   lockName: string,
 *   clock: () => number,
 *   setTimeout: (fn: () => void, ms: number) => unknown,
 *   clearTimeout: (handle: unknown) => void,
 *   fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
 *   locks: LockManagerLike | null,
 *   channel: ((name: string) => ChannelLike) | null,
 *   random: () => number,
 *   events: EventTarget | null,
 *   isOnline: () => boolean,
 *   apiOrigins: string[] | null,
 * }} Resolved
 *
 * @typedef {{ kind: 'ok', token: string, info: Inspection, skew: number }
 *   | { kind: 'current' }
 *   | { kind: 'dead' | 'retry' | 'fatal', error: SessionError }} Outcome
 *
 * @typedef {{ v: 1, type: string, from: string, tab: string, [field: string]: unknown }} Message
 */

/**
 * How long a tab that got the refresh lock waits for the result of a peer that announced a
 * refresh and has not said it finished (its messages may still be on their way: a lock grant
 * and a BroadcastChannel message travel separately), before refreshing itself.
 */
const PEER_WAIT_MS = 1000
const OPTIONS = new Set([
  'refresh',
  'refreshUrl',
  'loginUrl',
  'logoutUrl',
  'storage',
  'keyPrefix',
  'refreshBefore',
  'jitter',
  'retry',
  'timeout',
  'csrfHeader',
  'channelName',
  'lockName',
  'clock',
  'timers',
  'fetch',
  'locks',
  'channel',
  'random',
  'events',
  'isOnline',
  'apiOrigins',
])

const DEFAULTS = {
  refreshUrl: '/auth/refresh',
  loginUrl: '/auth/login',
  logoutUrl: '/auth/logout',
  keyPrefix: 'jwt-wasm:',
  refreshBefore: 60,
  jitter: 5,
  retry: { attempts: 5, baseDelay: 1, maxDelay: 60 },
  timeout: 5,
  csrfHeader: { name: 'X-Requested-With', value: 'jwt-wasm' },
  channelName: 'jwt-wasm',
  lockName: 'jwt-wasm:refresh',
}

/** The longest a timer is set for: past it, the wall clock is compared again (sleep-proofing). */
export const TICK_MS = 30_000
/** A due token with at least this much left is still handed out while the refresh runs. */
export const MIN_VALIDITY_MS = 5_000
/** How long a tab that found a tab id in its storage listens for the tab it may be a copy of. */
export const HANDSHAKE_MS = 150
/** How long a recognised copy waits for its parent's token before refreshing itself. */
export const COPY_WAIT_MS = 2_000
/** The events of `options.events` that make the session look at the clock again. */
const WAKE_EVENTS = /** @type {const} */ (['visibilitychange', 'pageshow', 'focus', 'online'])
/** setTimeout's ceiling (2^31 − 1 ms). */
const MAX_TIMER_MS = 2_147_483_647
/** An RFC 9110 token (a header name). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** @param {string} message */
const bad = (message) => new InvalidOptionsError(message)

/**
 * @param {unknown} v
 * @param {string} what
 * @param {number} fallback
 * @param {number} min
 * @param {boolean} [exclusive] v must be above min, not equal
 */
function seconds(v, what, fallback, min, exclusive = false) {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (exclusive && v === min)) {
    throw bad(`options.${what} must be a number of seconds, ${exclusive ? 'above' : 'at least'} ${min}`)
  }
  return v
}

/**
 * @param {unknown} v
 * @param {string} what
 * @param {string | null} fallback
 * @param {boolean} nullable
 * @returns {string | null}
 */
function urlOption(v, what, fallback, nullable) {
  if (v === undefined) return fallback
  if (v === null && nullable) return null
  if (v instanceof URL) return v.href
  if (typeof v !== 'string' || v === '') throw bad(`options.${what} must be a URL string${nullable ? ' or null' : ''}`)
  return v
}

/**
 * @param {unknown} v
 * @param {string} what
 */
function fn(v, what) {
  if (typeof v !== 'function') throw bad(`options.${what} must be a function`)
  return /** @type {(...args: any[]) => any} */ (v)
}

/** A random id: 128 bits, hex. */
function newId() {
  const c = globalThis.crypto
  const bytes = new Uint8Array(16)
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * Validates the options and fills in the defaults (looked up on `globalThis` now, not at import).
 * Injected functions are wrapped so that they are called as plain functions: a native `fetch`
 * or `setTimeout` called as a method of an options object throws "Illegal invocation".
 * @param {SessionOptions | undefined} options
 * @returns {Resolved}
 */
function resolveOptions(options) {
  if (options === undefined) options = {}
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw bad('options must be an object')
  for (const k of Object.keys(options)) if (!OPTIONS.has(k)) throw bad(`options has an unknown option "${k}"`)
  const o = /** @type {Record<string, any>} */ (options)
  const g = /** @type {Record<string, any>} */ (globalThis)

  if (o.refresh !== undefined && o.refreshUrl !== undefined) throw bad('give options.refresh or options.refreshUrl, not both')
  const refresh = o.refresh === undefined ? null : fn(o.refresh, 'refresh')

  let memoryOnly = false
  /** @type {() => StorageLike | null | undefined} */
  let storage = () => g.sessionStorage
  if (o.storage === null) memoryOnly = true
  else if (o.storage !== undefined) {
    const s = o.storage
    if (typeof s !== 'object' || typeof s.getItem !== 'function' || typeof s.setItem !== 'function' || typeof s.removeItem !== 'function') {
      throw bad('options.storage must be a Storage (getItem, setItem, removeItem) or null for memory')
    }
    storage = () => s
  }

  const keyPrefix = o.keyPrefix ?? DEFAULTS.keyPrefix
  if (typeof keyPrefix !== 'string') throw bad('options.keyPrefix must be a string')

  const r = o.retry ?? {}
  if (!r || typeof r !== 'object' || Object.keys(r).some((k) => k !== 'attempts' && k !== 'baseDelay' && k !== 'maxDelay')) {
    throw bad('options.retry must be { attempts?, baseDelay?, maxDelay? }')
  }
  const attempts = r.attempts ?? DEFAULTS.retry.attempts
  if (!Number.isInteger(attempts) || attempts < 1) throw bad('options.retry.attempts must be an integer, at least 1')
  const baseDelay = seconds(r.baseDelay, 'retry.baseDelay', DEFAULTS.retry.baseDelay, 0, true)
  const maxDelay = seconds(r.maxDelay, 'retry.maxDelay', Math.max(DEFAULTS.retry.maxDelay, baseDelay), baseDelay)

  const csrf = o.csrfHeader ?? DEFAULTS.csrfHeader
  if (!csrf || typeof csrf !== 'object' || typeof csrf.name !== 'string' || !HEADER_NAME.test(csrf.name) || typeof csrf.value !== 'string' || csrf.value === '') {
    throw bad('options.csrfHeader must be { name, value }: a header name and a non-empty value')
  }

  const name = (/** @type {unknown} */ v, /** @type {string} */ what, /** @type {string} */ fallback) => {
    if (v === undefined) return fallback
    if (typeof v !== 'string' || v === '') throw bad(`options.${what} must be a non-empty string`)
    return v
  }

  const clock = o.clock === undefined ? () => Date.now() : fn(o.clock, 'clock')
  const timers = o.timers ?? { setTimeout: g.setTimeout, clearTimeout: g.clearTimeout }
  if (!timers || typeof timers.setTimeout !== 'function' || typeof timers.clearTimeout !== 'function') {
    throw bad('options.timers must be { setTimeout, clearTimeout }')
  }
  const st = timers.setTimeout
  const ct = timers.clearTimeout
  const f = o.fetch === undefined ? g.fetch : fn(o.fetch, 'fetch')
  const random = o.random === undefined ? Math.random : fn(o.random, 'random')

  /** @type {LockManagerLike | null} */
  let locks = o.locks === undefined ? (g.navigator?.locks ?? null) : o.locks
  if (locks !== null && (typeof locks !== 'object' || typeof locks.request !== 'function')) throw bad('options.locks must be a LockManager (request) or null')

  /** @type {((name: string) => ChannelLike) | null} */
  let channel = null
  if (o.channel === undefined) {
    if (typeof g.BroadcastChannel === 'function') channel = (n) => new g.BroadcastChannel(n)
  } else if (o.channel !== null) {
    const make = fn(o.channel, 'channel')
    channel = (n) => make(n)
  }

  /** @type {EventTarget | null} */
  let events = o.events === undefined ? (typeof g.addEventListener === 'function' ? /** @type {EventTarget} */ (globalThis) : null) : o.events
  if (events !== null && (typeof events !== 'object' && typeof events !== 'function' || typeof events.addEventListener !== 'function')) {
    throw bad('options.events must be an EventTarget or null')
  }

  const isOnline = o.isOnline === undefined ? () => g.navigator?.onLine !== false : fn(o.isOnline, 'isOnline')

  /** @type {string[] | null} */
  let apiOrigins = null
  if (o.apiOrigins === undefined) {
    const origin = g.location?.origin
    if (typeof origin === 'string' && origin !== 'null') apiOrigins = [origin]
  } else if (o.apiOrigins !== null) {
    if (!Array.isArray(o.apiOrigins) || !o.apiOrigins.every((/** @type {unknown} */ s) => typeof s === 'string')) {
      throw bad('options.apiOrigins must be an array of origins, or null for any')
    }
    apiOrigins = o.apiOrigins.map((/** @type {string} */ s) => {
      let origin = 'null'
      try {
        origin = new URL(s).origin
      } catch {
        // not a URL
      }
      if (origin === 'null' || origin !== s) throw bad('options.apiOrigins must hold origins like "https://api.example" (no path)')
      return origin
    })
  }

  return {
    refresh,
    refreshUrl: /** @type {string} */ (urlOption(o.refreshUrl, 'refreshUrl', DEFAULTS.refreshUrl, false)),
    loginUrl: urlOption(o.loginUrl, 'loginUrl', DEFAULTS.loginUrl, true),
    logoutUrl: urlOption(o.logoutUrl, 'logoutUrl', DEFAULTS.logoutUrl, true),
    storage,
    memoryOnly,
    keyPrefix,
    refreshBefore: seconds(o.refreshBefore, 'refreshBefore', DEFAULTS.refreshBefore, 0),
    jitter: seconds(o.jitter, 'jitter', DEFAULTS.jitter, 0),
    retry: { attempts, baseDelay, maxDelay },
    timeout: seconds(o.timeout, 'timeout', DEFAULTS.timeout, 0, true),
    csrfHeader: { name: csrf.name, value: csrf.value },
    channelName: name(o.channelName, 'channelName', DEFAULTS.channelName),
    lockName: name(o.lockName, 'lockName', DEFAULTS.lockName),
    clock: () => Number(clock()),
    setTimeout: (cb, ms) => st(cb, ms),
    clearTimeout: (h) => ct(h),
    fetch: typeof f === 'function' ? (input, init) => f(input, init) : () => Promise.reject(new TypeError('fetch is not available: pass options.fetch')),
    locks,
    channel,
    random: () => random(),
    events,
    isOnline: () => isOnline() !== false,
    apiOrigins,
  }
}

/**
 * True when token info `a` was minted after `b` (by `iat`, then `exp`).
 * @param {{ iat?: number, exp?: number }} a
 * @param {{ iat?: number, exp?: number }} b
 */
function newer(a, b) {
  const ai = a.iat ?? -Infinity
  const bi = b.iat ?? -Infinity
  return ai > bi || (ai === bi && (a.exp ?? Infinity) > (b.exp ?? Infinity))
}

/**
 * @param {{ startedAt: number, from: string }} a
 * @param {{ startedAt: number, from: string }} b
 * @returns {boolean} true when `a` started before `b`
 */
const older = (a, b) => a.startedAt < b.startedAt || (a.startedAt === b.startedAt && a.from < b.from)

/**
 * @param {unknown} e
 * @returns {boolean} true when an error thrown by `options.refresh` says the session is over
 */
const definitive = (e) =>
  (e instanceof SessionError && e.code === 'ERR_SESSION_EXPIRED') || (!!e && typeof e === 'object' && /** @type {any} */ (e).status === 401)

/** @param {unknown} e */
const endedError = (e) => e instanceof SessionError && (e.code === 'ERR_SESSION_EXPIRED' || e.code === 'ERR_SESSION_ENDED')

/**
 * Creates a session. See index.d.ts for the options, methods and events.
 * @param {SessionOptions} [options]
 */
export function createSession(options) {
  return new Session(options)
}

class Session extends EventTarget {
  /** @type {Resolved} */
  #o
  /** @type {import('./storage.js').SessionStore} */
  #store
  /** @type {import('./coordination.js').Coordinator} */
  #coord
  /** @type {ChannelLike | null} */
  #channel = null
  #tokenKey
  #tabKey
  /** This object's id (messages from it are ignored by it; lease tie-breaks). */
  #instance = newId()
  /** The tab's id, kept in sessionStorage, so a copied tab starts with its parent's. */
  #tabId
  /** @type {string | null} */
  #duplicateOf = null
  #startedAt
  /** @type {string | null} */
  #token = null
  /** @type {Inspection | null} */
  #info = null
  #skew = 0
  #refreshAt = Infinity
  #expiresAt = Infinity
  /** @type {Promise<string> | null} */
  #inflight = null
  /** Bumped by logout, expiry and close: work started before is dropped. */
  #epoch = 0
  /** After a logout, only a login (here or in another tab) brings a token back. */
  #loggedOut = false
  /** After a failed round, the background does not try again before this (client ms). */
  #nextTryAt = 0
  /** @type {unknown} */
  #timer = undefined
  #closed = false
  /** @type {Set<() => void>} sleeping retries and waits, woken by `online`, a token, an end */
  #wakers = new Set()
  /** @type {Promise<void>} */
  #handshake = Promise.resolve()
  #handshakeDone = () => {}
  /** This tab owns its id: a fresh id, or the handshake found no live tab with it. */
  #established = false
  #copyWaitUntil = 0
  /** Peers (instance ids) that announced a refresh and have not announced its end, with when. */
  #peersRefreshing = new Map()
  /** @type {Set<string>} */
  #warned = new Set()
  /** @type {[string, () => void][]} */
  #listeners = []
  /** @type {(event: MessageEvent) => void} */
  #onMessage

  /** @param {SessionOptions | undefined} options */
  constructor(options) {
    super()
    const o = resolveOptions(options)
    this.#o = o
    this.#tokenKey = `${o.keyPrefix}access_token`
    this.#tabKey = `${o.keyPrefix}tab`
    this.#startedAt = o.clock()
    this.#store = openStore(
      o.storage,
      `${o.keyPrefix}probe`,
      (cause) => this.#warn('storage_unavailable', 'sessionStorage is unavailable or failing: the access token is kept in memory (this tab only, lost on reload)', { cause }),
      o.memoryOnly,
    )

    this.#onMessage = (event) => this.#message(event?.data)
    if (o.channel) {
      try {
        const ch = o.channel(o.channelName)
        if (typeof ch.addEventListener === 'function') ch.addEventListener('message', /** @type {EventListener} */ (this.#onMessage))
        else ch.onmessage = this.#onMessage
        this.#channel = ch
      } catch (e) {
        this.#warn('channel_unavailable', 'BroadcastChannel is unavailable: tabs do not share tokens or logouts', { cause: e })
      }
    }
    this.#coord = coordinator({
      locks: o.locks,
      lockName: o.lockName,
      post: this.#channel ? (m) => this.#post(m) : null,
      instance: this.#instance,
      now: () => o.clock(),
      setTimer: (cb, ms) => this.#setTimer(cb, ms),
      clearTimer: (h) => o.clearTimeout(h),
      leaseMs: o.timeout * 1000 + 1000,
      onLockFailure: (cause) => this.#warn('locks_unavailable', 'Web Locks failed: refreshes are serialised within this tab only; racing tabs rely on the server grace window', { coordination: 'none', cause }),
    })
    if (this.#coord.mode === 'broadcast-lease') {
      this.#warn('locks_unavailable', 'Web Locks are unavailable: tabs serialise refreshes with a BroadcastChannel lease (best effort; the server grace window covers a lost race)', { coordination: 'broadcast-lease' })
    } else if (this.#coord.mode === 'none') {
      this.#warn('locks_unavailable', 'Web Locks and BroadcastChannel are unavailable: cross-tab serialisation is off; racing tabs rely on the server grace window', { coordination: 'none' })
    }

    const existing = this.#store.get(this.#tabKey)
    this.#tabId = existing ?? newId()
    if (existing === null) this.#store.set(this.#tabKey, this.#tabId)
    this.#established = existing === null || !this.#channel

    const stored = this.#store.get(this.#tokenKey)
    if (stored !== null) {
      try {
        // No receipt to estimate the skew from: 0 until the next answer.
        this.#install(stored, inspect(stored, { currentDate: new Date(o.clock()) }), 0)
      } catch {
        this.#store.remove(this.#tokenKey)
      }
    }

    if (o.events) {
      for (const type of WAKE_EVENTS) {
        const listener = () => this.#wakeUp(type)
        o.events.addEventListener(type, listener)
        this.#listeners.push([type, listener])
      }
    }

    if (this.#channel) {
      this.#post({ type: 'hello', startedAt: this.#startedAt })
      // Only a tab that found an id can be a copy (sessionStorage is copied with the tab).
      if (existing !== null) {
        this.#handshake = new Promise((resolve) => {
          const done = () => {
            o.clearTimeout(timer)
            this.#established = true
            resolve()
          }
          const timer = this.#setTimer(done, HANDSHAKE_MS)
          this.#handshakeDone = done
        })
      }
    }
  }

  // ---- public ----

  /** The current access token (as stored; not refreshed, maybe expired), or null. */
  get token() {
    return this.#token
  }

  /** The current token's payload (read with `inspect`, unverified), or null. */
  get claims() {
    return this.#info ? this.#info.payload : null
  }

  /** Where the current token's refresh point and expiry fall on the client clock (ms), and the skew. */
  get timing() {
    return this.#token === null ? null : { expiresAt: this.#expiresAt, refreshAt: this.#refreshAt, skew: this.#skew }
  }

  /** What the session runs on. */
  get mode() {
    return { storage: this.#store.kind, coordination: this.#coord.mode, channel: this.#channel !== null }
  }

  /** This tab's id, and the id of the tab it was recognised as a copy of. */
  get tab() {
    return { id: this.#tabId, duplicateOf: this.#duplicateOf }
  }

  /**
   * A valid access token, or null when there is no session. Refreshes when the token is due:
   * a due token with at least 5 s left is returned at once while the refresh runs in the
   * background; an expired one waits for the refresh (shared by every caller).
   * @returns {Promise<string | null>}
   */
  async getToken() {
    const token = this.#token
    if (token === null) return this.#inflight ? this.#awaitRefresh() : null
    const now = this.#now()
    if (now < this.#refreshAt) return token
    if (now < this.#expiresAt - MIN_VALIDITY_MS) {
      if (!this.#inflight && now >= this.#nextTryAt) this.#background()
      return token
    }
    return this.#awaitRefresh()
  }

  /**
   * Refreshes now (or joins the refresh in flight). Resolves to the new token; rejects with a
   * `SessionError`: `ERR_SESSION_EXPIRED` (the session ended), `ERR_SESSION_REFRESH_FAILED`,
   * `ERR_SESSION_ENDED` (logged out or closed meanwhile).
   * @returns {Promise<string>}
   */
  refresh() {
    return this.#refresh()
  }

  /**
   * On page load: true when a token is available afterwards. With a usable token in storage it
   * resolves at once; without one (a new tab, a reload after the token expired) one refresh
   * (the refresh cookie) brings the tab back in. False when there is no session; rejects with
   * `ERR_SESSION_REFRESH_FAILED` when the refresh endpoint could not be reached.
   * @returns {Promise<boolean>}
   */
  async resume() {
    const now = this.#now()
    if (this.#token !== null && now < this.#expiresAt - MIN_VALIDITY_MS) {
      if (now >= this.#refreshAt && !this.#inflight) this.#background()
      return true
    }
    if (this.#loggedOut && this.#token === null && !this.#inflight) {
      // An explicit logout in this session object: do not log back in by cookie.
      return false
    }
    return (await this.#awaitRefresh()) !== null
  }

  /**
   * POSTs `{ login, password }` to `loginUrl`. Resolves to the new token's claims; rejects with
   * a `SessionError` `ERR_SESSION_LOGIN_FAILED` (`status`: 401 wrong credentials, 429
   * throttled with `retryAfter`, 0 no answer…).
   * @param {string} login
   * @param {string} password
   * @returns {Promise<Record<string, unknown>>}
   */
  async login(login, password) {
    if (typeof login !== 'string' || typeof password !== 'string') throw new TypeError('login(login, password) takes two strings')
    const o = this.#o
    const url = o.loginUrl
    if (url === null) throw new SessionError('this session has no loginUrl', { code: 'ERR_SESSION_LOGIN_FAILED', reason: 'http', status: 0 })
    const outcome = await this.#coord.run(async () => {
      /** @type {Outcome} */
      let result
      try {
        const { res, body, sentAt, receivedAt } = await this.#send(url, JSON.stringify({ login, password }), 'ERR_SESSION_LOGIN_FAILED')
        if (res.status >= 200 && res.status < 300) {
          result = this.#answer(body, { sentAt, receivedAt, date: res.headers.get('date') }, 'ERR_SESSION_LOGIN_FAILED')
        } else {
          const error = typeof body?.error === 'string' ? body.error : undefined
          const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), receivedAt, this.#skew)
          result = {
            kind: 'fatal',
            error: new SessionError(res.status === 401 ? 'the login was refused' : 'the login failed', { code: 'ERR_SESSION_LOGIN_FAILED', status: res.status, error, reason: 'http', retryAfter }),
          }
        }
      } catch (e) {
        result = { kind: 'fatal', error: /** @type {SessionError} */ (e) }
      }
      if (result.kind === 'ok') {
        this.#install(result.token, result.info, result.skew)
        this.#loggedOut = false
        this.#post({ type: 'token', token: result.token, skew: result.skew, reason: 'login' })
      }
      return result
    })
    if (outcome.kind !== 'ok') throw /** @type {{ error: SessionError }} */ (outcome).error
    this.#emit('change', { token: outcome.token, claims: outcome.info.payload, reason: 'login' })
    return outcome.info.payload
  }

  /**
   * Ends the session: clears this tab's token at once, tells every tab (which clear theirs),
   * then POSTs to `logoutUrl` so the edge revokes the refresh token and clears its cookie.
   * Never rejects: `revoked` says whether the edge confirmed (on failure an `error` event with
   * `ERR_SESSION_LOGOUT_FAILED` is emitted too: the refresh cookie may still be alive).
   * @returns {Promise<{ revoked: boolean | null }>}
   */
  async logout() {
    const had = this.#token !== null
    this.#epoch++
    this.#loggedOut = true
    this.#clear()
    this.#post({ type: 'logout' })
    if (had) this.#emit('change', { token: null, claims: null, reason: 'logout' })
    const url = this.#o.logoutUrl
    /** @type {boolean | null} */
    let revoked = null
    /** @type {SessionError | undefined} */
    let error
    if (url !== null) {
      try {
        const { res } = await this.#send(url, undefined, 'ERR_SESSION_LOGOUT_FAILED')
        revoked = res.status >= 200 && res.status < 300
        if (!revoked) error = new SessionError('the logout endpoint refused the request', { code: 'ERR_SESSION_LOGOUT_FAILED', status: res.status, reason: 'http' })
      } catch (e) {
        revoked = false
        error = /** @type {SessionError} */ (e)
      }
    }
    this.#emit('logout', { source: 'local', revoked })
    if (error) this.#emit('error', { error, attempts: 1 })
    return { revoked }
  }

  /**
   * `fetch` with `Authorization: Bearer <token>` (only for `apiOrigins`). On a 401 whose
   * `WWW-Authenticate` is a Bearer challenge with `error="invalid_token"`, refreshes once
   * (shared) and retries once with a clone of the request taken before it was sent (so the body
   * is replayed). Any other answer, other 401s and 403 included, is returned untouched.
   * @param {RequestInfo | URL} input
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  async fetch(input, init) {
    const request = new Request(input, init)
    if (!this.#mayCarryToken(request.url)) return this.#o.fetch(request)
    const spare = request.clone()
    const token = await this.getToken()
    if (token === null) return this.#o.fetch(request)
    request.headers.set('authorization', `Bearer ${token}`)
    const response = await this.#o.fetch(request)
    if (response.status !== 401 || !isInvalidTokenChallenge(response.headers.get('www-authenticate'))) return response
    /** @type {string | null} */
    let fresh
    try {
      // Another caller may have refreshed while this request was out.
      fresh = this.#token !== null && this.#token !== token && this.#now() < this.#expiresAt ? this.#token : await this.#refresh()
    } catch {
      return response
    }
    if (fresh === null || fresh === token) return response
    await response.body?.cancel().catch(() => {})
    spare.headers.set('authorization', `Bearer ${fresh}`)
    return this.#o.fetch(spare)
  }

  /**
   * Stops the timers, the page listeners and the channel. Work in flight ends (`getToken`
   * waiting on it resolves null). The token stays in storage for the next session object.
   */
  close() {
    if (this.#closed) return
    this.#closed = true
    this.#epoch++
    this.#cancelTimer()
    for (const [type, listener] of this.#listeners) this.#o.events?.removeEventListener(type, listener)
    this.#listeners = []
    if (this.#channel) {
      try {
        if (typeof this.#channel.removeEventListener === 'function') this.#channel.removeEventListener('message', /** @type {EventListener} */ (this.#onMessage))
        this.#channel.close()
      } catch {
        // already closed
      }
      this.#channel = null
    }
    this.#handshakeDone()
    this.#wake()
  }

  // ---- refresh ----

  /** @returns {Promise<string>} */
  #refresh() {
    if (this.#inflight) return this.#inflight
    const run = this.#round().finally(() => {
      if (this.#inflight === run) {
        this.#inflight = null
        this.#schedule()
      }
    })
    this.#inflight = run
    this.#cancelTimer()
    return run
  }

  /** @returns {Promise<string | null>} */
  async #awaitRefresh() {
    try {
      return await this.#refresh()
    } catch (e) {
      if (endedError(e)) return null
      throw e
    }
  }

  #background() {
    this.#refresh().catch(() => {}) // reported as events
  }

  /**
   * One refresh round: up to `retry.attempts` attempts, each inside the cross-tab lock, each
   * re-checking first whether a token arrived from elsewhere meanwhile.
   * @returns {Promise<string>}
   */
  async #round() {
    const epoch = this.#epoch
    const before = this.#token
    await this.#handshake
    /** @type {SessionError} */
    let last
    let attempt = 0
    for (;;) {
      attempt++
      // A recognised copy lets its parent refresh the token they share, and adopts the result.
      while (before !== null && this.#token === before && this.#copyWaitUntil > this.#now()) {
        await this.#sleep(this.#copyWaitUntil - this.#now())
        this.#checkEpoch(epoch)
      }
      this.#checkEpoch(epoch)
      const outcome = await this.#coord.run(async () => {
        this.#checkEpoch(epoch)
        // The previous holder announced its refresh and has released the lock, but its result
        // may not have arrived yet: the lock grant and the channel message travel separately.
        // Its messages arrive in order, so wait (bounded) for its `refreshed`.
        const deadline = this.#now() + PEER_WAIT_MS
        while (this.#peersRefreshing.size > 0 && this.#now() < deadline) {
          await this.#sleep(deadline - this.#now())
          this.#checkEpoch(epoch)
        }
        this.#peersRefreshing.clear()
        // The double check: another tab (or a login) may have brought a token while this one waited.
        if (this.#token !== null && this.#token !== before && !this.#due()) return /** @type {Outcome} */ ({ kind: 'current' })
        this.#post({ type: 'refreshing' })
        try {
          const result = await this.#callRefresh()
          if (result.kind === 'ok') {
            this.#checkEpoch(epoch) // logged out while the request was out: drop the answer
            this.#install(result.token, result.info, result.skew)
            this.#loggedOut = false
            this.#post({ type: 'token', token: result.token, skew: result.skew, reason: 'refresh' })
          }
          return result
        } finally {
          this.#post({ type: 'refreshed' })
        }
      })
      this.#checkEpoch(epoch)
      if (outcome.kind === 'current') return /** @type {string} */ (this.#token)
      if (outcome.kind === 'ok') {
        this.#emit('change', { token: outcome.token, claims: outcome.info.payload, reason: 'refresh' })
        this.#emit('refresh', { token: outcome.token, claims: outcome.info.payload, expiresAt: this.#expiresAt, refreshAt: this.#refreshAt, skew: this.#skew })
        return outcome.token
      }
      if (outcome.kind === 'dead') {
        // Lost a race rather than revoked? A newer token from elsewhere says so.
        if (this.#token !== null && this.#token !== before && this.#now() < this.#expiresAt) return this.#token
        this.#end('invalid_grant', outcome.error)
        throw outcome.error
      }
      last = outcome.error
      if (outcome.kind === 'fatal' || attempt >= this.#o.retry.attempts) break
      // Offline: wait for `online` (which wakes the sleep), at most maxDelay.
      const delay = this.#o.isOnline() ? backoffDelay(attempt, this.#o.retry, this.#o.random, last.retryAfter) : this.#o.retry.maxDelay
      await this.#sleep(delay * 1000)
      this.#checkEpoch(epoch)
    }
    const error = new SessionError('the refresh failed', {
      code: 'ERR_SESSION_REFRESH_FAILED',
      status: last.status,
      error: last.error,
      reason: last.reason,
      retryAfter: last.retryAfter,
      attempts: attempt,
      cause: last.cause ?? last,
    })
    this.#nextTryAt = this.#now() + this.#o.retry.maxDelay * 1000
    this.#emit('error', { error, attempts: attempt })
    throw error
  }

  /**
   * One attempt against the refresh endpoint (or `options.refresh`).
   * @returns {Promise<Outcome>}
   */
  async #callRefresh() {
    const o = this.#o
    const code = 'ERR_SESSION_REFRESH_FAILED'
    if (o.refresh) {
      const custom = o.refresh
      const sentAt = this.#now()
      let result
      try {
        result = await this.#withTimeout((signal) => Promise.resolve(custom({ signal })), code)
      } catch (e) {
        if (definitive(e)) return { kind: 'dead', error: new SessionError('the session has ended', { code: 'ERR_SESSION_EXPIRED', status: 401, reason: 'http', cause: e }) }
        if (e instanceof SessionError && e.reason === 'timeout') return { kind: 'retry', error: e }
        return { kind: 'retry', error: new SessionError('the refresh function failed', { code, reason: 'network', cause: e }) }
      }
      if (result === null || result === undefined) return { kind: 'dead', error: new SessionError('the session has ended', { code: 'ERR_SESSION_EXPIRED', reason: 'http' }) }
      return this.#answer(result, { sentAt, receivedAt: this.#now(), date: result.date }, code)
    }
    let sent
    try {
      sent = await this.#send(o.refreshUrl, undefined, code)
    } catch (e) {
      return { kind: 'retry', error: /** @type {SessionError} */ (e) }
    }
    const { res, body, sentAt, receivedAt } = sent
    if (res.status >= 200 && res.status < 300) return this.#answer(body, { sentAt, receivedAt, date: res.headers.get('date') }, code)
    const error = typeof body?.error === 'string' ? body.error : undefined
    if (res.status === 401 || (res.status === 400 && error === 'invalid_grant')) {
      return { kind: 'dead', error: new SessionError('the refresh token is no longer valid', { code: 'ERR_SESSION_EXPIRED', status: res.status, error, reason: 'http' }) }
    }
    const retryAfter = retryAfterSeconds(res.headers.get('retry-after'), receivedAt, this.#skew)
    const failure = new SessionError(`the refresh endpoint answered ${res.status}`, { code, status: res.status, error, reason: 'http', retryAfter })
    return { kind: res.status === 408 || res.status === 429 || res.status >= 500 ? 'retry' : 'fatal', error: failure }
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
    const sentAt = this.#now()
    return this.#withTimeout(async (signal) => {
      let res
      try {
        res = await o.fetch(url, { method: 'POST', credentials: 'include', headers, body: json, signal })
      } catch (e) {
        throw new SessionError('the request failed', { code, status: 0, reason: 'network', cause: e })
      }
      const receivedAt = this.#now()
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
      timer = this.#setTimer(() => {
        reject(timedOut)
        controller.abort(timedOut)
      }, this.#o.timeout * 1000)
    })
    return /** @type {Promise<T>} */ (Promise.race([work(controller.signal), expiry])).finally(() => this.#o.clearTimeout(timer))
  }

  /**
   * Reads a token answer `{ access_token, token_type?, expires_in? }`.
   * @param {any} body
   * @param {{ sentAt: number, receivedAt: number, date?: string | number | null }} receipt
   * @param {SessionErrorCode} code
   * @returns {Outcome}
   */
  #answer(body, receipt, code) {
    const badAnswer = (/** @type {string} */ why, /** @type {unknown} */ cause) => /** @type {Outcome} */ ({ kind: 'retry', error: new SessionError(why, { code, status: 200, reason: 'bad_response', cause }) })
    const token = body?.access_token
    if (typeof token !== 'string' || token === '') return badAnswer('the answer has no access_token', undefined)
    if (body.token_type !== undefined && String(body.token_type).toLowerCase() !== 'bearer') {
      return { kind: 'fatal', error: new SessionError('the answer is not a Bearer token', { code, status: 200, reason: 'bad_response' }) }
    }
    /** @type {Inspection} */
    let info
    try {
      info = inspect(token, { currentDate: new Date(receipt.receivedAt) })
    } catch (e) {
      return badAnswer('the access_token is not a readable JWT', e)
    }
    const estimate = estimateSkew({ ...receipt, iat: info.iat, exp: info.exp, expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined })
    const skew = estimate === undefined ? this.#skew : this.#boundSkew(estimate)
    if (info.exp !== undefined && info.exp * 1000 <= receipt.receivedAt + skew) return badAnswer('the access_token has already expired', undefined)
    return { kind: 'ok', token, info, skew }
  }

  /** @param {number} estimate */
  #boundSkew(estimate) {
    const { skew, clamped } = boundSkew(estimate)
    if (clamped || Math.abs(skew) > NOTABLE_SKEW_MS) {
      this.#warn('clock_skew', `this device's clock differs from the server's by about ${Math.round(estimate / 1000)} s; schedules use server time${clamped ? ' (clamped to 24 h)' : ''}`, { skew: estimate })
    }
    return skew
  }

  // ---- state ----

  /**
   * @param {string} token
   * @param {Inspection} info
   * @param {number} skew
   */
  #install(token, info, skew) {
    const o = this.#o
    this.#token = token
    this.#info = info
    this.#skew = skew
    const plan = refreshPlan({ exp: info.exp, iat: info.iat, skew, now: this.#now(), refreshBefore: o.refreshBefore, jitter: o.jitter, random: o.random })
    this.#refreshAt = plan.refreshAt
    this.#expiresAt = plan.expiresAt
    this.#nextTryAt = 0
    this.#store.set(this.#tokenKey, token)
    if (info.exp === undefined) this.#warn('no_exp', 'the access token has no exp: it is never refreshed before the server refuses it')
    this.#wake()
    this.#schedule()
  }

  #clear() {
    this.#token = null
    this.#info = null
    this.#refreshAt = Infinity
    this.#expiresAt = Infinity
    this.#nextTryAt = 0
    this.#store.remove(this.#tokenKey)
    this.#cancelTimer()
    this.#wake()
  }

  /**
   * The session ended without a logout: the refresh token is dead.
   * @param {'invalid_grant' | 'broadcast'} reason
   * @param {SessionError} error
   */
  #end(reason, error) {
    const info = this.#info
    this.#epoch++
    this.#clear()
    if (!info) return // nothing was held: nothing expired (e.g. resume() in a logged-out tab)
    if (reason === 'invalid_grant') this.#post({ type: 'expired', iat: info.iat, exp: info.exp })
    this.#emit('change', { token: null, claims: null, reason: 'expired' })
    this.#emit('expired', { reason, error })
  }

  #due() {
    return this.#now() >= this.#refreshAt
  }

  /** @param {number} epoch */
  #checkEpoch(epoch) {
    if (epoch !== this.#epoch) throw new SessionError('the session was logged out or closed meanwhile', { code: 'ERR_SESSION_ENDED' })
  }

  /** @param {string} url */
  #mayCarryToken(url) {
    const origins = this.#o.apiOrigins
    return origins === null || origins.includes(new URL(url).origin)
  }

  // ---- time ----

  #now() {
    return this.#o.clock()
  }

  /**
   * @param {() => void} cb
   * @param {number} ms
   */
  #setTimer(cb, ms) {
    return this.#o.setTimeout(cb, Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms))))
  }

  #cancelTimer() {
    if (this.#timer !== undefined) {
      this.#o.clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  /** Sets the early trigger: at the refresh point (or the next try), at most 30 s away. */
  #schedule() {
    this.#cancelTimer()
    if (this.#closed || this.#token === null || this.#inflight) return
    const at = Math.max(this.#refreshAt, this.#nextTryAt)
    if (at === Infinity) return
    this.#timer = this.#setTimer(() => {
      this.#timer = undefined
      this.#evaluate(false)
    }, Math.min(at - this.#now(), TICK_MS))
  }

  /**
   * Looks at the wall clock: refreshes when due, else sets the next trigger.
   * @param {boolean} online an `online` event: try at once even after a failed round
   */
  #evaluate(online) {
    if (this.#closed || this.#token === null || this.#inflight) return
    const now = this.#now()
    if (now < this.#refreshAt || (!online && now < this.#nextTryAt)) return this.#schedule()
    this.#background()
  }

  /** @param {(typeof WAKE_EVENTS)[number]} type */
  #wakeUp(type) {
    if (type === 'online') {
      this.#nextTryAt = 0
      this.#wake()
    }
    this.#evaluate(type === 'online')
  }

  /**
   * Resolves after `ms`, or earlier when woken (`online`, a token arriving, an end).
   * @param {number} ms
   * @returns {Promise<void>}
   */
  #sleep(ms) {
    return new Promise((resolve) => {
      const done = () => {
        this.#wakers.delete(done)
        this.#o.clearTimeout(timer)
        resolve()
      }
      const timer = this.#setTimer(done, ms)
      this.#wakers.add(done)
    })
  }

  #wake() {
    for (const w of [...this.#wakers]) w()
  }

  // ---- tabs ----

  /** @param {Record<string, unknown>} m */
  #post(m) {
    if (!this.#channel || this.#closed) return
    try {
      this.#channel.postMessage({ v: 1, from: this.#instance, tab: this.#tabId, ...m })
    } catch {
      // a closed channel: nothing to tell
    }
  }

  /** @param {unknown} data */
  #message(data) {
    if (this.#closed || !data || typeof data !== 'object') return
    const m = /** @type {Message} */ (data)
    if (m.v !== 1 || typeof m.from !== 'string' || m.from === this.#instance || typeof m.type !== 'string') return
    const self = { startedAt: this.#startedAt, from: this.#instance }
    switch (m.type) {
      case 'lease':
      case 'release':
        this.#coord.onMessage(/** @type {any} */ (m))
        break
      case 'hello':
        // A tab starting with this tab's id. An established tab keeps its id; between two tabs
        // still starting (a restored pair of duplicates), the one that started first does.
        if (m.tab === this.#tabId && typeof m.startedAt === 'number') {
          if (this.#established || older(self, { startedAt: m.startedAt, from: m.from })) this.#post({ type: 'taken', startedAt: this.#startedAt })
          else this.#becomeCopy()
        }
        break
      case 'taken':
        // Also late (a busy parent answering after the handshake timed out): the tab that
        // started first keeps the id.
        if (m.tab === this.#tabId && (!this.#established || (typeof m.startedAt === 'number' && older({ startedAt: m.startedAt, from: m.from }, self)))) this.#becomeCopy()
        break
      case 'sync':
        // A copy of this tab asks for the token; if it is due, this tab refreshes now and the
        // copy adopts the result.
        if (m.to === this.#tabId && this.#token !== null) {
          this.#post({ type: 'token', token: this.#token, skew: this.#skew, reason: 'sync' })
          this.#evaluate(false)
        }
        break
      case 'refreshing':
        this.#peersRefreshing.set(m.from, this.#now())
        break
      case 'refreshed':
        this.#peersRefreshing.delete(m.from)
        this.#wake()
        break
      case 'token':
        this.#adopt(m)
        this.#wake()
        break
      case 'expired':
        if (this.#info && !newer(this.#info, { iat: /** @type {any} */ (m.iat), exp: /** @type {any} */ (m.exp) })) {
          this.#end('broadcast', new SessionError('the session ended in another tab', { code: 'ERR_SESSION_EXPIRED', reason: 'broadcast' }))
        }
        break
      case 'logout': {
        const had = this.#token !== null
        this.#epoch++
        this.#loggedOut = true
        this.#clear()
        if (had) this.#emit('change', { token: null, claims: null, reason: 'logout' })
        this.#emit('logout', { source: 'broadcast', revoked: null })
        break
      }
    }
  }

  /**
   * A token from another tab: taken unless it is older than ours (and, after a logout, only
   * when it comes from a login).
   * @param {Message} m
   */
  #adopt(m) {
    const token = m.token
    if (typeof token !== 'string' || token === this.#token) return
    if (this.#loggedOut && m.reason !== 'login') return
    /** @type {Inspection} */
    let info
    try {
      info = inspect(token, { currentDate: new Date(this.#now()) })
    } catch {
      return
    }
    const skew = typeof m.skew === 'number' && Number.isFinite(m.skew) ? boundSkew(m.skew).skew : this.#skew
    if (this.#info && newer(this.#info, info)) return // older than ours
    if (info.exp !== undefined && info.exp * 1000 <= this.#now() + skew) return
    this.#install(token, info, skew)
    this.#loggedOut = false
    this.#emit('change', { token, claims: info.payload, reason: 'broadcast' })
  }

  /** Another live tab has this tab's id: this one is its copy. */
  #becomeCopy() {
    if (this.#duplicateOf !== null) return
    this.#duplicateOf = this.#tabId
    this.#tabId = newId()
    this.#store.set(this.#tabKey, this.#tabId)
    this.#copyWaitUntil = this.#now() + COPY_WAIT_MS
    // Ask the parent for its token (it may be newer than the copied one).
    this.#post({ type: 'sync', to: this.#duplicateOf })
    this.#handshakeDone()
  }

  // ---- events ----

  /**
   * @template {keyof SessionEventMap} K
   * @param {K} type
   * @param {SessionEventMap[K]['detail']} detail
   */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  /**
   * One `warning` per code, dispatched in a microtask (so listeners added right after
   * `createSession` hear the ones found while it ran).
   * @param {WarningCode} code
   * @param {string} message
   * @param {Record<string, unknown>} [extra]
   */
  #warn(code, message, extra) {
    if (this.#warned.has(code)) return
    this.#warned.add(code)
    queueMicrotask(() => this.#emit('warning', /** @type {any} */ ({ code, message, ...extra })))
  }
}
