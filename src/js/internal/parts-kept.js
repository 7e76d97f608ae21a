// @ts-check
/**
 * A core output split into its JSON parts, as calls.js's `parts`, for an output whose every part
 * but the last repeats from token to token (a nested JWE's protected header and inner header,
 * then its payload): each of those is kept by its place as `parts` keeps the header (a shallow
 * copy of a flat one is the very object `JSON.parse` would build: same own properties, order and
 * values; anything else is parsed again), and the last is parsed. Used only by the Node and
 * workerd driver of `decryptAsync` (jwe-webcrypto-ticket.js), where the inner header's parse was
 * about a third of reading the result (measured on workerd); a file apart from calls.js so that
 * no other entry changes by a byte.
 */
import { SEP } from './protocol.js'

/** @type {(string | undefined)[]} the texts of the leading parts parsed last, by place */
const keptText = []
/** @type {(object | undefined)[]} a private copy of each, when every value in it is a primitive */
const keptFlat = []

/** @param {import('../wasm.js').Core} core */
export function partsKept(core) {
  const all = core.out().split(SEP)
  return all.map((text, i) => {
    if (i === all.length - 1) return JSON.parse(text)
    const flat = keptFlat[i]
    if (text === keptText[i] && flat) return { ...flat }
    const value = JSON.parse(text)
    keptText[i] = text
    keptFlat[i] = Object.values(value).some((v) => v !== null && typeof v === 'object') ? undefined : { ...value }
    return value
  })
}
