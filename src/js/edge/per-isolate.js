// @ts-check
/**
 * Options given directly or as a function of the Worker's `env`: resolved on first use and then
 * kept for the life of the isolate (a failure is not kept, so the next request tries again).
 * `perIsolate` is for values the routes need synchronously (authRoutes' signer and secrets);
 * `perIsolateAsync` lets the function be async and shares one call between concurrent first
 * requests (the guard's key ring and device secret). A value given directly is checked now, so
 * a bad option fails at construction time.
 */

/**
 * A value given directly, already checked.
 * @template T
 * @param {T} value
 * @returns {() => T}
 */
const fixed = (value) => () => value

/**
 * @template T
 * @param {unknown} option the value, or `(env) => value`
 * @param {(v: unknown) => T} check validates (and converts) the raw value
 * @returns {(env: unknown) => T}
 */
export function perIsolate(option, check) {
  if (typeof option !== 'function') return fixed(check(option))
  /** @type {{ value: T } | undefined} */
  let cached
  return (env) => {
    if (!cached) cached = { value: check(option(env)) }
    return cached.value
  }
}

/**
 * Like `perIsolate`, for a function that may return a promise. The returned resolver answers
 * the value itself once it is known (no extra await on the hot path), a promise before that.
 * @template T
 * @param {unknown} option the value, or `(env) => value | Promise<value>`
 * @param {(v: unknown) => T} check
 * @returns {(env: unknown) => T | Promise<T>}
 */
export function perIsolateAsync(option, check) {
  if (typeof option !== 'function') return fixed(check(option))
  /** @type {{ value: T } | undefined} */
  let cached
  /** @type {Promise<T> | undefined} */
  let pending
  return (env) => {
    if (cached) return cached.value
    if (!pending) {
      pending = (async () => check(await option(env)))().then(
        (value) => {
          cached = { value }
          return value
        },
        (e) => {
          pending = undefined
          throw e
        },
      )
    }
    return pending
  }
}
