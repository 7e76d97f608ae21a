// @ts-check
/**
 * The options of `createSession`: checked once and resolved, defaults filled in, into the
 * `Resolved` record the other rooms of the session read. Globals (sessionStorage, navigator,
 * BroadcastChannel, fetch, timers, location) are looked up here, when a session is created,
 * never at import. The rules themselves (seconds, known keys, functions, origins) are the
 * internal kit's.
 */
import { bad, object, seconds, optionalString, originList, fn } from '../internal/options.js'
import { isToken } from '../internal/encoding.js'
import { REFRESH_DEADLINE } from '../internal/grace.js'

/**
 * @typedef {import('./index.js').SessionOptions} SessionOptions
 * @typedef {import('./index.js').StorageLike} StorageLike
 * @typedef {import('./index.js').LockManagerLike} LockManagerLike
 * @typedef {import('./index.js').ChannelLike} ChannelLike
 * @typedef {import('./index.js').RefreshResult} RefreshResult
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
 *   refreshDeadline: number,
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
 */

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
  'refreshDeadline',
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
const RETRY_OPTIONS = new Set(['attempts', 'baseDelay', 'maxDelay'])

const DEFAULTS = {
  refreshUrl: '/auth/refresh',
  loginUrl: '/auth/login',
  logoutUrl: '/auth/logout',
  keyPrefix: 'jwt-wasm:',
  refreshBefore: 60,
  jitter: 5,
  retry: { attempts: 5, baseDelay: 1, maxDelay: 60 },
  timeout: 5,
  refreshDeadline: REFRESH_DEADLINE,
  csrfHeader: { name: 'X-Requested-With', value: 'jwt-wasm' },
  channelName: 'jwt-wasm',
  lockName: 'jwt-wasm:refresh',
}

/**
 * An endpoint: a URL string (kept as given, so a relative path resolves against the page) or a
 * URL; `null` when `nullable` (no such endpoint).
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
 * Validates the options and fills in the defaults (looked up on `globalThis` now, not at import).
 * Injected functions are wrapped so that they are called as plain functions: a native `fetch`
 * or `setTimeout` called as a method of an options object throws "Illegal invocation".
 * @param {SessionOptions | undefined} options
 * @returns {Resolved}
 */
export function resolveOptions(options) {
  const o = object(options === undefined ? {} : options, 'options', OPTIONS)
  const g = /** @type {Record<string, any>} */ (globalThis)

  if (o.refresh !== undefined && o.refreshUrl !== undefined)
    throw bad('give options.refresh or options.refreshUrl, not both')
  const refresh = o.refresh === undefined ? null : fn(o.refresh, 'options.refresh')

  let memoryOnly = false
  /** @type {() => StorageLike | null | undefined} */
  let storage = () => g.sessionStorage
  if (o.storage === null) memoryOnly = true
  else if (o.storage !== undefined) {
    const s = o.storage
    if (
      typeof s !== 'object' ||
      typeof s.getItem !== 'function' ||
      typeof s.setItem !== 'function' ||
      typeof s.removeItem !== 'function'
    ) {
      throw bad('options.storage must be a Storage (getItem, setItem, removeItem) or null for memory')
    }
    storage = () => s
  }

  const keyPrefix = o.keyPrefix ?? DEFAULTS.keyPrefix
  if (typeof keyPrefix !== 'string') throw bad('options.keyPrefix must be a string')

  const r = object(o.retry ?? {}, 'options.retry', RETRY_OPTIONS)
  const attempts = r.attempts ?? DEFAULTS.retry.attempts
  if (!Number.isInteger(attempts) || attempts < 1) throw bad('options.retry.attempts must be an integer, at least 1')
  const baseDelay = seconds(r.baseDelay, 'options.retry.baseDelay', DEFAULTS.retry.baseDelay, {
    min: 0,
    exclusive: true,
  })
  const maxDelay = seconds(r.maxDelay, 'options.retry.maxDelay', Math.max(DEFAULTS.retry.maxDelay, baseDelay), {
    min: baseDelay,
  })

  const timeout = seconds(o.timeout, 'options.timeout', DEFAULTS.timeout, { min: 0, exclusive: true })
  const refreshDeadline = seconds(o.refreshDeadline, 'options.refreshDeadline', DEFAULTS.refreshDeadline, {
    min: 0,
    exclusive: true,
  })
  // Retries asked for that the deadline could never let out: a timed-out attempt ends past it.
  if (attempts > 1 && timeout >= refreshDeadline) {
    throw bad(
      `options.timeout (${timeout} s) leaves no retry inside options.refreshDeadline (${refreshDeadline} s): lower timeout, or raise refreshDeadline together with the edge's graceSeconds (refreshDeadline + 5 ≤ graceSeconds)`,
    )
  }

  const csrf = o.csrfHeader ?? DEFAULTS.csrfHeader
  if (!csrf || typeof csrf !== 'object' || !isToken(csrf.name) || typeof csrf.value !== 'string' || csrf.value === '') {
    throw bad('options.csrfHeader must be { name, value }: a header name and a non-empty value')
  }

  const clock = o.clock === undefined ? () => Date.now() : fn(o.clock, 'options.clock')
  const timers = o.timers ?? { setTimeout: g.setTimeout, clearTimeout: g.clearTimeout }
  if (!timers || typeof timers.setTimeout !== 'function' || typeof timers.clearTimeout !== 'function') {
    throw bad('options.timers must be { setTimeout, clearTimeout }')
  }
  const st = timers.setTimeout
  const ct = timers.clearTimeout
  const f = o.fetch === undefined ? g.fetch : fn(o.fetch, 'options.fetch')
  const random = o.random === undefined ? Math.random : fn(o.random, 'options.random')
  const noFetch = () => Promise.reject(new TypeError('fetch is not available: pass options.fetch'))

  /** @type {LockManagerLike | null} */
  const locks = o.locks === undefined ? (g.navigator?.locks ?? null) : o.locks
  if (locks !== null && (typeof locks !== 'object' || typeof locks.request !== 'function')) {
    throw bad('options.locks must be a LockManager (request) or null')
  }

  /** @type {((name: string) => ChannelLike) | null} */
  let channel = null
  if (o.channel === undefined) {
    if (typeof g.BroadcastChannel === 'function') channel = (n) => new g.BroadcastChannel(n)
  } else if (o.channel !== null) {
    const make = fn(o.channel, 'options.channel')
    channel = (n) => make(n)
  }

  const page = typeof g.addEventListener === 'function' ? /** @type {EventTarget} */ (globalThis) : null
  /** @type {EventTarget | null} */
  const events = o.events === undefined ? page : o.events
  if (
    events !== null &&
    ((typeof events !== 'object' && typeof events !== 'function') || typeof events.addEventListener !== 'function')
  ) {
    throw bad('options.events must be an EventTarget or null')
  }

  const isOnline = o.isOnline === undefined ? () => g.navigator?.onLine !== false : fn(o.isOnline, 'options.isOnline')

  /** @type {string[] | null} null: any origin */
  let apiOrigins = null
  if (o.apiOrigins === undefined) {
    const origin = g.location?.origin
    if (typeof origin === 'string' && origin !== 'null') apiOrigins = [origin]
  } else if (o.apiOrigins !== null) {
    // An empty list is kept: the token goes to no origin at all.
    apiOrigins = originList(o.apiOrigins, 'options.apiOrigins', 'https://api.example', { empty: true })
  }

  return {
    refresh,
    refreshUrl: /** @type {string} */ (urlOption(o.refreshUrl, 'refreshUrl', DEFAULTS.refreshUrl, false)),
    loginUrl: urlOption(o.loginUrl, 'loginUrl', DEFAULTS.loginUrl, true),
    logoutUrl: urlOption(o.logoutUrl, 'logoutUrl', DEFAULTS.logoutUrl, true),
    storage,
    memoryOnly,
    keyPrefix,
    refreshBefore: seconds(o.refreshBefore, 'options.refreshBefore', DEFAULTS.refreshBefore),
    jitter: seconds(o.jitter, 'options.jitter', DEFAULTS.jitter),
    retry: { attempts, baseDelay, maxDelay },
    timeout,
    refreshDeadline,
    csrfHeader: { name: csrf.name, value: csrf.value },
    channelName: optionalString(o.channelName, 'options.channelName') ?? DEFAULTS.channelName,
    lockName: optionalString(o.lockName, 'options.lockName') ?? DEFAULTS.lockName,
    clock: () => Number(clock()),
    setTimeout: (cb, ms) => st(cb, ms),
    clearTimeout: (h) => ct(h),
    fetch: typeof f === 'function' ? (input, init) => f(input, init) : noFetch,
    locks,
    channel,
    random: () => random(),
    events,
    isOnline: () => isOnline() !== false,
    apiOrigins,
  }
}
