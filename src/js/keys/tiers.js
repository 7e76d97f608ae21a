// @ts-check
/**
 * The second tier of a remote key set, shared by the isolates of a location: the Workers Cache
 * API (`caches.default`, or the injected `cache`) and, optionally, a KV namespace. Each entry
 * carries its own expiry (the fetching isolate's `expiresAt`, in the caller's seconds), so the
 * reader judges freshness with its injected clock, never with the tier's. A tier that fails or
 * holds something unreadable is a miss: it can cost a fetch, never a wrong key set.
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
      if (c.kv) {
        const kv = c.kv
        jobs.push((async () => kv.put(key, JSON.stringify(e), { expirationTtl: Math.max(KV_MIN_TTL, ttl) }))())
      }
      await Promise.allSettled(jobs)
    },
    /** Forgets the tiers' entry (a body the verifier refused), failures ignored. */
    async drop() {
      await Promise.allSettled([(async () => c.cache?.delete?.(key))(), (async () => c.kv?.delete?.(key))()])
    },
  }
}
