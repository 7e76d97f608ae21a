// @ts-check
/**
 * `BoundedMap`: a Map with a maximum entry count and an expiry per entry, for what the edge keeps
 * in an isolate (the login-throttle counters, `memoryStore`'s families). Entries stay in the
 * order they were first set (an update keeps the place), so the oldest goes first: when the map
 * is full, adding an entry drops the oldest one; an entry past its expiry reads as absent and is
 * dropped when read, and expired entries at the old end are swept on every insertion.
 */
export class BoundedMap {
  /** @type {Map<string, { value: any, expiresAt: number }>} */
  #entries = new Map()
  #max

  /** @param {number} max the most entries kept (a positive integer) */
  constructor(max) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError('BoundedMap needs a positive integer maximum')
    this.#max = max
  }

  get size() {
    return this.#entries.size
  }

  /**
   * The value of `key`, or undefined when absent or expired at `now` (seconds); an expired entry
   * is dropped. Without `now`, expiry is not judged.
   * @param {string} key
   * @param {number} [now]
   */
  get(key, now) {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    if (now !== undefined && now >= entry.expiresAt) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  /**
   * Sets `key` to `value` until `expiresAt` (seconds). A new key first sweeps the entries expired
   * at `now` from the old end, then drops the oldest while the map is full.
   * @param {string} key
   * @param {any} value
   * @param {number} expiresAt
   * @param {number} now
   */
  set(key, value, expiresAt, now) {
    const entry = this.#entries.get(key)
    if (entry) {
      entry.value = value
      entry.expiresAt = expiresAt
      return
    }
    for (const [k, e] of this.#entries) {
      if (now < e.expiresAt && this.#entries.size < this.#max) break
      this.#entries.delete(k)
    }
    this.#entries.set(key, { value, expiresAt })
  }

  /** @param {string} key */
  delete(key) {
    this.#entries.delete(key)
  }

  /** Every key and value (expired ones included), oldest first. */
  *entries() {
    for (const [k, e] of this.#entries) yield/** @type {[string, any]} */ ([k, e.value])
  }
}
