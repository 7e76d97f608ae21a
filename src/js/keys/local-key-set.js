// @ts-check
/**
 * `localKeySet(jwks, options)`: a fixed KeySet (key-set-contract.js) over a JWKS given as an
 * object or JSON text (or, with `format: 'x509'`, an object of kid → PEM). Its snapshot is always
 * the same version; once the verifier refused it, it has none and `load` rejects.
 */
import { bad, callOptions } from '../internal/options.js'
import { checkBody, FORMATS } from './body-shape.js'
import { KEY_SET } from './key-set-contract.js'
import { JWKSInvalid } from './key-set-errors.js'
import { nextVersion } from './versions.js'

const OPTIONS = new Set(['format'])

/**
 * @param {string | object} jwks
 * @param {{ format?: 'jwks' | 'x509' }} [options]
 * @returns {import('./key-set-contract.js').KeySet}
 */
export function localKeySet(jwks, options) {
  const format = callOptions(options, OPTIONS)?.format ?? 'jwks'
  if (!FORMATS.has(format)) throw bad('options.format must be "jwks" or "x509"')
  if (typeof jwks !== 'string' && (jwks === null || typeof jwks !== 'object')) {
    throw bad('localKeySet: the key set must be an object or its JSON text')
  }
  const body = typeof jwks === 'string' ? jwks : JSON.stringify(jwks)
  try {
    checkBody(body, format)
  } catch (e) {
    throw bad(`localKeySet: ${/** @type {Error} */ (e).message}`)
  }
  /** @type {import('./key-set-contract.js').KeySetSnapshot | undefined} */
  let snap = Object.freeze({ version: nextVersion(), format, body })
  /** @type {unknown} */
  let why
  return {
    [KEY_SET]: true,
    snapshot: () => snap,
    load: async () => {
      if (snap) return snap
      throw new JWKSInvalid(undefined, { cause: why })
    },
    refused(version, error) {
      if (snap && version === snap.version) {
        snap = undefined
        why = error
      }
    },
  }
}
