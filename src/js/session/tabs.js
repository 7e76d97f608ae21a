// @ts-check
/**
 * The tabs of an origin: the BroadcastChannel messages (one schema, below), the tab id, the
 * handshake that tells a reload from a copied tab, and the cross-tab lock's wiring (lease
 * messages go to coordination.js). What a message means for the token is the session's
 * business: this room checks a message, answers the handshake itself and hands the rest over.
 *
 * Every message is `{ v: 1, type, from, tab, ...fields }`: `from` is the sender's instance id
 * (one per session object), `tab` its tab id (kept in sessionStorage, so a copied tab starts with
 * its parent's). A message with another `v`, without `from` or `type`, or from this instance, is
 * ignored.
 *
 * | type         | fields                   | sent by a tab that…                   | a tab receiving it…                                 |
 * |--------------|--------------------------|---------------------------------------|-----------------------------------------------------|
 * | `hello`      | `startedAt`              | starts a session                      | with that tab id: answers `taken` (or, both still   |
 * |              |                          |                                       | starting and it the later one, becomes the copy)    |
 * | `taken`      | `startedAt`              | holds the tab id a `hello` came with  | with that id, not established or started later:     |
 * |              |                          |                                       | becomes the copy (a new id, `sync` to the parent)   |
 * | `sync`       | `to` (the parent's id)   | found it is a copy                    | the parent: sends `token` (`sync`); refreshes if due|
 * | `refreshing` |                          | sends a refresh request (in the lock) | notes the peer; its next lock holder waits for…     |
 * | `refreshed`  | `unanswered`?            | got that request's end (either way);  | …this: forgets the peer, wakes waiting rounds; notes|
 * |              |                          | `unanswered`: it was sent then (ms)   | `unanswered` (the refresh cookie is shared)         |
 * |              |                          | and timed out                         |                                                     |
 * | `token`      | `token`, `skew`, `reason`| logged in, refreshed, answers `sync`  | adopts it unless older (after a logout: only login) |
 * |              | `iat`, `exp`             |                                       | a JWE: timed by them (ignored without them)         |
 * | `expired`    | `iat`, `exp`             | had its refresh token refused         | ends its session unless its own token is newer      |
 * | `logout`     |                          | logged out                            | clears its token, emits `logout` (`broadcast`)      |
 * | `lease`      | `until`, `held`          | wants or holds the lease (no locks)   | coordination.js: backs off, or answers if it holds  |
 * | `release`    |                          | ends or gives up the lease            | coordination.js: forgets the peer's lease           |
 */
import { coordinator } from './coordination.js'

/**
 * @typedef {import('./index.js').ChannelLike} ChannelLike
 * @typedef {import('./storage.js').SessionStore} SessionStore
 * @typedef {import('./scheduler.js').Scheduler} Scheduler
 * @typedef {import('./coordination.js').Coordinator} Coordinator
 * @typedef {{ v: 1, type: string, from: string, tab: string, [field: string]: unknown }} Message
 * @typedef {'login' | 'refresh' | 'sync'} TokenReason
 * @typedef {{
 *   sync(): void,
 *   token(m: Message): void,
 *   refreshed(m: Message): void,
 *   expired(m: Message): void,
 *   logout(): void,
 * }} TabHandlers
 */

/** How long a tab that found a tab id in its storage listens for the tab it may be a copy of. */
export const HANDSHAKE_MS = 150
/** How long a recognised copy waits for its parent's token before refreshing itself. */
export const COPY_WAIT_MS = 2_000

/** A random id: 128 bits, hex. */
export function newId() {
  const c = globalThis.crypto
  const bytes = new Uint8Array(16)
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * @param {{ startedAt: number, from: string }} a
 * @param {{ startedAt: number, from: string }} b
 * @returns {boolean} true when `a` started before `b`
 */
const older = (a, b) => a.startedAt < b.startedAt || (a.startedAt === b.startedAt && a.from < b.from)

/**
 * How long a tab that got the refresh lock waits for the result of a peer that announced a
 * refresh and has not said it finished (its messages may still be on their way: a lock grant
 * and a BroadcastChannel message travel separately), before refreshing itself.
 */
export const PEER_WAIT_MS = 1000

/**
 * Opens the tabs side of a session: the channel and tab id (`Tabs`) and the cross-tab lock.
 * @param {import('./options.js').Resolved} o
 * @param {{
 *   store: SessionStore, startedAt: number, timers: Scheduler, handlers: TabHandlers,
 *   warn: (code: import('./index.js').WarningCode, text: string, extra?: Record<string, unknown>) => void,
 * }} parts
 */
export function openTabs(o, { store, startedAt, timers, handlers, warn }) {
  const { channel, channelName, locks, lockName } = o
  const onChannelFailure = (/** @type {unknown} */ cause) =>
    warn('channel_unavailable', 'BroadcastChannel is unavailable: tabs do not share tokens or logouts', { cause })
  const tabKey = `${o.keyPrefix}tab`
  const tabs = new Tabs({ channel, channelName, store, tabKey, startedAt, timers, onChannelFailure }, handlers)
  const leaseMs = o.timeout * 1000 + 1000
  const coord = tabs.coordinator({
    locks,
    lockName,
    leaseMs,
    warn: (text, extra) => warn('locks_unavailable', text, extra),
  })
  return { tabs, coord }
}

export class Tabs {
  /** This session object's id (messages from it are ignored by it; lease tie-breaks). */
  instance = newId()
  /** @type {ChannelLike | null} */
  #channel = null
  #store
  #tabKey
  #timers
  #on
  #startedAt
  /** The tab id found in storage (a reload or a copy), or null (a new tab). */
  #found
  #tabId
  /** @type {string | null} */
  #duplicateOf = null
  /** This tab owns its id: a fresh id, or the handshake found no live tab with it. */
  #established
  #copyWaitUntil = 0
  /** @type {Promise<void>} */
  #handshake = Promise.resolve()
  #handshakeDone = () => {}
  /** Peers (instance ids) that announced a refresh and have not announced its end, with when. */
  #peersRefreshing = new Map()
  #closed = false
  /** @type {Coordinator | null} */
  #coord = null
  /** @type {(event: MessageEvent) => void} */
  #onMessage = (event) => this.#message(event?.data)

  /**
   * Opens the channel (when there is one) and reads or makes the tab id. Nothing is sent before
   * `start()`.
   * @param {{
   *   channel: ((name: string) => ChannelLike) | null,
   *   channelName: string,
   *   store: SessionStore,
   *   tabKey: string,
   *   startedAt: number,
   *   timers: Scheduler,
   *   onChannelFailure: (cause: unknown) => void,
   * }} o
   * @param {TabHandlers} handlers
   */
  constructor(o, handlers) {
    this.#store = o.store
    this.#tabKey = o.tabKey
    this.#timers = o.timers
    this.#on = handlers
    this.#startedAt = o.startedAt
    if (o.channel) {
      try {
        const ch = o.channel(o.channelName)
        if (typeof ch.addEventListener === 'function')
          ch.addEventListener('message', /** @type {EventListener} */ (this.#onMessage))
        else ch.onmessage = this.#onMessage
        this.#channel = ch
      } catch (e) {
        o.onChannelFailure(e)
      }
    }
    this.#found = this.#store.get(this.#tabKey)
    this.#tabId = this.#found ?? newId()
    if (this.#found === null) this.#store.set(this.#tabKey, this.#tabId)
    this.#established = this.#found === null || !this.#channel
  }

  /** Whether a channel is open (tabs share tokens, logouts and, without Web Locks, a lease). */
  get open() {
    return this.#channel !== null
  }

  /** This tab's id, and the id of the tab it was recognised as a copy of. */
  get ids() {
    return { id: this.#tabId, duplicateOf: this.#duplicateOf }
  }

  /** Settles when this tab knows whether it is a copy (at once for a new tab). */
  get handshake() {
    return this.#handshake
  }

  /** Until when (client ms) a recognised copy leaves the refresh to its parent; 0 otherwise. */
  get copyWaitUntil() {
    return this.#copyWaitUntil
  }

  /** Whether a peer announced a refresh and has not said it ended. */
  get peersRefreshing() {
    return this.#peersRefreshing.size > 0
  }

  /** Forgets the peers' announced refreshes (the lock holder stops waiting for them). */
  forgetPeers() {
    this.#peersRefreshing.clear()
  }

  /** Says `hello`; a tab that found its id in storage listens for a live tab with the same id. */
  start() {
    if (!this.#channel) return
    this.#post({ type: 'hello', startedAt: this.#startedAt })
    // Only a tab that found an id can be a copy (sessionStorage is copied with the tab).
    if (this.#found === null) return
    this.#handshake = new Promise((resolve) => {
      const done = () => {
        this.#timers.clearTimer(timer)
        this.#established = true
        resolve()
      }
      const timer = this.#timers.setTimer(done, HANDSHAKE_MS)
      this.#handshakeDone = done
    })
  }

  /**
   * @param {string} token
   * @param {number} skew
   * @param {TokenReason} reason
   * @param {{ iat?: number, exp?: number } | null} info its times (the only ones of an encrypted token)
   */
  token(token, skew, reason, info) {
    this.#post({ type: 'token', token, skew, reason, iat: info?.iat, exp: info?.exp })
  }

  refreshing() {
    this.#post({ type: 'refreshing' })
  }

  /** @param {number | undefined} unanswered when the request was sent, if it timed out (client ms) */
  refreshed(unanswered) {
    this.#post(unanswered === undefined ? { type: 'refreshed' } : { type: 'refreshed', unanswered })
  }

  /** @param {{ iat?: number, exp?: number }} info the dead token's */
  expired(info) {
    this.#post({ type: 'expired', iat: info.iat, exp: info.exp })
  }

  logout() {
    this.#post({ type: 'logout' })
  }

  /**
   * The cross-tab lock for refreshes and logins (coordination.js): Web Locks, else a lease on
   * this channel, else the tab alone. The lease messages go to it.
   * @param {Pick<Parameters<typeof coordinator>[0], 'locks' | 'lockName' | 'leaseMs' | 'warn'>} o
   * @returns {Coordinator}
   */
  coordinator(o) {
    const post = this.#channel ? (/** @type {Record<string, unknown>} */ m) => this.#post(m) : null
    this.#coord = coordinator({ ...o, post, instance: this.instance, timers: this.#timers })
    return this.#coord
  }

  /** Closes the channel; a handshake still listening ends. */
  close() {
    this.#closed = true
    if (this.#channel) {
      try {
        const listener = /** @type {EventListener} */ (this.#onMessage)
        if (typeof this.#channel.removeEventListener === 'function')
          this.#channel.removeEventListener('message', listener)
        this.#channel.close()
      } catch {
        // already closed
      }
      this.#channel = null
    }
    this.#handshakeDone()
  }

  /** @param {Record<string, unknown>} m */
  #post(m) {
    if (!this.#channel || this.#closed) return
    try {
      this.#channel.postMessage({ v: 1, from: this.instance, tab: this.#tabId, ...m })
    } catch {
      // a closed channel: nothing to tell
    }
  }

  /** @param {unknown} data */
  #message(data) {
    if (this.#closed || !data || typeof data !== 'object') return
    const m = /** @type {Message} */ (data)
    if (m.v !== 1 || typeof m.from !== 'string' || m.from === this.instance || typeof m.type !== 'string') return
    const self = { startedAt: this.#startedAt, from: this.instance }
    switch (m.type) {
      case 'lease':
      case 'release':
        this.#coord?.onMessage(/** @type {any} */ (m))
        break
      case 'hello':
        // A tab starting with this tab's id. An established tab keeps its id; between two tabs
        // still starting (a restored pair of duplicates), the one that started first does.
        if (m.tab === this.#tabId && typeof m.startedAt === 'number') {
          const keeps = this.#established || older(self, { startedAt: m.startedAt, from: m.from })
          if (keeps) this.#post({ type: 'taken', startedAt: this.#startedAt })
          else this.#becomeCopy()
        }
        break
      case 'taken':
        // Also late (a busy parent answering after the handshake timed out): the tab that
        // started first keeps the id.
        if (m.tab !== this.#tabId) break
        if (
          !this.#established ||
          (typeof m.startedAt === 'number' && older({ startedAt: m.startedAt, from: m.from }, self))
        ) {
          this.#becomeCopy()
        }
        break
      case 'sync':
        // A copy of this tab asks for the token.
        if (m.to === this.#tabId) this.#on.sync()
        break
      case 'refreshing':
        this.#peersRefreshing.set(m.from, this.#timers.now())
        break
      case 'refreshed':
        this.#peersRefreshing.delete(m.from)
        this.#on.refreshed(m)
        break
      case 'token':
        this.#on.token(m)
        break
      case 'expired':
        this.#on.expired(m)
        break
      case 'logout':
        this.#on.logout()
        break
    }
  }

  /** Another live tab has this tab's id: this one is its copy. */
  #becomeCopy() {
    if (this.#duplicateOf !== null) return
    this.#duplicateOf = this.#tabId
    this.#tabId = newId()
    this.#store.set(this.#tabKey, this.#tabId)
    this.#copyWaitUntil = this.#timers.now() + COPY_WAIT_MS
    // Ask the parent for its token (it may be newer than the copied one).
    this.#post({ type: 'sync', to: this.#duplicateOf })
    this.#handshakeDone()
  }
}
