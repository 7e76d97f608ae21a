// @ts-check
/**
 * Time arithmetic of the session, pure functions (no clock is read here; `now` is passed in).
 *
 * Two clocks: the client's wall clock (`clock()`, ms) and the server's. `skew` (ms) relates
 * them: serverNow ≈ clientNow + skew. It is estimated when a token arrives, from the answer's
 * `Date` header and the token's `iat`, and used only to place the refresh point and to judge
 * expiry on the client; nothing is ever verified with it.
 */

/** Beyond this difference the estimate is clamped (a clock or an answer is unusable). */
export const MAX_SKEW_MS = 24 * 3600 * 1000
/** A difference this large is worth telling the application about (one `warning`). */
export const NOTABLE_SKEW_MS = 5 * 60 * 1000
/** `iat` and `Date` within this of each other (plus the round trip) are averaged; else `Date` wins. */
export const AGREEMENT_MS = 5000

/** @param {unknown} v @returns {v is number} */
const finite = (v) => typeof v === 'number' && Number.isFinite(v)

/**
 * Estimates the skew (ms, serverNow − clientNow) from one answer.
 *
 * Samples, each taken against the midpoint of the request's round trip (second resolution):
 * - `Date` (the clock of the server that answered, the one that will judge `exp`);
 * - the fresh token's `iat` (the issuer's clock when it minted the token);
 * - without `iat`: `exp − expires_in`.
 * `Date` and `iat` agreeing (within 5 s plus the round trip) are averaged; disagreeing, `Date`
 * wins (the token may not have been minted for this answer). Undefined when no sample exists.
 * @param {{ sentAt: number, receivedAt: number, date?: string | number | null, iat?: number, exp?: number, expiresIn?: number }} r
 * @returns {number | undefined}
 */
export function estimateSkew(r) {
  const mid = (r.sentAt + r.receivedAt) / 2
  const rtt = Math.max(0, r.receivedAt - r.sentAt)
  const dateMs = typeof r.date === 'number' ? r.date : typeof r.date === 'string' ? Date.parse(r.date) : NaN
  const fromDate = Number.isFinite(dateMs) ? dateMs - mid : undefined
  const fromIat = finite(r.iat) ? r.iat * 1000 - mid : undefined
  const fromTtl =
    fromIat === undefined && finite(r.exp) && finite(r.expiresIn) ? (r.exp - r.expiresIn) * 1000 - mid : undefined
  let skew
  if (fromDate !== undefined && fromIat !== undefined) {
    skew = Math.abs(fromDate - fromIat) <= AGREEMENT_MS + rtt ? (fromDate + fromIat) / 2 : fromDate
  } else skew = fromDate ?? fromIat ?? fromTtl
  return skew === undefined ? undefined : Math.round(skew)
}

/**
 * Clamps a skew estimate to ±24 h.
 * @param {number} skew
 * @returns {{ skew: number, clamped: boolean }}
 */
export function boundSkew(skew) {
  if (skew > MAX_SKEW_MS) return { skew: MAX_SKEW_MS, clamped: true }
  if (skew < -MAX_SKEW_MS) return { skew: -MAX_SKEW_MS, clamped: true }
  return { skew, clamped: false }
}

/**
 * Where a token's refresh point and expiry fall on the client clock (ms).
 *
 * refreshAt = exp − lead, with lead = refreshBefore + random()·jitter (seconds), but never more
 * than half the token's lifetime (exp − iat, or what is left of it when there is no `iat`), so
 * a short-lived token is not refreshed in a loop. Both are shifted by the skew onto the client
 * clock. A token without `exp` never needs refreshing (Infinity).
 * @param {{ exp?: number, iat?: number, skew: number, now: number, refreshBefore: number, jitter: number, random: () => number }} p
 * @returns {{ expiresAt: number, refreshAt: number }}
 */
export function refreshPlan(p) {
  if (!finite(p.exp)) return { expiresAt: Infinity, refreshAt: Infinity }
  const serverNow = (p.now + p.skew) / 1000
  const lifetime = finite(p.iat) && p.iat < p.exp ? p.exp - p.iat : Math.max(0, p.exp - serverNow)
  const lead = Math.min(p.refreshBefore + unit(p.random) * p.jitter, lifetime / 2)
  return { expiresAt: Math.round(p.exp * 1000 - p.skew), refreshAt: Math.round((p.exp - lead) * 1000 - p.skew) }
}

/**
 * The wait (seconds) after the `failures`-th failed attempt of a round: baseDelay·2^(failures−1),
 * capped at maxDelay, times a jitter factor in [0.8, 1.2) (capped at maxDelay again). A
 * `Retry-After` from the server raises it (still capped at maxDelay).
 * @param {number} failures 1 after the first failure
 * @param {{ baseDelay: number, maxDelay: number }} retry
 * @param {() => number} random
 * @param {number} [retryAfter]
 */
export function backoffDelay(failures, retry, random, retryAfter) {
  const base = Math.min(retry.maxDelay, retry.baseDelay * 2 ** (failures - 1))
  const jittered = base * (0.8 + 0.4 * unit(random))
  return Math.min(retry.maxDelay, Math.max(jittered, retryAfter ?? 0))
}

/**
 * Seconds from a `Retry-After` header (delta-seconds or an HTTP date), undefined when absent
 * or unreadable.
 * @param {string | null} value
 * @param {number} now client ms
 * @param {number} skew
 */
export function retryAfterSeconds(value, now, skew) {
  if (value === null) return undefined
  const v = value.trim()
  if (/^\d+$/.test(v)) return Number(v)
  const at = Date.parse(v)
  return Number.isFinite(at) ? Math.max(0, (at - (now + skew)) / 1000) : undefined
}

/**
 * A random() value forced into [0, 1) (a bad injected source must not break the arithmetic).
 * @param {() => number} random
 */
function unit(random) {
  const r = random()
  return finite(r) && r >= 0 && r < 1 ? r : 0.5
}
