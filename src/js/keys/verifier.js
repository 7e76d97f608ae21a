// @ts-check
/**
 * `PublicKeyVerifier`: verifies tokens signed with public keys (RS256/384/512, PS256/384/512,
 * ES256, ES384, EdDSA/Ed25519) against a JWKS, an array of JWKs or a KeySet
 * (key-set-contract.js: `localKeySet`, `remoteKeySet`, the presets), with a Verifier's policy
 * options (policy.js's `claimsPolicy`: the same option means the same check). Asynchronous,
 * because the signature is the runtime's (WebCrypto, or node:crypto where faster: signature.js);
 * everything else is the wasm core's, in the order of checks: pk_verify_begin (steps 1 to 4: caps,
 * segments, base64url, header, allowlist, key, and the signature's form: length, ECDSA r and s
 * in range), the runtime's verdict, pk_verify_finish (by the ticket of begin; pk_verify_end with the token
 * when it gives nothing: the verdict, then the claims and the policy).
 * One `Ring` (ring.js) per key-set version.
 */
import { JWSInvalid, JWTTooLarge } from '../errors.js'
import { bad, callOptions, object } from '../internal/options.js'
import { parts } from '../internal/calls.js'
import { OP_DECODE, SEP } from '../internal/protocol.js'
import { PK_ALGS } from '../internal/protocol-keys.js'
import { claimsPolicy } from '../policy.js'
import { call, put } from '../wasm.js'
import { checkClaimValues, claimValues } from './claim-values.js'
import { isKeySet } from './key-set-contract.js'
import { Ring } from './ring.js'

const OPTIONS = new Set([
  'keys',
  'algorithms',
  'issuer',
  'audience',
  'subject',
  'clockTolerance',
  'maxTokenAge',
  'requiredClaims',
  'typ',
  'maxTokenBytes',
  'maxHeaderBytes',
  'claimValues',
])
const VERIFY_OPTIONS = new Set(['now', 'scope'])

const HMAC = /^HS(256|384|512)$/

/**
 * The allowlist: a non-empty array of `PK_ALGS` names, as a bit mask. An HMAC name is the
 * algorithm confusion itself (a public key's bytes used as an HMAC secret): said so.
 * @param {unknown} v
 */
function allowlist(v) {
  if (!Array.isArray(v) || v.length === 0)
    throw bad(`options.algorithms is required: a non-empty array of ${PK_ALGS.join(', ')}`)
  return v.reduce((mask, a, i) => {
    const name = typeof a === 'string' && /^[\w+-]{1,20}$/.test(a) ? a : `options.algorithms[${i}]`
    if (HMAC.test(a))
      throw bad(
        `options.algorithms: ${a} is an HMAC algorithm: a public key is never an HMAC secret (the RS256 → HS256 confusion); verify HMAC tokens with jwt-wasm's Verifier`,
      )
    const at = PK_ALGS.indexOf(a)
    if (at < 0) throw bad(`options.algorithms: ${name} is not supported (jwt-wasm/keys verifies ${PK_ALGS.join(', ')})`)
    return mask | (1 << at)
  }, 0)
}

/**
 * Verifies tokens signed with public keys, asynchronously (the signature is checked by the
 * runtime's crypto with a non-extractable key imported once per key). Every failure rejects
 * with a `JwtError` subclass of the same code as `Verifier.verify`'s.
 */
export class PublicKeyVerifier {
  /** @type {import('./ring.js').RingSpec} */
  #spec
  #maxTokenBytes
  /** @type {import('./key-set-contract.js').KeySet | undefined} */
  #keySet
  /** @type {{ version: number, ring: Ring } | undefined} the ring of the key set's current version, or of fixed keys */
  #current
  /** @type {import('./claim-values.js').ClaimValues | undefined} */
  #claimValues

  /** @param {import('../keys.js').PublicKeyVerifierOptions} options */
  constructor(options) {
    const o = object(options, 'options', OPTIONS)
    const mask = allowlist(o.algorithms)
    const keys = o.keys
    const fixed = Array.isArray(keys) ? { keys } : keys
    if (!isKeySet(keys) && (fixed === null || typeof fixed !== 'object' || !Array.isArray(fixed.keys)))
      throw bad(
        'options.keys must be a JWKS ({ keys: [...] }), an array of JWKs, or a key set (localKeySet, remoteKeySet)',
      )
    if (fixed.keys?.length === 0) throw bad('options.keys must hold at least one key')
    const [lists, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes] = claimsPolicy(o, 'options')
    this.#claimValues = o.claimValues === undefined ? undefined : claimValues(o.claimValues, 'options.claimValues')
    this.#spec = { lists, mask, args: [0, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes] }
    this.#maxTokenBytes = maxTokenBytes
    // Fixed keys are read now, so a bad key fails here; a key set is read at its first token.
    if (isKeySet(keys)) this.#keySet = keys
    else this.#current = { version: -1, ring: new Ring(this.#spec, 'jwks', JSON.stringify(fixed), 'options.keys') }
  }

  /**
   * The ring of a snapshot: the current one if it is the same version, else one made now. A body
   * the core refuses is reported to the key set (`refused`), which then may offer the one before.
   * @param {import('./key-set-contract.js').KeySetSnapshot} snap
   * @param {number} now
   * @returns {Ring}
   */
  #ringOf(snap, now) {
    const keySet = /** @type {import('./key-set-contract.js').KeySet} */ (this.#keySet)
    for (;;) {
      if (this.#current?.version === snap.version) return this.#current.ring
      try {
        const ring = new Ring(this.#spec, snap.format, snap.body, 'the key set')
        this.#current = { version: snap.version, ring }
        return ring
      } catch (e) {
        if (/** @type {any} */ (e)?.code !== 'ERR_JWKS_INVALID' && /** @type {any} */ (e)?.code !== 'ERR_JWK_INVALID')
          throw e
        keySet.refused(snap.version, e)
        const next = keySet.snapshot(now)
        if (!next || next.version === snap.version) throw e
        snap = next
      }
    }
  }

  /**
   * The ring to verify with at `now`: the fixed keys or the key set's snapshot (at once, on the
   * hot path), else a promise of what its `load` brings (`reason` 'empty', or 'unknown-kid' for a
   * token whose kid no key has).
   * @param {number} now
   * @param {object | undefined} scope
   * @param {'empty' | 'unknown-kid'} [reason]
   * @returns {Ring | Promise<Ring>}
   */
  #ring(now, scope, reason) {
    const keySet = this.#keySet
    if (!keySet) return /** @type {{ ring: Ring }} */ (this.#current).ring
    const snap = reason ? undefined : keySet.snapshot(now)
    if (snap) return this.#ringOf(snap, now)
    return keySet.load({ now, reason: reason ?? 'empty', scope }).then((s) => this.#ringOf(s, now))
  }

  /**
   * Verifies `token` and resolves to its header and payload; rejects with a `JwtError` subclass
   * (the same codes as `Verifier.verify`; and the key set's when it has no usable keys).
   * @param {string} token
   * @param {{ now?: Date, scope?: object }} [options] `now` the time of the checks (default: now);
   *   `scope` the request, within which the key set shares one fetch (the guard passes it)
   * @returns {Promise<{ header: any, payload: any }>}
   */
  async verifyAsync(token, options) {
    const spec = this.#spec
    if (!spec) throw bad('this PublicKeyVerifier was freed')
    const o = callOptions(options, VERIFY_OPTIONS)
    const at = o?.now
    if (at !== undefined && (!(at instanceof Date) || Number.isNaN(at.getTime())))
      throw bad('options.now must be a valid Date')
    const now = (at ?? new Date()).getTime() / 1000
    if (typeof token !== 'string') throw new JWSInvalid('token must be a string')
    if (token.length > this.#maxTokenBytes) throw new JWTTooLarge()
    const scope = o?.scope
    let ring = this.#ring(now, scope)
    if (ring instanceof Promise) ring = await ring
    let [key, data, signature, error, ticket] = ring.begin(token, now)
    // A kid no key has: the key set may have rotated. Look again once (its cooldown bounds it).
    if (/** @type {any} */ (error)?.code === 'ERR_JWKS_NO_MATCHING_KEY' && this.#keySet && hasKid(ring, token)) {
      ring = await this.#ring(now, scope, 'unknown-kid')
      ;[key, data, signature, error, ticket] = ring.begin(token, now)
    }
    if (error) throw error
    // The signature (unless seen verified before), straight from phase 1's views: nothing may
    // call into the core between `begin` and `verify` (ring.js says why).
    let verified = ring.seen(token)
    if (!verified) {
      const v = ring.verify(key, data, signature)
      verified = ring.remember(token, v instanceof Promise ? await v : v)
    }
    ring.end(token, key, verified, now, ticket)
    const [header, payload] = parts(ring.core)
    if (this.#claimValues) checkClaimValues(payload, this.#claimValues)
    return { header, payload }
  }

  /** Releases the wasm memory now (the garbage collector does it otherwise). */
  free() {
    this.#current?.ring.core.free()
    this.#current = undefined
    this.#keySet = undefined
    this.#spec = /** @type {any} */ (undefined)
  }
}

/**
 * Whether the token's header names a `kid` (read by the core's decode: one JSON reader).
 * @param {Ring} ring
 * @param {string} token
 */
function hasKid(ring, token) {
  const core = ring.core
  if (call(core, OP_DECODE, 0, 0, put(core, [token])[0], 0, 0) !== 0) return false
  const header = core.out()
  return typeof JSON.parse(header.slice(0, header.indexOf(SEP))).kid === 'string'
}
