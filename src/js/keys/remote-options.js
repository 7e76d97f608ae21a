// @ts-check
/**
 * The options of `remoteKeySet(url, options)`, checked once into a frozen config: the URL (https;
 * http only for a loopback host), the format, the injected dependencies (fetch, the Cache API,
 * KV, timers) and the bounds of the cache (seconds) and of a fetch (milliseconds, bytes). Every
 * bad option is a `TypeError` `ERR_INVALID_OPTIONS`; none can switch a bound off.
 */
import { bad, fn, object, seconds } from '../internal/options.js'
import { FORMATS } from './body-shape.js'

/** The defaults, in the README's cache paragraph. */
export const DEFAULTS = Object.freeze({
  /** jose's timeout. */
  timeout: 5000,
  maxBytes: 64 * 1024,
  minTtl: 60,
  /** jose's cacheMaxAge (10 minutes); an unknown kid refetches earlier (after `cooldown`). */
  maxTtl: 600,
  /** jose's cooldownDuration. */
  cooldown: 30,
  staleIfError: 3600,
})

const OPTIONS = new Set([
  'format',
  'fetch',
  'cache',
  'kv',
  'timeout',
  'maxBytes',
  'minTtl',
  'maxTtl',
  'cooldown',
  'staleIfError',
  'timers',
])

/** @param {string} host */
const isLoopback = (host) => host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host)

/**
 * @param {unknown} url
 * @returns {string}
 */
function keySetUrl(url) {
  let u
  try {
    u = typeof url === 'string' || url instanceof URL ? new URL(url) : undefined
  } catch {
    u = undefined
  }
  if (!u) throw bad('remoteKeySet: the url must be an absolute URL')
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopback(u.hostname))) {
    throw bad('remoteKeySet: the url must be https (http only for a loopback host)')
  }
  if (u.username || u.password) throw bad('remoteKeySet: the url must not carry credentials')
  u.hash = ''
  return u.href
}

/**
 * A whole number within [min, max].
 * @param {unknown} v @param {string} what @param {number} fallback @param {number} min @param {number} max
 */
function whole(v, what, fallback, min, max) {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw bad(`${what} must be an integer from ${min} to ${max}`)
  }
  return v
}

/**
 * @param {string} what @param {unknown} v @param {string[]} methods
 */
function withMethods(v, what, methods) {
  const o = /** @type {any} */ (v)
  if (
    o === null ||
    (typeof o !== 'object' && typeof o !== 'function') ||
    !methods.every((m) => typeof o[m] === 'function')
  ) {
    throw bad(`${what} must be an object with ${methods.join(' and ')} methods`)
  }
  return o
}

/**
 * @typedef {{
 *   format?: 'jwks' | 'x509', fetch?: typeof fetch,
 *   cache?: import('./tiers.js').CacheLike | false, kv?: import('./tiers.js').KvLike,
 *   timeout?: number, maxBytes?: number, minTtl?: number, maxTtl?: number, cooldown?: number, staleIfError?: number,
 *   timers?: import('./fetch-body.js').Timers,
 * }} RemoteKeySetOptions
 * @typedef {import('./fetch-body.js').Timers} Timers
 * @typedef {{
 *   url: string, format: 'jwks' | 'x509', fetch: typeof fetch,
 *   cache: import('./tiers.js').CacheLike | undefined, kv: import('./tiers.js').KvLike | undefined,
 *   timeout: number, maxBytes: number, minTtl: number, maxTtl: number, cooldown: number, staleIfError: number,
 *   timers: Timers,
 * }} RemoteConfig
 */

/**
 * @param {unknown} url
 * @param {unknown} options
 * @returns {Readonly<RemoteConfig>}
 */
export function remoteConfig(url, options) {
  const o = options === undefined ? {} : object(options, 'options', OPTIONS)
  const format = o.format ?? 'jwks'
  if (!FORMATS.has(format)) throw bad('options.format must be "jwks" or "x509"')
  const minTtl = seconds(o.minTtl, 'options.minTtl', DEFAULTS.minTtl, { min: 1 })
  const maxTtl = seconds(o.maxTtl, 'options.maxTtl', DEFAULTS.maxTtl, { min: 1 })
  if (minTtl > maxTtl || maxTtl > 86400) throw bad('options.maxTtl must be at least options.minTtl and at most 86400')
  const staleIfError = seconds(o.staleIfError, 'options.staleIfError', DEFAULTS.staleIfError)
  if (staleIfError > 7 * 86400) throw bad('options.staleIfError must be at most 604800 seconds')
  const cooldown = seconds(o.cooldown, 'options.cooldown', DEFAULTS.cooldown, { min: 1 })
  if (cooldown > 3600) throw bad('options.cooldown must be at most 3600 seconds')
  const g = /** @type {any} */ (globalThis)
  /** @type {Timers} */
  const timers =
    o.timers === undefined
      ? { setTimeout: (f, ms) => g.setTimeout(f, ms), clearTimeout: (id) => g.clearTimeout(id) }
      : withMethods(o.timers, 'options.timers', ['setTimeout', 'clearTimeout'])
  return Object.freeze({
    url: keySetUrl(url),
    format,
    fetch: o.fetch === undefined ? (u, i) => g.fetch(u, i) : fn(o.fetch, 'options.fetch'),
    // `cache: false` opts out of the Cache API; undefined takes `caches.default` where there is one.
    cache:
      o.cache === false
        ? undefined
        : o.cache === undefined
          ? g.caches?.default
          : withMethods(o.cache, 'options.cache', ['match', 'put']),
    kv: o.kv === undefined ? undefined : withMethods(o.kv, 'options.kv', ['get', 'put']),
    timeout: whole(o.timeout, 'options.timeout', DEFAULTS.timeout, 1, 60000),
    maxBytes: whole(o.maxBytes, 'options.maxBytes', DEFAULTS.maxBytes, 256, 16 * 1024 * 1024),
    minTtl,
    maxTtl,
    cooldown,
    staleIfError,
    timers,
  })
}
