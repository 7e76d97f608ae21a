// @ts-check
/**
 * The second tier of a remote key set, shared by the isolates of a location: the Workers Cache
 * API (`caches.default`, or the injected `cache`) and, optionally, a KV namespace. Each entry
 * carries its own expiry (the fetching isolate's `expiresAt`, in the caller's seconds), so the
 * reader judges freshness with its injected clock, never with the tier's. A tier that fails or
 * holds something unreadable is a miss: it can cost a fetch, never a wrong key set. A failed
 * fetch is recorded there too (the Cache API only: its retry time, the count of failures in a row, code and status), so the
 * other isolates of the location wait with it rather than each asking a failing provider.
 */
import { checkBody } from './body-shape.js'

/**
 * @typedef {{ match(key: Request | string): Promise<Response | undefined>, put(key: Request | string, res: Response): Promise<void>, delete?(key: Request | string): Promise<boolean> }} CacheLike
 * @typedef {{ get(key: string): Promise<string | null>, put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>, delete?(key: string): Promise<void> }} KvLike
 * @typedef {{ body: string, expiresAt: number, fetchedAt: number }} TierEntry
 */

const EXPIRES = 'x-jwt-wasm-expires'
const FETCHED = 'x-jwt-wasm-fetched'
/** KV's smallest `expirationTtl`. */
const KV_MIN_TTL = 60

/**
 * The tier's key for a key set: a URL of its own (never the key set's URL, so it cannot collide
 * with what the application caches under that URL).
 * @param {string} url
 * @param {string} format
 */
export const tierKey = (url, format) => `https://key-set.jwt-wasm.invalid/v1/${format}/${encodeURIComponent(url)}`

/**
 * An entry read back, if it is well formed, of the format's shape and fresh at `now`.
 * @param {string} body @param {number} expiresAt @param {number} fetchedAt @param {'jwks' | 'x509'} format @param {number} now
 * @returns {TierEntry | undefined}
 */
function fresh(body, expiresAt, fetchedAt, format, now) {
  // fetchedAt is not compared with now: isolates' clocks differ by a little.
  if (!Number.isFinite(expiresAt) || !Number.isFinite(fetchedAt) || now >= expiresAt) return
  try {
    checkBody(body, format)
  } catch {
    return
  }
  return { body, expiresAt, fetchedAt }
}

/**
 * @param {{ cache?: CacheLike, kv?: KvLike, url: string, format: 'jwks' | 'x509', maxBytes: number }} c
 */
export function tiers(c) {
  const key = tierKey(c.url, c.format)
  const failureKey = `${key}/failure`
  return {
    /**
     * The freshest entry of the tiers at `now` (the Cache API first, then KV), or undefined.
     * @param {number} now
     * @returns {Promise<TierEntry | undefined>}
     */
    async read(now) {
      if (c.cache) {
        try {
          const res = await c.cache.match(key)
          if (res) {
            const body = await res.text()
            const got =
              body.length <= c.maxBytes &&
              fresh(body, Number(res.headers.get(EXPIRES)), Number(res.headers.get(FETCHED)), c.format, now)
            if (got) return got
          }
        } catch {}
      }
      if (c.kv) {
        try {
          const text = await c.kv.get(key)
          const e = text === null ? undefined : JSON.parse(text)
          const got =
            e &&
            typeof e.body === 'string' &&
            e.body.length <= c.maxBytes &&
            fresh(e.body, Number(e.expiresAt), Number(e.fetchedAt), c.format, now)
          if (got) return got
        } catch {}
      }
      return undefined
    },
    /**
     * Stores a freshly fetched entry in every tier (failures ignored).
     * @param {TierEntry} e
     */
    async write(e) {
      const ttl = Math.max(1, Math.ceil(e.expiresAt - e.fetchedAt))
      const jobs = []
      if (c.cache) {
        const headers = {
          'content-type': 'application/json',
          'cache-control': `max-age=${ttl}`,
          [EXPIRES]: String(e.expiresAt),
          [FETCHED]: String(e.fetchedAt),
        }
        const cache = c.cache
        jobs.push((async () => cache.put(key, new Response(e.body, { headers })))())
      }
      // A fetch that worked ends the failure recorded by any isolate.
      if (c.cache?.delete) {
        const cache = c.cache
        jobs.push((async () => cache.delete?.(failureKey))())
      }
      if (c.kv) {
        const kv = c.kv
        jobs.push((async () => kv.put(key, JSON.stringify(e), { expirationTtl: Math.max(KV_MIN_TTL, ttl) }))())
      }
      await Promise.allSettled(jobs)
    },
    /**
     * The failure another isolate recorded, unless it is older than a `cooldown` past its retry
     * time: its retry time (while ahead, this isolate waits too instead of fetching), the count of
     * failures in a row (so the location's backoff keeps growing), its error's code and status.
     * The Cache API only.
     * @param {number} now
     * @param {number} cooldown
     * @returns {Promise<{ retryAt: number, failures: number, code: string, status: number } | undefined>}
     */
    async failure(now, cooldown) {
      try {
        const res = await c.cache?.match(failureKey)
        const f = res && JSON.parse(await res.text())
        if (f && Number.isFinite(f.retryAt) && now < f.retryAt + cooldown && typeof f.code === 'string') {
          const failures = Number.isInteger(f.failures) && f.failures > 0 ? Math.min(f.failures, 64) : 1
          return { retryAt: f.retryAt, failures, code: f.code, status: Number.isInteger(f.status) ? f.status : 0 }
        }
      } catch {}
      return undefined
    },
    /**
     * Records a failed fetch for the other isolates (failures ignored).
     * @param {{ retryAt: number, failures: number, code: string, status: number }} f
     * @param {number} now
     */
    async failed(f, now) {
      const cache = c.cache
      if (!cache) return
      const ttl = Math.max(1, Math.ceil(f.retryAt - now + 3600))
      const headers = { 'content-type': 'application/json', 'cache-control': `max-age=${ttl}` }
      await (async () => cache.put(failureKey, new Response(JSON.stringify(f), { headers })))().catch(() => {})
    },
    /** Forgets the tiers' entry (a body the verifier refused), failures ignored. */
    async drop() {
      await Promise.allSettled([(async () => c.cache?.delete?.(key))(), (async () => c.kv?.delete?.(key))()])
    },
  }
}
