// @ts-check
/**
 * How long a fetched key set stays fresh, from its answer's headers: the smallest of
 * `Cache-Control` `max-age` and `s-maxage` (`no-store` and `no-cache` count as 0), minus `Age`,
 * then bounded by `minTtl` and `maxTtl`. Without either directive the answer gets `maxTtl`.
 * `Expires` is ignored: judging it needs the server's clock (`Date`), and every provider that sends
 * it sends `max-age` too. Pure: headers in, seconds out.
 */

/**
 * A directive's value as whole seconds, or undefined when it is absent or not a number.
 * @param {string} v
 */
const delta = (v) => {
  const s = v.replace(/^"(.*)"$/, '$1')
  return /^\d{1,10}$/.test(s) ? Number(s) : undefined
}

/**
 * @param {{ get(name: string): string | null }} headers
 * @param {{ minTtl: number, maxTtl: number }} bounds
 * @returns {number} seconds
 */
export function freshFor(headers, { minTtl, maxTtl }) {
  /** @type {number | undefined} */
  let ttl
  for (const part of (headers.get('cache-control') ?? '').split(',')) {
    const [name = '', value = ''] = part.split('=', 2).map((s) => s.trim())
    const n = name.toLowerCase()
    const s = n === 'no-store' || n === 'no-cache' ? 0 : n === 'max-age' || n === 's-maxage' ? delta(value) : undefined
    if (s !== undefined) ttl = ttl === undefined ? s : Math.min(ttl, s)
  }
  if (ttl === undefined) return maxTtl
  const age = delta(headers.get('age') ?? '') ?? 0
  return Math.min(maxTtl, Math.max(minTtl, ttl - age))
}
