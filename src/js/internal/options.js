// @ts-check
/**
 * Option readers shared by the core API, the edge and the session: one helper for one rule, so
 * that a rule (what counts as seconds, a secret, an origin, an object of known keys) is written
 * once. Every reader throws `TypeError` with code `ERR_INVALID_OPTIONS` and a message that names
 * the option and never echoes its value. Internal: not part of the package's exports.
 */
import { InvalidOptionsError } from '../errors.js'

const encoder = new TextEncoder()

/**
 * The error for an invalid option.
 * @param {string} message
 */
export const bad = (message) => new InvalidOptionsError(message)

/**
 * A plain options object whose keys are all in `allowed` (when given): a misspelt option is an
 * error, never a silent default.
 * @param {unknown} o
 * @param {string} what how the message names it, e.g. `options`
 * @param {Set<string>} [allowed]
 * @returns {Record<string, any>}
 */
export function object(o, what, allowed) {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw bad(`${what} must be an object`)
  if (allowed) for (const k of Object.keys(o)) if (!allowed.has(k)) throw bad(`${what} has an unknown option "${k}"`)
  return /** @type {Record<string, any>} */ (o)
}

/**
 * A plain object (its prototype is `Object.prototype` or `null`), as claims must be: a Buffer, a
 * typed array, a Map, a Date, an array or a class instance is refused, never serialised into
 * something else (a Buffer's bytes as `{"0":97,...}`, a Map or a Date as `{}`).
 * @param {unknown} o
 * @param {string} what
 * @returns {Record<string, any>}
 */
export function plainObject(o, what) {
  const proto = o !== null && typeof o === 'object' ? Object.getPrototypeOf(o) : undefined
  if (proto !== Object.prototype && proto !== null) {
    throw bad(`${what} must be a plain object (not a Buffer, typed array, Map, Date, array or class instance)`)
  }
  return /** @type {Record<string, any>} */ (o)
}

/**
 * A per-call options object, optional: `undefined` stays `undefined`.
 * @template {object} T
 * @param {T | undefined} o
 * @param {Set<string>} allowed
 * @returns {T | undefined}
 */
export const callOptions = (o, allowed) => (o === undefined ? o : /** @type {T} */ (object(o, 'options', allowed)))

/**
 * A duration in seconds: a finite number, at least (or, `exclusive`, above) `min`, and a whole
 * number when `integer`. `undefined` gives `fallback`.
 * @param {unknown} v
 * @param {string} what the full name, e.g. `options.clockTolerance`
 * @param {number} fallback
 * @param {{ min?: number, exclusive?: boolean, integer?: boolean }} [rule]
 * @returns {number}
 */
export function seconds(v, what, fallback, { min = 0, exclusive = false, integer = false } = {}) {
  if (v === undefined) return fallback
  if (
    typeof v !== 'number' ||
    !Number.isFinite(v) ||
    v < min ||
    (exclusive && v === min) ||
    (integer && !Number.isInteger(v))
  ) {
    throw bad(
      `${what} must be ${integer ? 'an integer' : 'a finite number'} of seconds, ${exclusive ? 'above' : 'at least'} ${min}`,
    )
  }
  return v
}

/**
 * A non-empty string, or a non-empty array of non-empty strings, as an array. An empty list is
 * refused: an allowlist that comes out empty never switches its check off.
 * @param {unknown} v
 * @param {string} what
 * @returns {string[]}
 */
export function strings(v, what) {
  const list = typeof v === 'string' ? [v] : v
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s !== '')) {
    throw bad(`${what} must be a non-empty string or a non-empty array of non-empty strings`)
  }
  return list
}

/**
 * A non-empty string, or `undefined` when absent.
 * @param {unknown} v
 * @param {string} what
 * @returns {string | undefined}
 */
export function optionalString(v, what) {
  if (v !== undefined && (typeof v !== 'string' || v === '')) throw bad(`${what} must be a non-empty string`)
  return v
}

/**
 * A secret: a Uint8Array (copied, also from a Node Buffer, whose own slice() is a view, so a later
 * change by the caller cannot alter it) or a UTF-8
 * string, of at least `min` bytes.
 * @param {unknown} v
 * @param {string} what
 * @param {number} [min]
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function secretBytes(v, what, min = 32) {
  const bytes =
    typeof v === 'string' ? encoder.encode(v) : v instanceof Uint8Array ? Uint8Array.prototype.slice.call(v) : undefined
  if (!bytes) throw bad(`${what} must be a Uint8Array or a string`)
  if (bytes.length < min) throw bad(`${what} must be at least ${min} bytes`)
  return bytes
}

/**
 * A list of origins (scheme, host, port; no path, no trailing slash), each exactly as the URL
 * standard serialises it. An empty list is refused, unless `empty` says it has a meaning of its
 * own (the session's `apiOrigins: []`: send the token to no origin), never "any origin".
 * @param {unknown} v
 * @param {string} what
 * @param {string} example e.g. `https://app.example`
 * @param {{ empty?: boolean }} [rule]
 * @returns {string[]}
 */
export function originList(v, what, example, { empty = false } = {}) {
  if (!Array.isArray(v) || (v.length === 0 && !empty))
    throw bad(`${what} must be a ${empty ? '' : 'non-empty '}array of origins`)
  return v.map((/** @type {unknown} */ s) => {
    let origin
    try {
      origin = typeof s === 'string' ? new URL(s).origin : undefined
    } catch {
      origin = undefined
    }
    if (!origin || origin === 'null' || origin !== s)
      throw bad(`${what} must hold origins like "${example}" (scheme, host, port; no path)`)
    return origin
  })
}

/**
 * A function option.
 * @param {unknown} v
 * @param {string} what
 * @returns {(...args: any[]) => any}
 */
export function fn(v, what) {
  if (typeof v !== 'function') throw bad(`${what} must be a function`)
  return /** @type {(...args: any[]) => any} */ (v)
}
