// @ts-check
/**
 * The session's storage: a Web Storage (sessionStorage by default) with an in-memory mirror.
 *
 * Every value is also kept in memory, so when the storage turns out to be missing or starts
 * throwing (sandboxed iframes, opaque origins, some private modes, a full quota), the session
 * goes on in memory without losing the token, and `onFail` is told once. Nothing but the access
 * token and the tab id is ever written.
 */

/**
 * @typedef {import('./index.js').StorageLike} StorageLike
 * @typedef {{
 *   get(key: string): string | null,
 *   set(key: string, value: string): void,
 *   remove(key: string): void,
 *   readonly kind: 'storage' | 'memory',
 * }} SessionStore
 */

/** The warning when the token can only be kept in memory. */
export const STORAGE_NOTICE =
  'sessionStorage is unavailable or failing: the access token is kept in memory (this tab only, lost on reload)'

/**
 * @param {() => StorageLike | null | undefined} resolve returns the storage; may throw (a
 *   `sessionStorage` getter throws `SecurityError` in sandboxed iframes)
 * @param {string} probeKey
 * @param {(cause: unknown) => void} onFail called at most once, when falling back to memory
 * @param {boolean} quiet true when memory was asked for (`storage: null`): no `onFail`
 * @returns {SessionStore}
 */
export function openStore(resolve, probeKey, onFail, quiet) {
  /** @type {Map<string, string>} */
  const memory = new Map()
  /** @type {StorageLike | null} */
  let backend = null
  let failed = false
  /** @param {unknown} cause */
  const fail = (cause) => {
    backend = null
    if (failed) return
    failed = true
    onFail(cause)
  }
  if (!quiet) {
    try {
      const s = resolve()
      if (
        !s ||
        typeof s.getItem !== 'function' ||
        typeof s.setItem !== 'function' ||
        typeof s.removeItem !== 'function'
      ) {
        throw new TypeError('no Web Storage here')
      }
      // A storage can exist and still refuse writes (quota 0 in some private modes).
      s.setItem(probeKey, '1')
      s.removeItem(probeKey)
      backend = s
    } catch (e) {
      fail(e)
    }
  }
  return {
    get(key) {
      if (backend) {
        try {
          const v = backend.getItem(key)
          if (v === null) memory.delete(key)
          else memory.set(key, v)
          return v
        } catch (e) {
          fail(e)
        }
      }
      return memory.get(key) ?? null
    },
    set(key, value) {
      memory.set(key, value)
      if (backend) {
        try {
          backend.setItem(key, value)
        } catch (e) {
          fail(e)
        }
      }
    },
    remove(key) {
      memory.delete(key)
      if (backend) {
        try {
          backend.removeItem(key)
        } catch (e) {
          fail(e)
        }
      }
    },
    get kind() {
      return backend ? 'storage' : 'memory'
    },
  }
}
