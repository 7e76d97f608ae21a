// @ts-check
/**
 * The rules every core API call shares, whichever artifact it runs on (index.js, read.js): the
 * time of a call, the size caps of step 1, a status turned into its typed error, an output split
 * into its JSON parts.
 */
import { fromCore } from '../errors.js'
import { bad } from './options.js'
import { SEP } from './protocol.js'

export const DEFAULT_MAX_TOKEN_BYTES = 16 * 1024
const DEFAULT_MAX_HEADER_BYTES = 8 * 1024

/**
 * The time of a call, in seconds: `currentDate` (a valid Date) or now.
 * @param {{ currentDate?: Date } | undefined} options
 */
export function nowSeconds(options) {
  const d = options?.currentDate
  if (d === undefined) return Date.now() / 1000
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw bad('currentDate must be a valid Date')
  return d.getTime() / 1000
}

/**
 * The size caps of step 1: `maxTokenBytes` (default 16 KiB) and `maxHeaderBytes`, the encoded
 * header's cap (default 8 KiB, or `maxTokenBytes` if lower; never above `maxTokenBytes`).
 * @param {{ maxTokenBytes?: unknown, maxHeaderBytes?: unknown } | undefined} o
 * @param {string} what how the message names the options, e.g. `options`
 */
export function sizeCaps(o, what) {
  const max = /** @type {number} */ (o?.maxTokenBytes ?? DEFAULT_MAX_TOKEN_BYTES)
  if (!Number.isInteger(max) || max < 1 || max > 0x7fffffff)
    throw bad(`${what}.maxTokenBytes must be a positive integer`)
  const header = /** @type {number} */ (o?.maxHeaderBytes ?? Math.min(DEFAULT_MAX_HEADER_BYTES, max))
  if (!Number.isInteger(header) || header < 1 || header > max) {
    throw bad(`${what}.maxHeaderBytes must be a positive integer, at most maxTokenBytes (${max})`)
  }
  return { maxTokenBytes: max, maxHeaderBytes: header }
}

/**
 * Runs a core call that returns a status; throws the matching error on failure (a key error
 * names `what` and says why from `keyMessages`: see `fromCore`).
 * @param {import('../wasm.js').Core} core
 * @param {number} status
 * @param {string} [what]
 * @param {readonly (string | undefined)[]} [keyMessages]
 */
export function check(core, status, what, keyMessages) {
  if (status !== 0) throw fromCore(status, core.out(), what, keyMessages)
}

/** @type {string | undefined} the text of the last header `parts` parsed */
let lastHeader
/** @type {object | undefined} a private copy of it, when every value in it is a primitive */
let lastFlat

/**
 * Splits a core output `header SEP payload [SEP extra]` and parses the JSON parts, the header
 * as `JSON.parse` would, a fresh object every time. The tokens of one issuer share their
 * header, so the last one is kept: when it had only primitive values, a shallow copy of it is
 * the very object `JSON.parse` would build (same own properties, order and values) at a
 * fraction of the cost; anything else is parsed again (the profile of issue 10: the header's
 * parse was a fifth of building a small token's result).
 * @param {import('../wasm.js').Core} core
 */
export function parts(core) {
  const text = core.out()
  const at = text.indexOf(SEP)
  const head = text.slice(0, at)
  const header = head === lastHeader && lastFlat ? { ...lastFlat } : JSON.parse(head)
  if (head !== lastHeader) {
    lastHeader = head
    lastFlat = Object.values(header).some((v) => v !== null && typeof v === 'object') ? undefined : { ...header }
  }
  return [
    header,
    ...text
      .slice(at + 1)
      .split(SEP)
      .map((s) => JSON.parse(s)),
  ]
}
