// @ts-check
/**
 * A nested decrypt's core output (`protected header SEP inner header SEP payload`) as its three
 * JSON values, as calls.js's `parts` reads a verify's, for an output whose two headers repeat from
 * token to token: the two are kept together, by their text, as `parts` keeps the header (a shallow
 * copy of a flat one is the very object `JSON.parse` would build: same own properties, order and
 * values; anything else is parsed again), and the payload is parsed. Used only by the Node and
 * workerd driver of `decryptAsync` (jwe-webcrypto-ticket.js), where the inner header's parse was
 * about a third of reading the result (measured on workerd); one comparison of both headers'
 * text and no array of parts, since a split and a comparison per part cost about as much as the
 * headers' parse they save (measured in Node). A file apart from calls.js so that no other entry
 * changes by a byte.
 */
import { SEP } from './protocol.js'

/** @type {string | undefined} the two headers' text (with the SEP between them) parsed last */
let keptText
/** @type {[object, object] | undefined} private copies of both, when every value in each is a primitive */
let keptFlat

/** @param {object} o */
const flat = (o) => !Object.values(o).some((v) => v !== null && typeof v === 'object')

/** @param {import('../wasm.js').Core} core */
export function partsKept(core) {
  const text = core.out()
  const a = text.indexOf(SEP)
  const b = text.indexOf(SEP, a + 1)
  const heads = text.slice(0, b)
  const payload = JSON.parse(text.slice(b + 1))
  if (heads === keptText && keptFlat) return [{ ...keptFlat[0] }, { ...keptFlat[1] }, payload]
  const protectedHeader = JSON.parse(text.slice(0, a))
  const header = JSON.parse(text.slice(a + 1, b))
  keptText = heads
  keptFlat = flat(protectedHeader) && flat(header) ? [{ ...protectedHeader }, { ...header }] : undefined
  return [protectedHeader, header, payload]
}
