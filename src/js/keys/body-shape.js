// @ts-check
/**
 * The shape of a key-set body, checked before any key set hands it out: JSON text that is a JWKS
 * (an object with a `keys` array of objects) or, for format `x509`, an object of strings (kid →
 * PEM certificate, as Firebase publishes). Only the shape: the keys themselves are read strictly
 * by the core (duplicate members, key rules), which the verifier reports through `refused`.
 */
import { JWKSInvalid } from './key-set-errors.js'

/** The two formats of a body. */
export const FORMATS = new Set(['jwks', 'x509'])

/** @param {unknown} v */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * Throws `JWKSInvalid` unless `text` is JSON of `format`'s shape.
 * @param {string} text
 * @param {'jwks' | 'x509'} format
 */
export function checkBody(text, format) {
  let doc
  try {
    doc = JSON.parse(text)
  } catch (cause) {
    throw new JWKSInvalid('the key set is not JSON', { cause })
  }
  if (!isObject(doc)) throw new JWKSInvalid('the key set is not a JSON object')
  if (format === 'jwks') {
    if (!Array.isArray(doc.keys) || !doc.keys.every(isObject)) {
      throw new JWKSInvalid('the key set has no "keys" array of objects')
    }
  } else if (!Object.values(doc).every((v) => typeof v === 'string' && v !== '')) {
    throw new JWKSInvalid('the x509 key set is not an object of PEM strings')
  }
}
