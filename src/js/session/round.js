// @ts-check
/**
 * The budget of one refresh round against the edge's grace window (the rule is in
 * ../internal/grace.js), and its backoff. An attempt that timed out went unanswered: the edge may
 * have rotated the refresh token and the answer been lost, and presenting that token after the
 * edge's grace window would be reuse (the family revoked). So once an attempt went unanswered
 * (in any tab: `HeldToken.unansweredAt`), no retry goes out later than `refreshDeadline` after
 * that attempt was sent: every retry reaches the edge inside the window and gets the same
 * successor. A network error or an answer (5xx included: the edge decided, and its rotation is
 * atomic) sets no deadline. Bookkeeping only: the session passes the times in and decides.
 */

import { backoffDelay } from './time.js'

/**
 * @typedef {import('./transport.js').Outcome} Outcome
 * @typedef {import('./options.js').Resolved} Resolved
 */

export class RoundBudget {
  #o
  #held
  #sends = 0

  /**
   * @param {Pick<Resolved, 'retry' | 'random' | 'isOnline' | 'refreshDeadline'>} o
   * @param {{ unansweredAt: number | null }} held
   */
  constructor(o, held) {
    this.#o = o
    this.#held = held
  }

  /** Client ms past which no attempt goes out; Infinity while no attempt went unanswered. */
  get #deadline() {
    const at = this.#held.unansweredAt
    return at === null ? Infinity : at + this.#o.refreshDeadline * 1000
  }

  /** An attempt goes out. */
  sent() {
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
    if (outcome.kind === 'fatal' || attempt >= retry.attempts || !this.open(now)) return null
    const delay = isOnline() ? backoffDelay(attempt, retry, random, outcome.error.retryAfter) : retry.maxDelay
    return Math.max(0, Math.min(delay * 1000, this.#deadline - now))
  }
}

/**
 * Whether an attempt went unanswered: timed out, so the edge may have rotated meanwhile.
 * @param {Outcome} outcome
 */
export const unanswered = (outcome) => outcome.kind === 'retry' && outcome.error.reason === 'timeout'
