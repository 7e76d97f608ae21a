// @ts-check
/**
 * The login throttle's counters, in this isolate and bounded: one failure counter per login
 * (keyed by an HMAC of the normalised login, so no login is kept in clear), a fixed window that
 * starts at the first attempt after the previous window ended, at most `THROTTLE_ENTRIES`
 * counters (the oldest goes first; a counter goes when its window ends). Counting here, never in
 * the store, means a login attempt writes nothing and starts nothing before `verifyUser` has
 * said yes: random logins cannot grow the store. The policy (every attempt counts, a success
 * clears, more than `maxFailures` in the window answers 429) is the handlers'.
 */
import { hmacSha256 } from '../internal/hmac.js'
import { BoundedMap } from './bounded.js'

/** The most login counters one isolate keeps (about 1.5 MB at most). */
export const THROTTLE_ENTRIES = 10_000

/** @typedef {{ count: number, resetAt: number }} ThrottleCount */

/**
 * The fixed-window counter rule: a new window of `windowSeconds` starts at the first hit after
 * the previous one ended.
 * @param {ThrottleCount | null | undefined} counter
 * @param {number} windowSeconds
 * @param {number} now
 * @returns {ThrottleCount}
 */
export function hitCounter(counter, windowSeconds, now) {
  if (!counter || now >= counter.resetAt) return { count: 1, resetAt: now + windowSeconds }
  return { count: counter.count + 1, resetAt: counter.resetAt }
}

/**
 * The key of a login's counter: the login normalised (NFKC, trimmed, lower case) under an HMAC.
 * @param {Uint8Array<ArrayBuffer>} refreshSecret
 * @param {string} login
 */
export const throttleKey = (refreshSecret, login) =>
  hmacSha256(refreshSecret, `login-throttle\0${login.normalize('NFKC').trim().toLowerCase()}`)

/** The counters of one `authRoutes`. */
export class LoginCounters {
  #map = new BoundedMap(THROTTLE_ENTRIES)
  #windowSeconds

  /** @param {number} windowSeconds */
  constructor(windowSeconds) {
    this.#windowSeconds = windowSeconds
  }

  /**
   * Counts one more attempt for `key` at `now` (seconds).
   * @param {string} key
   * @param {number} now
   * @returns {ThrottleCount}
   */
  hit(key, now) {
    const c = hitCounter(this.#map.get(key, now), this.#windowSeconds, now)
    this.#map.set(key, c, c.resetAt, now)
    return { ...c }
  }

  /** @param {string} key */
  clear(key) {
    this.#map.delete(key)
  }

  get size() {
    return this.#map.size
  }
}
