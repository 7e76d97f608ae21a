// @ts-check
/**
 * The login throttle: its policy and its counters, in this isolate and bounded. Three kinds of
 * fixed-window failure counters, each in its own `BoundedMap` of at most `THROTTLE_ENTRIES`
 * (the oldest goes first; a counter goes when its window ends), each keyed by an HMAC under
 * `refreshSecret` (domain-separated), so no login, client address or cookie is kept in clear:
 *
 * - per known device: an attempt that carries a known-device cookie for the login it names
 *   (`./known-device.js`) is judged by that cookie's own counter (`maxDeviceFailures`) and by
 *   nothing else, so a browser that logged in before keeps getting in while others have locked
 *   the login; a device over its own budget is an unknown one from then on;
 * - per client, across all logins (`maxClientFailures`): every attempt from an unknown device
 *   counts against the client it comes from (`clientKey(request)`, by default `CF-Connecting-IP`,
 *   IPv6 grouped by /64; without one, a shared "unknown client" counter), so spraying many
 *   logins costs the sprayer;
 * - per login, for unknown devices (`maxFailures`): once a client's attempt is let through, it
 *   counts against the login too; over the budget, unknown devices wait (429) until the window
 *   ends. A client over its budget is refused before the login is counted: once its budget is
 *   spent, an attacker cannot add to any login's count.
 *
 * Every attempt counts when it is let through (so concurrent guesses count too); a success gives
 * the client's one back and clears the login's (or the device's) counter. Counting here, never
 * in the store, means a login attempt writes nothing and starts nothing before `verifyUser` has
 * said yes: random logins cannot grow the store.
 */
import { hmacSha256 } from '../internal/hmac.js'
import { BoundedMap } from './bounded.js'
import { knowsLogin } from './known-device.js'

/**
 * The most counters of each kind (login, client, device) one isolate keeps: about 2.5 MB each
 * when full (some 230 bytes a counter, measured in Node).
 */
export const THROTTLE_ENTRIES = 10_000

/**
 * A counter's key: an HMAC under `refreshSecret` of the domain-separated message.
 * @param {Uint8Array<ArrayBuffer>} secret
 * @param {string} message
 */
const counterKey = (secret, message) => hmacSha256(secret, `login-throttle\0${message}`)

/**
 * @typedef {{ count: number, resetAt: number }} ThrottleCount
 * @typedef {(request: Request) => string | null | undefined} ClientKey
 * @typedef {object} ThrottlePolicy
 * @property {number} windowSeconds the window of every counter
 * @property {number} maxFailures per login, attempts from unknown devices
 * @property {number} maxClientFailures per client, across logins, attempts from unknown devices
 * @property {number} maxDeviceFailures per known device
 * @property {ClientKey} clientKey the client a request comes from (null or undefined: unknown)
 * @typedef {{ retryAfter: number } | { retryAfter?: undefined, succeeded: () => void }} Attempt
 */

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
 * A login as the throttle and the known-device cookie see it: NFKC, trimmed, lower case.
 * @param {string} login
 */
export const normalisedLogin = (login) => login.normalize('NFKC').trim().toLowerCase()

/**
 * The default client of a request: its `CF-Connecting-IP` (set by Cloudflare, never by the
 * client), an IPv6 address grouped by its /64 (one subscriber's usual allocation), or null.
 * @param {Request} request
 * @returns {string | null}
 */
export function connectingAddress(request) {
  const ip = request.headers.get('cf-connecting-ip')
  return ip ? addressGroup(ip) : null
}

/**
 * An address as a client: IPv4 as it is; an IPv4 inside IPv6 (`::ffff:192.0.2.1`) as the IPv4;
 * any other IPv6 as its first four groups, `2001:db8:0:1::/64`; anything else unchanged.
 * @param {string} ip
 * @returns {string}
 */
export function addressGroup(ip) {
  const s = ip.trim().toLowerCase()
  if (!s.includes(':')) return s
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s)
  if (v4) return v4[1]
  const halves = s.split('%')[0].split('::')
  if (halves.length > 2) return s
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0
  if (zeros < 0 || head.length + zeros + tail.length !== 8) return s
  const groups = [...head, ...Array(zeros).fill('0'), ...tail]
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/** Fixed-window counters in one `BoundedMap`. */
export class WindowCounters {
  #map
  #windowSeconds

  /**
   * @param {number} windowSeconds
   * @param {number} [max] the most counters kept, `THROTTLE_ENTRIES` unless told
   */
  constructor(windowSeconds, max = THROTTLE_ENTRIES) {
    this.#map = new BoundedMap(max)
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

  /**
   * Gives one attempt back (a success), within the window it was counted in.
   * @param {string} key
   * @param {number} now
   */
  refund(key, now) {
    /** @type {ThrottleCount | undefined} */
    const c = this.#map.get(key, now)
    if (c && c.count > 0) c.count--
  }

  /** @param {string} key */
  clear(key) {
    this.#map.delete(key)
  }

  get size() {
    return this.#map.size
  }
}

/** The throttle of one `authRoutes`: the policy and its three kinds of counters. */
export class LoginThrottle {
  #policy
  /** Per login (unknown devices), per client, per known device. */
  logins
  clients
  devices

  /**
   * @param {Readonly<ThrottlePolicy>} policy
   * @param {number} [max] the most counters of each kind, `THROTTLE_ENTRIES` unless told
   */
  constructor(policy, max = THROTTLE_ENTRIES) {
    this.#policy = policy
    this.logins = new WindowCounters(policy.windowSeconds, max)
    this.clients = new WindowCounters(policy.windowSeconds, max)
    this.devices = new WindowCounters(policy.windowSeconds, max)
  }

  /**
   * Counts a login attempt, before `verifyUser`: `{ retryAfter }` (seconds, at least 1) when it
   * must wait, else `{ succeeded }`, to call once the login succeeded.
   * @param {Uint8Array<ArrayBuffer>} secret `refreshSecret`
   * @param {Request} request
   * @param {string} login as given
   * @param {string | undefined} knownDevice the known-device cookie's value, if one came
   * @param {number} now seconds
   * @returns {Promise<Attempt>}
   */
  async attempt(secret, request, login, knownDevice, now) {
    const policy = this.#policy
    const name = normalisedLogin(login)
    /** @param {ThrottleCount} c */
    const wait = (c) => ({ retryAfter: Math.max(1, Math.ceil(c.resetAt - now)) })
    if (knownDevice !== undefined && (await knowsLogin(secret, knownDevice, name))) {
      const device = await counterKey(secret, `device\0${knownDevice}`)
      if (this.devices.hit(device, now).count <= policy.maxDeviceFailures) {
        return { succeeded: () => this.devices.clear(device) }
      }
      // Over its own budget: an unknown device from here on.
    }
    const id = policy.clientKey(request)
    if (id !== null && id !== undefined && typeof id !== 'string') {
      throw new TypeError('options.loginThrottle.clientKey must return a string, null or undefined')
    }
    const client = await counterKey(secret, id ? `client\0${id}` : 'unknown-client')
    const byClient = this.clients.hit(client, now)
    if (byClient.count > policy.maxClientFailures) return wait(byClient)
    const key = await counterKey(secret, `login\0${name}`)
    const byLogin = this.logins.hit(key, now)
    if (byLogin.count > policy.maxFailures) return wait(byLogin)
    return {
      succeeded: () => {
        this.clients.refund(client, now)
        this.logins.clear(key)
      },
    }
  }
}
