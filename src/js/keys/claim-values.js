// @ts-check
/**
 * The one claim rule the presets need beyond the Verifier's options: claims that must hold an
 * exact string (Cognito's `token_use` and `client_id`, Entra ID's `tid`), as a plain object
 * `{ claim: value | [values…] }`. `claimValues` checks the object once; `checkClaimValues` applies it
 * to a verified payload (after the signature and the Verifier's policy), throwing the Verifier's
 * `JWTClaimValidationFailed` (reason `missing` or `check_failed`).
 */
import { JWTClaimValidationFailed } from '../errors.js'
import { bad, object, strings } from '../internal/options.js'
import { CLAIM_PHRASES } from '../internal/protocol.js'

/**
 * @typedef {Readonly<Record<string, readonly string[]>>} ClaimValues
 */

/**
 * @param {unknown} v
 * @param {string} what
 * @returns {ClaimValues}
 */
export function claimValues(v, what) {
  const o = object(v, what)
  const names = Object.keys(o)
  if (names.length === 0) throw bad(`${what} must name at least one claim`)
  /** @type {Record<string, readonly string[]>} */
  const out = {}
  for (const name of names) out[name] = Object.freeze([...strings(o[name], `${what}.${name}`)])
  return Object.freeze(out)
}

/**
 * @param {Record<string, unknown>} payload a verified payload
 * @param {ClaimValues} rules
 */
export function checkClaimValues(payload, rules) {
  for (const [claim, allowed] of Object.entries(rules)) {
    const v = Object.hasOwn(payload, claim) ? payload[claim] : undefined
    if (v === undefined) {
      throw new JWTClaimValidationFailed(`"${claim}" claim ${CLAIM_PHRASES[1]}`, { claim, reason: 'missing', payload })
    }
    if (typeof v !== 'string' || !allowed.includes(v)) {
      throw new JWTClaimValidationFailed(`"${claim}" claim ${CLAIM_PHRASES[3]}`, {
        claim,
        reason: 'check_failed',
        payload,
      })
    }
  }
}
