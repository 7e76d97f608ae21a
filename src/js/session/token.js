// @ts-check
/**
 * The token a tab holds, kept in step with storage: the access token, its claims (read with the
 * wasm core's `inspect`: unverified), the skew it came with, where its refresh point and expiry
 * fall on the client clock, and when a failed round may be tried again. Also the rules that
 * compare it with a token another tab sends. When it changes is the session's decision; this
 * room only records it. An encrypted token (JWE) cannot be read here: its claims are `null` and
 * its times (`iat`, `exp`, server seconds) are those its token answer told (`expires_in`), kept
 * beside it in storage and sent with it to other tabs.
 */
import { inspect } from 'jwt-wasm/claims'
import { boundSkew, refreshPlan } from './time.js'

/**
 * @typedef {{ header: any, payload?: any, exp?: number, iat?: number, encrypted?: boolean }} Inspection
 *   what the session knows of a token: `inspect`'s result, or `encryptedInfo`'s
 * @typedef {import('./storage.js').SessionStore} SessionStore
 * @typedef {import('./options.js').Resolved} Resolved
 * @typedef {import('./tabs.js').Message} Message
 */

/** A due token with at least this much left is still handed out while the refresh runs. */
export const MIN_VALIDITY_MS = 5_000

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
 * What the session knows of an encrypted token: its protected header and the times its token
 * answer told (server seconds); its claims are unreadable (`payload` null).
 * @param {{ header: any }} read `inspect`'s `{ encrypted: true, header }`
 * @param {number} iat
 * @param {number} exp
 * @returns {Inspection}
 */
export const encryptedInfo = (read, iat, exp) => ({ encrypted: true, header: read.header, payload: null, iat, exp })

/**
 * Reads a token: `inspect`'s view; for a JWE, `times` (from storage or another tab), without
 * which it is unusable (throws): two numbers, `exp` after `iat` (as a positive `expires_in`
 * gives them); anything else is not its times.
 * @param {string} token
 * @param {number} now client ms
 * @param {{ iat?: any, exp?: any, [field: string]: unknown }} times
 * @returns {Inspection}
 */
function readToken(token, now, times) {
  const info = inspect(token, { currentDate: new Date(now) })
  if (!info.encrypted) return info
  const { iat, exp } = times
  // Thrown, then caught: the token is not used.
  if (!Number.isFinite(iat) || !Number.isFinite(exp) || !(exp > iat)) throw new TypeError()
  return encryptedInfo(info, iat, exp)
}

export class HeldToken {
  /** @type {string | null} */
  #token = null
  /** @type {Inspection | null} */
  #info = null
  #skew = 0
  #refreshAt = Infinity
  #expiresAt = Infinity
  #store
  #key
  #o
  /** After a failed round, the background does not try again before this (client ms). */
  nextTryAt = 0
  /**
   * Client ms when a refresh attempt that went unanswered (timed out) was sent, by this tab or
   * another (they share the refresh cookie); null when none since this token arrived. The edge
   * may have rotated the refresh token then; past `refreshDeadline` after it (the edge's grace
   * window, less transit) presenting it again would be reuse: it is `spent`. Kept beside the
   * token in storage (a reload keeps it); a new token (from any tab) clears it.
   * @type {number | null}
   */
  unansweredAt = null

  /**
   * @param {SessionStore} store
   * @param {string} key where the token is kept
   * @param {Pick<Resolved, 'refreshBefore' | 'jitter' | 'random' | 'refreshDeadline'>} o
   */
  constructor(store, key, o) {
    this.#store = store
    this.#key = key
    this.#o = o
  }

  /** The access token, or null. */
  get token() {
    return this.#token
  }

  /** Its `inspect` result, or null. */
  get info() {
    return this.#info
  }

  /** ms, serverNow ≈ clientNow + skew: the last estimate (0 before any answer). */
  get skew() {
    return this.#skew
  }

  /** Client ms. */
  get refreshAt() {
    return this.#refreshAt
  }

  /** Client ms. */
  get expiresAt() {
    return this.#expiresAt
  }

  /**
   * The token kept in storage by an earlier page of this tab (a reload), read; null when there
   * is none, and when it is not a readable JWT (it is dropped); undefined, and kept, while the
   * claims wasm is not loaded yet (a browser page that has not awaited its `ready`).
   * @param {number} now client ms
   * @returns {{ token: string, info: Inspection } | null | undefined}
   */
  restore(now) {
    const token = this.#store.get(this.#key)
    if (token === null) return null
    const [iat, exp] = (this.#store.get(`${this.#key}:times`) ?? '').split(' ').map(Number)
    try {
      return { token, info: readToken(token, now, { iat, exp }) }
    } catch (e) {
      if (/** @type {any} */ (e).code === 'ERR_WASM_NOT_INITIALIZED') return undefined
      this.#store.remove(this.#key)
      return null
    }
  }

  /**
   * Holds a new token, and plans its refresh.
   * @param {string} token
   * @param {Inspection} info
   * @param {number} skew
   * @param {number} now client ms
   */
  set(token, info, skew, now) {
    this.#token = token
    this.#info = info
    this.#skew = skew
    const { refreshBefore, jitter, random } = this.#o
    const plan = refreshPlan({ exp: info.exp, iat: info.iat, skew, now, refreshBefore, jitter, random })
    this.#refreshAt = plan.refreshAt
    this.#expiresAt = plan.expiresAt
    this.nextTryAt = 0
    // The same token again (a reload restoring it) keeps the mark; any other clears it.
    const [marked, at] = (this.#store.get(`${this.#key}:unanswered`) ?? '').split(' ')
    this.unansweredAt = marked === token && Number.isFinite(Number(at)) ? Number(at) : null
    if (this.unansweredAt === null) this.#store.remove(`${this.#key}:unanswered`)
    if (info.encrypted) this.#store.set(`${this.#key}:times`, `${info.iat} ${info.exp}`)
    else this.#store.remove(`${this.#key}:times`)
    this.#store.set(this.#key, token)
  }

  /** Holds nothing (the skew estimate stays). */
  clear() {
    this.#token = null
    this.#info = null
    this.#refreshAt = Infinity
    this.#expiresAt = Infinity
    this.nextTryAt = 0
    this.unansweredAt = null
    this.#store.remove(`${this.#key}:unanswered`)
    this.#store.remove(`${this.#key}:times`)
    this.#store.remove(this.#key)
  }

  /**
   * A refresh attempt sent at `at` (client ms, here or in another tab) went unanswered.
   * @param {unknown} at
   */
  heard(at) {
    if (typeof at !== 'number' || !Number.isFinite(at)) return
    if (this.unansweredAt !== null && this.unansweredAt <= at) return
    this.unansweredAt = at
    if (this.#token !== null) this.#store.set(`${this.#key}:unanswered`, `${this.#token} ${at}`)
  }

  /**
   * Whether the refresh token may be spent: an attempt went unanswered more than
   * `refreshDeadline` ago. It is never presented again.
   * @param {number} now
   */
  spent(now) {
    return this.unansweredAt !== null && now > this.unansweredAt + this.#o.refreshDeadline * 1000
  }

  /** No background round before the token stops being usable. */
  park() {
    this.nextTryAt = this.#expiresAt - MIN_VALIDITY_MS
  }

  /** @param {number} now */
  due(now) {
    return now >= this.#refreshAt
  }

  /** Whether the token may still be handed out while a refresh runs. @param {number} now */
  usable(now) {
    return now < this.#expiresAt - MIN_VALIDITY_MS
  }

  /**
   * A token other than `than` that has not expired: one that arrived meanwhile.
   * @param {string | null} than
   * @param {number} now
   */
  replaced(than, now) {
    return this.#token !== null && this.#token !== than && now < this.#expiresAt
  }

  /**
   * Whether a token announced dead by another tab (its `iat`, `exp`) is this one or newer.
   * @param {Message} m
   */
  outlivedBy(m) {
    return (
      this.#info !== null && !newer(this.#info, { iat: /** @type {any} */ (m.iat), exp: /** @type {any} */ (m.exp) })
    )
  }

  /**
   * Reads a `token` message of another tab: the token to take, or null when it is this one, not
   * a readable JWT (nor a JWE with its times), older than this one or already expired.
   * @param {Message} m
   * @param {number} now
   * @returns {{ token: string, info: Inspection, skew: number } | null}
   */
  fromPeer(m, now) {
    const token = m.token
    if (typeof token !== 'string' || token === this.#token) return null
    /** @type {Inspection} */
    let info
    try {
      info = readToken(token, now, m)
    } catch {
      return null
    }
    const skew = typeof m.skew === 'number' && Number.isFinite(m.skew) ? boundSkew(m.skew).skew : this.#skew
    if (this.#info && newer(this.#info, info)) return null // older than ours
    if (info.exp !== undefined && info.exp * 1000 <= now + skew) return null
    return { token, info, skew }
  }
}
