// @ts-check
/**
 * The budget of one refresh round against the edge's grace window (the rule is in
 * ../internal/grace.js), and its backoff. An attempt that timed out went unanswered: the edge may
 * have rotated the refresh token and the answer been lost, and presenting that token after the
 * edge's grace window would be reuse (the family revoked). So once an attempt went unanswered,
 * no retry goes out later than `refreshDeadline` after that attempt was sent: every retry
 * reaches the edge inside the window and gets the same successor. A network error or an answer
 * (5xx included: the edge decided, and its rotation is atomic) sets no deadline. Bookkeeping
 * only: the session passes the times in and decides.
 */

import { backoffDelay } from './time.js'

/**
 * @typedef {import('./transport.js').Outcome} Outcome
 * @typedef {import('./options.js').Resolved} Resolved
 */

export class RoundBudget {
  #o
  #ms
  /** Client ms: when the last attempt went out. */
  #sentAt = 0
  #sends = 0
  /** Client ms; Infinity until an attempt went unanswered. */
  #deadline = Infinity

  /** @param {Pick<Resolved, 'retry' | 'random' | 'isOnline' | 'refreshDeadline'>} o */
  constructor(o) {
    this.#o = o
    this.#ms = o.refreshDeadline * 1000
  }

  /** An attempt goes out now. @param {number} now */
  sent(now) {
    this.#sentAt = now
    this.#sends++
  }

  /** Attempts sent. */
  get sends() {
    return this.#sends
  }

  /** Whether an attempt may still go out. @param {number} now */
  open(now) {
    return now <= this.#deadline
  }

  /**
   * After the `attempt`-th attempt failed: the wait (ms) before the next one, or null when the
   * round ends (a fatal outcome, `retry.attempts` made, the deadline passed). The backoff of
   * time.js; offline, `maxDelay` (an `online` wakes the sleep); never past the deadline.
   * @param {Exclude<Outcome, { kind: 'ok' | 'current' }>} outcome
   * @param {number} attempt
   * @param {number} now
   * @returns {number | null}
   */
  retry(outcome, attempt, now) {
    const { retry, random, isOnline } = this.#o
    if (outcome.error.reason === 'timeout' && this.#deadline === Infinity) this.#deadline = this.#sentAt + this.#ms
    if (outcome.kind === 'fatal' || attempt >= retry.attempts || !this.open(now)) return null
    const delay = isOnline() ? backoffDelay(attempt, retry, random, outcome.error.retryAfter) : retry.maxDelay
    return Math.max(0, Math.min(delay * 1000, this.#deadline - now))
  }

  /** Whether an attempt timed out: its refresh token may have been rotated meanwhile. */
  get unanswered() {
    return this.#deadline !== Infinity
  }
}
