// @ts-check
/**
 * The session object of `createSession(options)`: its state (the token held, a round in flight,
 * logged out, closed), the public methods, the refresh round and the events. The other rooms:
 * options.js (the options), token.js (the token held), transport.js (HTTP and what an answer
 * means), tabs.js (the BroadcastChannel messages, copied tabs), scheduler.js (timers, wake-ups),
 * fetch.js (`session.fetch`), coordination.js (the cross-tab lock), events.js, storage.js, time.js.
 *
 * One refresh round at a time: callers in a tab share one promise; each attempt runs inside the
 * cross-tab lock and first checks whether another tab already refreshed, so a rotated refresh
 * token is never presented twice. Retryable failures back off (time.js); a dead refresh token
 * ends the session (`expired`) in every tab holding it. Nothing here runs at import.
 */
import { SessionError, isEnded, roundFailed, sessionEnded, refreshLost, endedUnanswered, noLoginUrl } from './errors.js'
import { resolveOptions } from './options.js'
import { STORAGE_NOTICE, openStore } from './storage.js'
import { HeldToken } from './token.js'
import { Scheduler } from './scheduler.js'
import { RoundBudget, unanswered } from './round.js'
import { PEER_WAIT_MS, openTabs } from './tabs.js'
import { Transport } from './transport.js'
import { authorizedFetch } from './fetch.js'
import { emitter, warner } from './events.js'
import { ready } from 'jwt-wasm/claims'

/**
 * @typedef {import('./index.js').SessionOptions} SessionOptions
 * @typedef {import('./index.js').WarningCode} WarningCode
 * @typedef {import('./options.js').Resolved} Resolved
 * @typedef {import('./transport.js').Outcome} Outcome
 * @typedef {import('./tabs.js').Message} Message
 * @typedef {import('./token.js').Inspection} Inspection
 */

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
  #store
  #held
  #timers
  #tabs
  #http
  /** @type {import('./coordination.js').Coordinator} */
  #coord
  /** @type {Promise<string> | null} */
  #inflight = null
  /** Bumped by logout, expiry and close: work started before is dropped. */
  #epoch = 0
  /** After a logout, only a login (here or in another tab) brings a token back. */
  #loggedOut = false
  #closed = false
  /** The events (events.js): one dispatched; one `warning` per code. */
  #emit = emitter(this)
  #warn = warner(this.#emit)
  /** @type {Promise<unknown> | undefined} set while the claims wasm loads (see the constructor) */
  #loading

  /** @param {SessionOptions | undefined} options */
  constructor(options) {
    super()
    const o = resolveOptions(options)
    this.#o = o
    const startedAt = o.clock()
    const timers = new Scheduler(o)
    this.#timers = timers
    const warn = (/** @type {WarningCode} */ code, /** @type {string} */ text, /** @type {any} */ extra) =>
      this.#warn(code, text, extra)
    this.#http = new Transport(o, timers, () => this.#held.skew, warn)
    const onStorageFailure = (/** @type {unknown} */ cause) =>
      this.#warn('storage_unavailable', STORAGE_NOTICE, { cause })
    this.#store = openStore(o.storage, `${o.keyPrefix}probe`, onStorageFailure, o.memoryOnly)
    this.#held = new HeldToken(this.#store, `${o.keyPrefix}access_token`, o)
    /** @type {import('./tabs.js').TabHandlers} */
    const handlers = {
      sync: () => this.#sync(),
      token: (m) => {
        this.#adopt(m)
        timers.wake()
      },
      refreshed: (m) => {
        this.#held.heard(m.unanswered)
        timers.wake()
      },
      expired: (m) => this.#peerExpired(m),
      logout: () => this.#peerLogout(),
    }
    ;({ tabs: this.#tabs, coord: this.#coord } = openTabs(o, { store: this.#store, startedAt, timers, handlers, warn }))

    const restore = () => {
      const restored = this.#held.restore(o.clock())
      // No receipt to estimate the skew from: 0 until the next answer.
      if (restored && !this.#closed) this.#install(restored.token, restored.info, 0)
      return restored
    }
    // In a browser the claims wasm may still be loading (no top-level await in the entries):
    // the stored token is read once it is, and every method that reads tokens waits for that.
    if (restore() === undefined) this.#loading = ready.then(restore)
    timers.listen((type) => {
      if (type === 'online' && !this.#held.spent(timers.now())) {
        this.#held.nextTryAt = 0
        timers.wake()
      }
      this.#evaluate(type === 'online')
    })
    this.#tabs.start()
  }

  // ---- public (documented in index.d.ts) ----

  /** The current access token (as stored; not refreshed, maybe expired), or null. */
  get token() {
    return this.#held.token
  }

  /** The current token's payload (read with `inspect`, unverified), or null. */
  get claims() {
    return this.#held.info ? this.#held.info.payload : null
  }

  /** Where the current token's refresh point and expiry fall on the client clock (ms), and the skew. */
  get timing() {
    const h = this.#held
    return h.token === null ? null : { expiresAt: h.expiresAt, refreshAt: h.refreshAt, skew: h.skew }
  }

  /** What the session runs on. */
  get mode() {
    return { storage: this.#store.kind, coordination: this.#coord.mode, channel: this.#tabs.open }
  }

  /** This tab's id, and the id of the tab it was recognised as a copy of. */
  get tab() {
    return this.#tabs.ids
  }

  /**
   * A valid access token, or null when there is no session. A due token with at least 5 s left
   * is returned at once while the refresh runs in the background; an expired one waits for it.
   * @returns {Promise<string | null>}
   */
  async getToken() {
    if (this.#loading) await this.#loading
    const token = this.#held.token
    if (token === null) return this.#inflight ? this.#awaitRefresh() : null
    const now = this.#timers.now()
    if (!this.#held.due(now)) return token
    if (this.#held.usable(now)) {
      if (!this.#inflight && now >= this.#held.nextTryAt) this.#background()
      return token
    }
    return this.#awaitRefresh()
  }

  /** Refreshes now (or joins the round in flight); rejects with a `SessionError`. @returns {Promise<string>} */
  refresh() {
    return this.#refresh()
  }

  /** On page load: whether a token is available (from storage, or by one refresh). @returns {Promise<boolean>} */
  async resume() {
    if (this.#loading) await this.#loading
    const now = this.#timers.now()
    if (this.#held.token !== null && this.#held.usable(now)) {
      if (this.#held.due(now) && !this.#inflight) this.#background()
      return true
    }
    // An explicit logout in this session object: do not log back in by cookie.
    if (this.#loggedOut && this.#held.token === null && !this.#inflight) return false
    return (await this.#awaitRefresh()) !== null
  }

  /**
   * POSTs `{ login, password }` to `loginUrl`; resolves to the new token's claims. Rejects with
   * a `SessionError` `ERR_SESSION_LOGIN_FAILED`.
   * @param {string} login
   * @param {string} password
   * @returns {Promise<Record<string, unknown>>}
   */
  async login(login, password) {
    if (typeof login !== 'string' || typeof password !== 'string')
      throw new TypeError('login(login, password) takes two strings')
    const url = this.#o.loginUrl
    if (url === null) throw noLoginUrl()
    if (this.#loading) await this.#loading
    const outcome = await this.#coord.run(async () => {
      const result = await this.#http.login(url, login, password)
      if (result.kind === 'ok') {
        this.#install(result.token, result.info, result.skew)
        this.#loggedOut = false
        this.#tabs.token(result.token, result.skew, 'login', result.info)
      }
      return result
    })
    if (outcome.kind !== 'ok') throw /** @type {{ error: SessionError }} */ (outcome).error
    this.#emit('change', { token: outcome.token, claims: outcome.info.payload, reason: 'login' })
    return outcome.info.payload
  }

  /**
   * Clears the token here and in every tab, then asks the edge to revoke the refresh token.
   * Never rejects (a failure: `revoked: false` and an `error` event). @returns {Promise<{ revoked: boolean | null }>}
   */
  async logout() {
    const had = this.#held.token !== null
    this.#epoch++
    this.#loggedOut = true
    this.#clear()
    this.#tabs.logout()
    if (had) this.#emit('change', { token: null, claims: null, reason: 'logout' })
    const url = this.#o.logoutUrl
    const { revoked, error } = url === null ? { revoked: null, error: undefined } : await this.#http.logout(url)
    this.#emit('logout', { source: 'local', revoked })
    if (error) this.#emit('error', { error, attempts: 1 })
    return { revoked }
  }

  /**
   * `fetch` with the Bearer token for `apiOrigins`; one shared refresh and one retry on a 401 `invalid_token` (fetch.js).
   * @param {RequestInfo | URL} input
   * @param {RequestInit} [init]
   * @returns {Promise<Response>}
   */
  fetch(input, init) {
    const { fetch, apiOrigins } = this.#o
    const getToken = () => this.getToken()
    // Another caller may have refreshed while the refused request was out.
    const renew = (/** @type {string} */ refused) =>
      this.#held.replaced(refused, this.#timers.now()) ? /** @type {string} */ (this.#held.token) : this.#refresh()
    return authorizedFetch({ fetch, apiOrigins, getToken, renew }, input, init)
  }

  /** Stops the timers, the page listeners and the channel; work in flight ends. The token stays in storage. */
  close() {
    if (this.#closed) return
    this.#closed = true
    this.#epoch++
    this.#timers.stop()
    this.#tabs.close()
    this.#timers.wake()
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
    this.#timers.cancel()
    return run
  }

  /** @returns {Promise<string | null>} */
  async #awaitRefresh() {
    try {
      return await this.#refresh()
    } catch (e) {
      if (isEnded(e)) return null
      throw e
    }
  }

  #background() {
    this.#refresh().catch(() => {}) // reported as events
  }

  /**
   * One refresh round: up to `retry.attempts` attempts, each inside the cross-tab lock, each
   * re-checking first whether a token arrived from elsewhere meanwhile, within the deadline of
   * round.js. A refresh token that may be spent (`held.spent`) is never presented again.
   * @returns {Promise<string>}
   */
  async #round() {
    if (this.#loading) await this.#loading
    const timers = this.#timers
    const epoch = this.#epoch
    const before = this.#held.token
    await this.#tabs.handshake
    if (this.#held.spent(timers.now())) throw this.#unanswered(roundFailed(refreshLost(), 0))
    const budget = new RoundBudget(this.#o, this.#held)
    /** @type {SessionError | undefined} */
    let last
    let attempt = 0
    for (;;) {
      attempt++
      // A recognised copy lets its parent refresh the token they share, and adopts the result.
      while (before !== null && this.#held.token === before && this.#tabs.copyWaitUntil > timers.now()) {
        await timers.sleep(this.#tabs.copyWaitUntil - timers.now())
        this.#checkEpoch(epoch)
      }
      this.#checkEpoch(epoch)
      const outcome = await this.#coord.run(() => this.#attempt(epoch, before, budget))
      this.#checkEpoch(epoch)
      if (outcome === null) break // the deadline passed while it waited for the lock: not sent
      if (outcome.kind === 'current') return /** @type {string} */ (this.#held.token)
      if (outcome.kind === 'ok') {
        const { token, info } = outcome
        const { expiresAt, refreshAt, skew } = this.#held
        this.#emit('change', { token, claims: info.payload, reason: 'refresh' })
        this.#emit('refresh', { token, claims: info.payload, expiresAt, refreshAt, skew })
        return token
      }
      if (outcome.kind === 'dead') {
        // Lost a race rather than revoked? A newer token from elsewhere says so.
        if (this.#held.replaced(before, timers.now())) return /** @type {string} */ (this.#held.token)
        this.#end('invalid_grant', outcome.error)
        throw outcome.error
      }
      last = outcome.error
      const wait = budget.retry(outcome, attempt, timers.now())
      if (wait === null) break
      await timers.sleep(wait)
      this.#checkEpoch(epoch)
    }
    const error = roundFailed(last ?? refreshLost(), budget.sends)
    this.#held.nextTryAt = timers.now() + this.#o.retry.maxDelay * 1000
    const end = this.#held.spent(timers.now()) ? this.#unanswered(error) : error
    if (end !== error) throw end
    this.#emit('error', { error, attempts: budget.sends })
    throw error
  }

  /** A refresh token that may be spent: the round fails while the token is usable, then the session ends. @param {SessionError} failed */
  #unanswered(failed) {
    if (this.#held.usable(this.#timers.now())) {
      this.#held.park()
      return failed
    }
    const error = endedUnanswered(failed)
    this.#end('unanswered', error)
    return error
  }

  /**
   * One attempt, inside the cross-tab lock: wait (bounded) for a peer's announced refresh, check
   * again whether a token arrived, else ask the endpoint and tell the other tabs.
   * @param {number} epoch
   * @param {string | null} before the token the round started with
   * @param {RoundBudget} budget
   * @returns {Promise<Outcome | null>} null: the round's deadline passed, nothing sent
   */
  async #attempt(epoch, before, budget) {
    const timers = this.#timers
    this.#checkEpoch(epoch)
    // The previous holder announced its refresh and has released the lock, but its result may
    // not have arrived yet. Its messages arrive in order, so wait (bounded) for its `refreshed`.
    const deadline = timers.now() + PEER_WAIT_MS
    while (this.#tabs.peersRefreshing && timers.now() < deadline) {
      await timers.sleep(deadline - timers.now())
      this.#checkEpoch(epoch)
    }
    this.#tabs.forgetPeers()
    // The double check: another tab (or a login) may have brought a token while this one waited.
    const held = this.#held
    if (held.token !== null && held.token !== before && !held.due(timers.now())) return { kind: 'current' }
    if (!budget.open(timers.now())) return null
    const sentAt = timers.now()
    budget.sent()
    this.#tabs.refreshing()
    /** @type {Outcome | undefined} */
    let result
    try {
      result = await this.#http.refresh()
      if (result.kind === 'ok') {
        this.#checkEpoch(epoch) // logged out while the request was out: drop the answer
        this.#install(result.token, result.info, result.skew)
        this.#loggedOut = false
        this.#tabs.token(result.token, result.skew, 'refresh', result.info)
      }
      return result
    } finally {
      const lost = result !== undefined && unanswered(result)
      if (lost) held.heard(sentAt) // told to the other tabs too: they share the refresh cookie
      this.#tabs.refreshed(lost ? sentAt : undefined)
    }
  }

  /** @param {number} epoch */
  #checkEpoch(epoch) {
    if (epoch !== this.#epoch) throw sessionEnded()
  }

  // ---- state ----

  /**
   * @param {string} token
   * @param {Inspection} info
   * @param {number} skew
   */
  #install(token, info, skew) {
    this.#held.set(token, info, skew, this.#timers.now())
    if (info.exp === undefined)
      this.#warn('no_exp', 'the access token has no exp: it is never refreshed before the server refuses it')
    this.#timers.wake()
    this.#schedule()
  }

  #clear() {
    this.#held.clear()
    this.#timers.cancel()
    this.#timers.wake()
  }

  /**
   * The session ended without a logout: the refresh token is dead.
   * @param {'invalid_grant' | 'unanswered' | 'broadcast'} reason
   * @param {SessionError} error
   */
  #end(reason, error) {
    const info = this.#held.info
    this.#epoch++
    this.#clear()
    if (!info) return // nothing was held: nothing expired (e.g. resume() in a logged-out tab)
    if (reason !== 'broadcast') this.#tabs.expired(info)
    this.#emit('change', { token: null, claims: null, reason: 'expired' })
    this.#emit('expired', { reason, error })
  }

  // ---- what other tabs say ----

  /** A token from another tab: taken unless older than ours (after a logout: only from a login). @param {Message} m */
  #adopt(m) {
    if (this.#loggedOut && m.reason !== 'login') return
    const peer = this.#held.fromPeer(m, this.#timers.now())
    if (!peer) return
    this.#install(peer.token, peer.info, peer.skew)
    this.#loggedOut = false
    this.#emit('change', { token: peer.token, claims: peer.info.payload, reason: 'broadcast' })
  }

  /** A copy of this tab asks for the token: sent, and if it is due this tab refreshes now. */
  #sync() {
    const { token, skew, info } = this.#held
    if (token === null) return
    this.#tabs.token(token, skew, 'sync', info)
    this.#evaluate(false)
  }

  /** Another tab found the refresh token dead: the session ends here too, unless this token is newer. @param {Message} m */
  #peerExpired(m) {
    if (!this.#held.outlivedBy(m)) return
    this.#end(
      'broadcast',
      new SessionError('the session ended in another tab', { code: 'ERR_SESSION_EXPIRED', reason: 'broadcast' }),
    )
  }

  /** Another tab logged out. */
  #peerLogout() {
    const had = this.#held.token !== null
    this.#epoch++
    this.#loggedOut = true
    this.#clear()
    if (had) this.#emit('change', { token: null, claims: null, reason: 'logout' })
    this.#emit('logout', { source: 'broadcast', revoked: null })
  }

  // ---- when ----

  /** Sets the early trigger: at the refresh point (or the next try), at most 30 s away. */
  #schedule() {
    this.#timers.cancel()
    if (this.#closed || this.#held.token === null || this.#inflight) return
    this.#timers.arm(Math.max(this.#held.refreshAt, this.#held.nextTryAt), () => this.#evaluate(false))
  }

  /**
   * Looks at the wall clock: refreshes when due, else sets the next trigger.
   * @param {boolean} online an `online` event: try at once even after a failed round
   */
  #evaluate(online) {
    if (this.#closed || this.#held.token === null || this.#inflight) return
    const now = this.#timers.now()
    if (!this.#held.due(now) || (!online && now < this.#held.nextTryAt)) return this.#schedule()
    this.#background()
  }
}
