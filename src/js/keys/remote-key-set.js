// @ts-check
/**
 * `remoteKeySet(url, options)`: a KeySet (key-set-contract.js) fetched from an identity provider
 * and cached the way Workers need. Each instance holds its own memory tier (make it once per
 * isolate, at module scope); below it the shared second tier (tiers.js: the Cache API, KV), then
 * the network (fetch-body.js). Freshness comes from the answer's headers (cache-control.js).
 *
 * - `snapshot(now)`: the cached body while fresh; after a failed refresh, the stale one for at
 *   most `staleIfError` seconds past its expiry, and only until the next retry is due.
 * - `load({ now, reason, scope })`: single flight inside one `scope` (a WeakMap from the scope to
 *   its promise); a promise is never handed to another scope, since workerd hangs on a promise of
 *   another request (jose#355, #509). Across scopes, a load that finds another request's fetch in
 *   flight polls for its result on its own timers (for at most `timeout`) instead of fetching. `'unknown-kid'` looks again (the second tier, then the
 *   network) at most once per `cooldown`; within it the current snapshot answers.
 * - Failures back off: 1, 2, 4 … seconds, at most `cooldown`, with no fetch in between (the
 *   second tier is still read, so a body another isolate fetched ends the wait). A failure is
 *   recorded in the Cache API with its retry time, and the other isolates wait with it.
 * - `refused(version, error)`: the verifier could not use that body: it is forgotten (here and in
 *   the second tier), never handed out again, and counts as a failure; the one before it, if any,
 *   serves within `staleIfError`.
 */
import { bad } from '../internal/options.js'
import { freshFor } from './cache-control.js'
import { fetchBody } from './fetch-body.js'
import { KEY_SET } from './key-set-contract.js'
import { JWKSFetchFailed, JWKSInvalid, JWKSTimeout, JWKSTooLarge } from './key-set-errors.js'
import { remoteConfig } from './remote-options.js'
import { tiers } from './tiers.js'
import { nextVersion } from './versions.js'

/** How often a request waiting for another request's fetch looks again, in milliseconds. */
const POLL = 10
/** How many refused bodies are remembered. */
const REFUSED_KEPT = 4
const REASONS = new Set(['empty', 'unknown-kid'])

/**
 * @typedef {import('./key-set-contract.js').KeySetSnapshot} KeySetSnapshot
 * @typedef {{ view: KeySetSnapshot, expiresAt: number }} Entry
 */

/**
 * The error of a failure another isolate recorded (its code and status; the message says whose).
 * @param {{ code: string, status: number }} f
 */
const failureOf = ({ code, status }) => {
  const message = 'the key set failed in another isolate; retrying later'
  if (code === 'ERR_JWKS_TIMEOUT') return new JWKSTimeout(message)
  if (code === 'ERR_JWKS_TOO_LARGE') return new JWKSTooLarge(message)
  if (code === 'ERR_JWKS_INVALID') return new JWKSInvalid(message)
  return new JWKSFetchFailed(message, { status })
}

/** @param {unknown} now @returns {number} */
const checkNow = (now) => {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw bad('now must be a finite number of seconds')
  return now
}

/**
 * @param {string | URL} url
 * @param {import('./remote-options.js').RemoteKeySetOptions} [options]
 * @returns {import('./key-set-contract.js').KeySet}
 */
export function remoteKeySet(url, options) {
  const c = remoteConfig(url, options)
  const tier = tiers(c)
  /** @type {Entry | undefined} */
  let current
  /** @type {Entry | undefined} */
  let prior
  /** @type {string[]} */
  const refusedBodies = []
  let failures = 0
  let retryAt = Number.NEGATIVE_INFINITY
  let lastLook = Number.NEGATIVE_INFINITY
  let latestNow = Number.NEGATIVE_INFINITY
  /** @type {unknown} */
  let lastError
  /** @type {WeakMap<object, Promise<KeySetSnapshot>>} */
  const inflight = new WeakMap()
  /** The fetch in flight in this isolate, if any, and the time it started. @type {{ at: number } | undefined} */
  let fetching

  /** @param {Entry | undefined} e @param {number} now */
  const usable = (e, now) =>
    e !== undefined && (now < e.expiresAt || (now < retryAt && now < e.expiresAt + c.staleIfError))

  /** @param {number} now */
  const snapshot = (now) => {
    latestNow = Math.max(latestNow, now)
    return usable(current, now) ? current?.view : undefined
  }

  /**
   * Takes a body (same text: same version, new expiry).
   * @param {string} body @param {number} expiresAt
   * @returns {Entry}
   */
  const adopt = (body, expiresAt) => {
    if (refusedBodies.includes(body)) throw new JWKSInvalid('the key set is one the verifier refused')
    if (current && current.view.body === body) {
      current.expiresAt = Math.max(current.expiresAt, expiresAt)
    } else {
      prior = current
      current = { view: Object.freeze({ version: nextVersion(), format: c.format, body }), expiresAt }
    }
    failures = 0
    retryAt = Number.NEGATIVE_INFINITY
    return current
  }

  /** @param {number} now @param {unknown} error */
  const failed = (now, error) => {
    failures += 1
    lastError = error
    retryAt = now + Math.min(2 ** (failures - 1), c.cooldown)
  }

  /**
   * The second tier's entry, if there is one and it is not refused; the same body as the current
   * one extends its expiry, and answers only when `news` is not asked for (an unknown kid wants
   * another body).
   * @param {number} now @param {boolean} news
   */
  const fromTier = async (now, news) => {
    const e = await tier.read(now)
    if (!e || refusedBodies.includes(e.body)) return undefined
    const same = e.body === current?.view.body
    const entry = adopt(e.body, e.expiresAt)
    return same && news ? undefined : entry.view
  }

  /**
   * Waits (on this scope's own timers, polling every `POLL` ms) until the fetch another request
   * started ends, for at most `timeout`: a burst of requests on a cold isolate costs one fetch,
   * and no request ever awaits another's promise. A fetch that started more than `timeout` ago
   * (its request may be gone) is not waited for.
   * @param {number} now
   */
  const otherFetch = (now) => {
    const f = fetching
    if (!f || now - f.at > c.timeout / 1000) return undefined
    return new Promise((resolve) => {
      let left = Math.ceil(c.timeout / POLL)
      const tick = () => {
        left -= 1
        if (fetching !== f || left <= 0) resolve(undefined)
        else c.timers.setTimeout(tick, POLL)
      }
      c.timers.setTimeout(tick, POLL)
    })
  }

  /** @param {number} now */
  const fromNetwork = async (now) => {
    const mine = { at: now }
    fetching = mine
    try {
      const { body, headers } = await fetchBody(c)
      const entry = adopt(body, now + freshFor(headers, c))
      await tier.write({ body, expiresAt: entry.expiresAt, fetchedAt: now })
      return entry.view
    } catch (error) {
      failed(now, error)
      const e = /** @type {any} */ (error)
      await tier.failed({ retryAt, failures, code: String(e?.code ?? ''), status: e?.status ?? 0 }, now)
      const stale = snapshot(now)
      if (stale) return stale
      throw error
    } finally {
      if (fetching === mine) fetching = undefined
    }
  }

  /** @param {number} now @param {string} reason @param {boolean} [waited] */
  const run = async (now, reason, waited = false) => {
    if (reason === 'unknown-kid' && snapshot(now)) {
      const s = /** @type {KeySetSnapshot} */ (snapshot(now))
      if (now - lastLook < c.cooldown || now < retryAt) return s
      const wait = !waited && otherFetch(now)
      if (wait) {
        await wait
        return await run(now, 'empty', true)
      }
      lastLook = now
      return (await fromTier(now, true)) ?? (await fromNetwork(now))
    }
    const s = snapshot(now)
    if (s) return s
    // While backing off, another isolate may have fetched: the second tier still answers.
    const shared = await fromTier(now, false)
    if (shared) return shared
    if (now < retryAt) throw lastError
    // Another isolate's fetch failed: take its count of failures (so the location's backoff keeps
    // growing whichever isolate tries next) and, while its retry time is ahead, wait with it.
    const other = await tier.failure(now, c.cooldown)
    if (other) {
      failures = Math.max(failures, other.failures)
      if (now < other.retryAt) {
        lastError = failureOf(other)
        retryAt = other.retryAt
        const stale = snapshot(now)
        if (stale) return stale
        throw lastError
      }
    }
    const wait = !waited && otherFetch(now)
    if (wait) {
      await wait
      return await run(now, reason, true)
    }
    return await fromNetwork(now)
  }

  return {
    [KEY_SET]: true,
    snapshot: (now) => snapshot(checkNow(now)),
    load(request) {
      let now
      let reason
      let scope
      try {
        const r = /** @type {any} */ (request)
        if (r === null || typeof r !== 'object') throw bad('load needs { now, reason, scope }')
        now = checkNow(r.now)
        reason = r.reason ?? 'empty'
        scope = r.scope
        if (!REASONS.has(reason)) throw bad('load: reason must be "empty" or "unknown-kid"')
        if (scope !== undefined && (scope === null || (typeof scope !== 'object' && typeof scope !== 'function'))) {
          throw bad('load: scope must be an object (the request)')
        }
      } catch (e) {
        return Promise.reject(e)
      }
      latestNow = Math.max(latestNow, now)
      const shared = scope && inflight.get(scope)
      if (shared) return shared
      const p = run(now, reason)
      if (scope) {
        inflight.set(scope, p)
        const clear = () => {
          if (inflight.get(scope) === p) inflight.delete(scope)
        }
        p.then(clear, clear)
      }
      return p
    },
    refused(version, error) {
      const now = latestNow
      for (const e of [current, prior]) {
        if (e && e.view.version === version) {
          refusedBodies.push(e.view.body)
          if (refusedBodies.length > REFUSED_KEPT) refusedBodies.shift()
        }
      }
      if (current?.view.version === version) {
        current = prior
        prior = undefined
        failed(now, new JWKSInvalid('the verifier refused the key set', { cause: error }))
        tier.drop().catch(() => {})
      } else if (prior?.view.version === version) {
        prior = undefined
      }
    },
  }
}
