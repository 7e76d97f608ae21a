// @ts-check
/**
 * The session's timers and wake-ups: the early trigger set for the refresh point, sleeps that a
 * token, an `online` or an end cuts short, and the page events that make the session look at the
 * wall clock again.
 *
 * Sleep-proofing: a timer is only an early trigger, never set more than 30 s ahead (a tab that
 * slept or was throttled has its timers pushed back), and `visibilitychange`, `pageshow`,
 * `focus` and `online` hand control back to the session, which compares the wall clock itself.
 * What is due is the session's decision; this room only keeps time.
 */

/**
 * @typedef {import('./options.js').Resolved} Resolved
 * @typedef {(typeof WAKE_EVENTS)[number]} WakeEvent
 */

/** The longest a timer is set for: past it, the wall clock is compared again (sleep-proofing). */
export const TICK_MS = 30_000
/** The events of `options.events` that make the session look at the clock again. */
export const WAKE_EVENTS = /** @type {const} */ (['visibilitychange', 'pageshow', 'focus', 'online'])
/** setTimeout's ceiling (2^31 − 1 ms). */
const MAX_TIMER_MS = 2_147_483_647

export class Scheduler {
  /** @type {Pick<Resolved, 'clock' | 'setTimeout' | 'clearTimeout' | 'events'>} */
  #o
  /** @type {unknown} the early trigger */
  #timer = undefined
  /** @type {Set<() => void>} sleeping retries and waits, woken by `online`, a token, an end */
  #wakers = new Set()
  /** @type {[string, () => void][]} */
  #listeners = []

  /** @param {Pick<Resolved, 'clock' | 'setTimeout' | 'clearTimeout' | 'events'>} o */
  constructor(o) {
    this.#o = o
  }

  /** The client's wall clock (ms). */
  now() {
    return this.#o.clock()
  }

  /**
   * A timer, its delay clamped to [0, 2^31 − 1] ms.
   * @param {() => void} cb
   * @param {number} ms
   */
  setTimer(cb, ms) {
    return this.#o.setTimeout(cb, Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(ms))))
  }

  /** @param {unknown} handle */
  clearTimer(handle) {
    this.#o.clearTimeout(handle)
  }

  /**
   * Sets the early trigger (replacing the one set before): `fire` runs at `at` (client ms) or in
   * 30 s, whichever is sooner. `Infinity`: no trigger.
   * @param {number} at
   * @param {() => void} fire
   */
  arm(at, fire) {
    this.cancel()
    if (at === Infinity) return
    this.#timer = this.setTimer(
      () => {
        this.#timer = undefined
        fire()
      },
      Math.min(at - this.now(), TICK_MS),
    )
  }

  /** Drops the early trigger. */
  cancel() {
    if (this.#timer !== undefined) {
      this.#o.clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  /**
   * Resolves after `ms`, or earlier when woken (`online`, a token arriving, an end).
   * @param {number} ms
   * @returns {Promise<void>}
   */
  sleep(ms) {
    return new Promise((resolve) => {
      const done = () => {
        this.#wakers.delete(done)
        this.#o.clearTimeout(timer)
        resolve()
      }
      const timer = this.setTimer(done, ms)
      this.#wakers.add(done)
    })
  }

  /** Ends every sleep now. */
  wake() {
    for (const w of [...this.#wakers]) w()
  }

  /**
   * Listens to the page's wake-up events (when `options.events` is not null).
   * @param {(type: WakeEvent) => void} onWake
   */
  listen(onWake) {
    const events = this.#o.events
    if (!events) return
    for (const type of WAKE_EVENTS) {
      const listener = () => onWake(type)
      events.addEventListener(type, listener)
      this.#listeners.push([type, listener])
    }
  }

  /** Drops the early trigger and the page listeners (sleeps are ended by `wake`). */
  stop() {
    this.cancel()
    for (const [type, listener] of this.#listeners) this.#o.events?.removeEventListener(type, listener)
    this.#listeners = []
  }
}
