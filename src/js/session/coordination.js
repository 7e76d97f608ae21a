// @ts-check
/**
 * Serialising refreshes (and logins) across the tabs of an origin.
 *
 * - `locks`: a Web Lock (`navigator.locks.request(lockName, { mode: 'exclusive' })`) held for the
 *   whole request, including the answer's `Set-Cookie`, so no two tabs ever send the same
 *   refresh cookie at once. The browser releases it if the tab dies.
 * - `broadcast-lease` (no Web Locks, a BroadcastChannel): a tab announces a lease, listens for
 *   50 ms for a competing announcement (the lower instance id wins; a tab already holding the
 *   lease answers and always wins), and releases it when done or when it lapses (the request
 *   timeout + 1 s). Not atomic like a lock: two tabs whose messages cross slower than 50 ms may
 *   both refresh, and then the edge's grace window gives both the same successor.
 * - `none` (neither): refreshes are serialised within the tab only; racing tabs rely on the
 *   grace window, and the jittered refresh points make such races rare.
 *
 * Within a tab, calls are always serialised (a promise chain), whatever the mode.
 */

/**
 * @typedef {import('./index.js').LockManagerLike} LockManagerLike
 * @typedef {'locks' | 'broadcast-lease' | 'none'} CoordinationMode
 * @typedef {{ type: 'lease', from: string, until: number, held: boolean } | { type: 'release', from: string }} LeaseMessage
 * @typedef {{
 *   readonly mode: CoordinationMode,
 *   run<T>(fn: () => Promise<T>): Promise<T>,
 *   onMessage(message: { type: string, from: string, until?: number, held?: boolean }): void,
 * }} Coordinator
 */

/** How long an announcing tab listens for a competing lease. */
export const LEASE_SETTLE_MS = 50

/** The `locks_unavailable` warnings: what serialises refreshes instead of Web Locks. */
const NOTICES = {
  lease:
    'Web Locks are unavailable: tabs serialise refreshes with a BroadcastChannel lease ' +
    '(best effort; the server grace window covers a lost race)',
  none: 'Web Locks and BroadcastChannel are unavailable: cross-tab serialisation is off; racing tabs rely on the server grace window',
  failed:
    'Web Locks failed: refreshes are serialised within this tab only; racing tabs rely on the server grace window',
}

/** Marks errors thrown by the callback, to tell them from a failing lock manager. */
class Wrapped {
  /** @param {unknown} error */
  constructor(error) {
    this.error = error
  }
}

/**
 * @param {{
 *   locks: LockManagerLike | null,
 *   lockName: string,
 *   post: ((message: LeaseMessage) => void) | null,
 *   instance: string,
 *   timers: { now(): number, setTimer(fn: () => void, ms: number): unknown, clearTimer(handle: unknown): void },
 *   leaseMs: number,
 *   warn: (message: string, extra: { coordination: 'broadcast-lease' | 'none', cause?: unknown }) => void,
 * }} o `warn` is told, once at most, what serialises refreshes when Web Locks are missing or fail
 * @returns {Coordinator}
 */
export function coordinator(o) {
  const { timers } = o
  /** @type {Promise<unknown>} */
  let chain = Promise.resolve()
  /**
   * @template T
   * @param {() => Promise<T>} fn
   * @returns {Promise<T>}
   */
  const inTab = (fn) => {
    const run = chain.then(fn, fn)
    chain = run.then(
      () => {},
      () => {},
    )
    return run
  }

  if (o.locks) {
    let locks = /** @type {LockManagerLike | null} */ (o.locks)
    return {
      get mode() {
        return locks ? 'locks' : 'none'
      },
      run(fn) {
        const manager = locks
        if (!manager) return inTab(fn)
        return inTab(async () => {
          let result
          try {
            result = await manager.request(o.lockName, { mode: 'exclusive' }, async () => {
              try {
                return { value: await fn() }
              } catch (e) {
                throw new Wrapped(e)
              }
            })
          } catch (e) {
            if (e instanceof Wrapped) throw e.error
            // The lock manager itself failed (e.g. SecurityError in an opaque origin): go on
            // without cross-tab locks from now on.
            locks = null
            o.warn(NOTICES.failed, { coordination: 'none', cause: e })
            return fn()
          }
          return result.value
        })
      },
      onMessage() {},
    }
  }

  const post = o.post
  if (!post) {
    o.warn(NOTICES.none, { coordination: 'none' })
    return { mode: 'none', run: inTab, onMessage() {} }
  }
  o.warn(NOTICES.lease, { coordination: 'broadcast-lease' })

  // ---- broadcast lease ----
  /** @type {Map<string, number>} peer instance → lease end (client ms) */
  const peers = new Map()
  /** @type {Set<() => void>} */
  const listeners = new Set()
  let holding = false
  /** @type {{ lost: boolean } | null} */
  let settling = null
  const changed = () => {
    for (const l of [...listeners]) l()
  }
  /** Resolves on the next lease message, or after `ms`. @param {number} ms */
  const waitChange = (ms) =>
    new Promise((resolve) => {
      const done = () => {
        listeners.delete(done)
        timers.clearTimer(timer)
        resolve(undefined)
      }
      const timer = timers.setTimer(done, Math.max(0, ms))
      listeners.add(done)
    })
  const activePeers = () => {
    const now = timers.now()
    let soonest = Infinity
    for (const [peer, until] of peers) {
      if (until <= now) peers.delete(peer)
      else soonest = Math.min(soonest, until)
    }
    return soonest
  }

  return {
    mode: 'broadcast-lease',
    run(fn) {
      return inTab(async () => {
        for (;;) {
          for (let until = activePeers(); until !== Infinity; until = activePeers())
            await waitChange(until - timers.now())
          settling = { lost: false }
          post({ type: 'lease', from: o.instance, until: timers.now() + o.leaseMs, held: false })
          // Listen for the whole settle time (several messages may arrive within it).
          const end = timers.now() + LEASE_SETTLE_MS
          do await waitChange(end - timers.now())
          while (!settling.lost && timers.now() < end)
          const lost = settling.lost
          settling = null
          if (!lost) break
          post({ type: 'release', from: o.instance })
        }
        holding = true
        try {
          return await fn()
        } finally {
          holding = false
          post({ type: 'release', from: o.instance })
        }
      })
    },
    onMessage(m) {
      if (m.from === o.instance) return
      if (m.type === 'lease' && typeof m.until === 'number') {
        peers.set(m.from, m.until)
        if (holding) post({ type: 'lease', from: o.instance, until: timers.now() + o.leaseMs, held: true })
        else if (settling && (m.held || m.from < o.instance)) settling.lost = true
        changed()
      } else if (m.type === 'release') {
        peers.delete(m.from)
        changed()
      }
    },
  }
}
