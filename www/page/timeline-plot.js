// The timeline's arithmetic, pure (tests/demo/timeline.test.mjs): every time in one clock, the
// server's. A token's iat and exp are server seconds already; a client time (an event's `at`,
// now) becomes server time with the session's skew estimate in force then (serverNow ≈
// clientNow + skew, in ms), recorded with each event as `clock`. An event recorded without one
// (after a logout, or before any answer) takes the last estimate before it, else 0.

/**
 * @typedef {{ kind: string, at: number, clock?: number, iat?: number, exp?: number, skew?: number, gen?: number, enc?: boolean }} TimelineEvent
 * @param {TimelineEvent[]} events oldest first
 * @param {number} nowMs the client clock now (ms)
 * @param {number} rows how many token rows to show (the newest)
 * @returns {{ tokens: TimelineEvent[], ends: { kind: string, t: number }[], now: number, start: number, end: number } | null}
 *   every time in server seconds; null without any token
 */
export function plot(events, nowMs, rows) {
  let clock = 0
  /** @type {{ kind: string, t: number }[]} */
  const ends = []
  for (const e of events) {
    if (typeof e.clock === 'number' && Number.isFinite(e.clock)) clock = e.clock
    if (e.kind === 'logout' || e.kind === 'expired' || e.kind === 'replay')
      ends.push({ kind: e.kind, t: (e.at + clock) / 1000 })
  }
  const tokens = events.filter((e) => e.iat !== undefined && e.exp !== undefined).slice(-rows)
  if (tokens.length === 0) return null
  const now = (nowMs + clock) / 1000
  const start = Math.min(...tokens.map((t) => /** @type {number} */ (t.iat)))
  const end = Math.max(now, ...tokens.map((t) => /** @type {number} */ (t.exp)))
  return { tokens, ends: ends.filter((e) => e.t >= start), now, start, end }
}
