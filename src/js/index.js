// @ts-check
/**
 * jwt-wasm: one strict JWT core (HS256, HS384, HS512) in WebAssembly, with the same semantics
 * in browsers, Node and Workers. Import from `jwt-wasm`; the package's exports map picks the
 * entry point that loads the wasm the way the runtime allows. Everything here runs on the `hmac`
 * artifact; `jwt-wasm/claims` (claims.js) is the same decode and inspect on the smaller one.
 */
import { Core, put, out, call, hmac } from './wasm.js'
import { fromCore, JWSInvalid, JWTTooLarge, KeyInvalid } from './errors.js'
import { bad, callOptions, object, optionalString, plainObject, seconds, strings } from './internal/options.js'
import { randomBase64url } from './internal/encoding.js'
import { DEFAULT_MAX_TOKEN_BYTES, check as checkStatus, nowSeconds, parts, sizeCaps } from './internal/calls.js'
import { decodeWith, inspectWith } from './read.js'
import { nativeMac } from './internal/native.js'
import {
  ABSENT,
  ALGS,
  CAP_HMAC,
  KEY_MESSAGES,
  MIN_SECRET_BYTES,
  OP_ADD_KEY,
  OP_FINISH,
  OP_OPTION,
  OP_SET_SIGNER,
  OP_SIGN,
  OP_VERIFY,
  OPT,
} from './internal/protocol.js'

export {
  JwtError,
  JWSInvalid,
  JWTInvalid,
  JWTTooLarge,
  JOSEAlgNotAllowed,
  JOSENotSupported,
  JWSSignatureVerificationFailed,
  JWTExpired,
  JWTClaimValidationFailed,
  JWKSNoMatchingKey,
  KeyInvalid,
  WasmNotInitialized,
  WasmTrapped,
  WasmCapabilityMissing,
  InvalidOptionsError,
} from './errors.js'

const VERIFIER_OPTIONS = new Set([
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
  'mac',
])
const MAC_PATHS = ['auto', 'wasm', 'native']
const KEY_FIELDS = new Set(['kid', 'alg', 'secret'])
const RING_FIELDS = new Set([...KEY_FIELDS, 'issuer'])
const VERIFY_OPTIONS = new Set(['currentDate'])
const SIGN_OPTIONS = new Set(['currentDate', 'ttl', 'jti'])

/**
 * A core call's status to its error, with the key messages (only the APIs that take keys need them).
 * @param {import('./wasm.js').Core} core
 * @param {number} status
 * @param {string} [what]
 */
const check = (core, status, what) => checkStatus(core, status, what, KEY_MESSAGES)

/**
 * A key entry: `{ kid?, alg, secret }`, and `issuer?` in a Verifier's ring (`fields`).
 * @param {unknown} k
 * @param {string} what
 * @param {Set<string>} [fields]
 */
function keyEntry(k, what, fields = KEY_FIELDS) {
  const key = object(k, what, fields)
  if (!ALGS.includes(key.alg)) throw bad(`${what}.alg must be one of ${ALGS.join(', ')}`)
  optionalString(key.kid, `${what}.kid`)
  const secret = typeof key.secret === 'string' ? new TextEncoder().encode(key.secret) : key.secret
  if (!(secret instanceof Uint8Array)) throw bad(`${what}.secret must be a Uint8Array or a string`)
  // Said here, before the core (which refuses it too): the lengths, never the bytes.
  const min = MIN_SECRET_BYTES[ALGS.indexOf(key.alg)]
  if (secret.length < min)
    throw new KeyInvalid(`${what}.secret is ${secret.length} bytes; ${key.alg} needs at least ${min}`)
  return {
    kid: /** @type {string | undefined} */ (key.kid),
    alg: ALGS.indexOf(key.alg),
    secret,
    issuer: optionalString(key.issuer, `${what}.issuer`),
  }
}

/**
 * Verifies HS256/HS384/HS512 tokens against a key ring and a policy, synchronously.
 *
 * Checks run in a fixed order (size, three segments, strict base64url, header, algorithm
 * allowlist and key, constant-time HMAC, typed claims, policy), so time is judged only after
 * the signature verified. Every failure throws a `JwtError` subclass with a stable `code`.
 * Call `free()` when done, or let the garbage collector release the wasm memory.
 */
export class Verifier {
  /** @type {import('./wasm.js').Core | undefined} */
  #core
  #maxTokenBytes
  /** @type {import('./internal/native.js').NativePath | undefined} */
  #native

  /**
   * @param {import('./index.js').VerifierOptions} options
   */
  constructor(options) {
    const o = object(options, 'options', VERIFIER_OPTIONS)
    if (!Array.isArray(o.algorithms) || o.algorithms.length === 0) {
      throw bad(`options.algorithms is required: a non-empty array of ${ALGS.join(', ')}`)
    }
    o.algorithms.forEach((a, i) => {
      // The name is echoed only when it looks like one (an algorithm name is not a secret).
      const name = typeof a === 'string' && /^[\w+-]{1,20}$/.test(a) ? a : `options.algorithms[${i}]`
      if (!ALGS.includes(a))
        throw bad(`options.algorithms: ${name} is not supported (jwt-wasm verifies ${ALGS.join(', ')})`)
    })
    if (!Array.isArray(o.keys) || o.keys.length === 0) throw bad('options.keys must be a non-empty array')
    const keys = o.keys.map((k, i) => keyEntry(k, `options.keys[${i}]`, RING_FIELDS))
    const issuers = o.issuer === undefined ? undefined : strings(o.issuer, 'options.issuer')
    keys.forEach((k, i) => {
      if (!o.algorithms.includes(ALGS[k.alg])) throw bad(`options.keys[${i}].alg is not in options.algorithms`)
      if (k.issuer !== undefined && issuers && !issuers.includes(k.issuer))
        throw bad(`options.keys[${i}].issuer is not in options.issuer`)
    })
    const lists = /** @type {[number, string[]][]} */ ([])
    for (const name of /** @type {const} */ (['issuer', 'audience', 'subject', 'typ'])) {
      if (o[name] === undefined) continue
      const list = strings(o[name], `options.${name}`)
      if ((name === 'subject' || name === 'typ') && list.length !== 1) throw bad(`options.${name} must be a string`)
      lists.push([OPT[name], list])
    }
    const required = o.requiredClaims === undefined ? ['exp'] : o.requiredClaims
    if (!Array.isArray(required) || !required.every((s) => typeof s === 'string' && s !== '')) {
      throw bad('options.requiredClaims must be an array of claim names')
    }
    if (required.length === 0) {
      throw bad("options.requiredClaims must name at least one claim; omit it for the default ['exp']")
    }
    // A claim name comes back in errors (`claim`): a control character (NUL, the output's
    // separator, among them) is no claim name.
    required.forEach((s, i) => {
      if (/\p{Cc}/u.test(s)) throw bad(`options.requiredClaims[${i}] must not contain control characters`)
    })
    lists.push([OPT.requiredClaims, required])
    const { maxTokenBytes, maxHeaderBytes } = sizeCaps(o, 'options')
    const clockTolerance = seconds(o.clockTolerance, 'options.clockTolerance', 0)
    const maxTokenAge = seconds(o.maxTokenAge, 'options.maxTokenAge', ABSENT)
    const mac = o.mac === undefined ? 'auto' : o.mac
    if (!MAC_PATHS.includes(mac)) throw bad(`options.mac must be one of ${MAC_PATHS.join(', ')}`)

    const mask = o.algorithms.reduce((m, a) => m | (1 << ALGS.indexOf(a)), 0)
    // The setup, replayed on a fresh instance after a trap: it keeps copies of what it sends.
    const sent = lists.map(([kind, list]) => /** @type {[number, string[]]} */ ([kind, [...list]]))
    const ring = keys.map((k) => ({ ...k, secret: k.secret.slice() }))
    this.#core = new Core(
      hmac,
      CAP_HMAC,
      [mask, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes],
      (core) => {
        for (const [kind, list] of sent)
          for (const s of list) check(core, call(core, OP_OPTION, kind, 0, put(core, [s])[0], 0, 0))
        ring.forEach((k, i) => {
          const [kidLen, secretLen] = put(core, [k.kid ?? '', k.secret])
          const kid = k.kid === undefined ? ABSENT : kidLen
          check(core, call(core, OP_ADD_KEY, k.alg, kid, secretLen, 0, 0), `options.keys[${i}].secret`)
          if (k.issuer !== undefined)
            check(core, call(core, OP_OPTION, OPT.keyIssuer, 0, put(core, [k.issuer])[0], 0, 0))
        })
        check(core, call(core, OP_FINISH, 0, 0, 0, 0, 0), 'options.keys')
      },
    )
    this.#maxTokenBytes = maxTokenBytes
    // The native MAC (native-mac.js) where the runtime has one: for 'auto' above its threshold.
    if (mac !== 'wasm') this.#native = nativeMac.path?.(ring, mac === 'native' ? 0 : undefined)
    if (mac === 'native' && !this.#native) {
      this.free()
      throw bad("options.mac 'native' needs node:crypto (Node, or workerd with nodejs_compat)")
    }
  }

  /**
   * Verifies `token` and returns its header and payload. Throws a `JwtError` subclass.
   * @param {string} token
   * @param {{ currentDate?: Date }} [options]
   * @returns {{ header: any, payload: any }}
   */
  verify(token, options) {
    const core = this.#core
    if (!core) throw bad('this Verifier was freed')
    if (typeof token !== 'string') throw new JWSInvalid('token must be a string')
    const now = nowSeconds(callOptions(options, VERIFY_OPTIONS))
    if (token.length > this.#maxTokenBytes) throw new JWTTooLarge()
    const native = this.#native
    if (native && token.length >= native.min) native.verify(core, token, now)
    else check(core, call(core, OP_VERIFY, 0, 0, put(core, [token])[0], now, 0))
    const [header, payload] = parts(core)
    return { header, payload }
  }

  /** Releases the wasm memory now (the garbage collector does it otherwise). */
  free() {
    this.#core?.free()
    this.#core = undefined
    this.#native = undefined
  }
}

const SIGNER_OPTIONS = new Set(['key', 'typ', 'ttl', 'jti'])

/**
 * Mints compact tokens with one key. For issuers (the edge) and tests: an HMAC secret does not
 * belong in a browser.
 */
export class Signer {
  /** @type {import('./wasm.js').Core | undefined} */
  #core
  #typ
  #ttl
  #jti

  /** @param {import('./index.js').SignerOptions} options */
  constructor(options) {
    const o = object(options, 'options', SIGNER_OPTIONS)
    const key = keyEntry(o.key, 'options.key')
    this.#typ = optionalString(o.typ, 'options.typ')
    this.#ttl = o.ttl === undefined ? undefined : seconds(o.ttl, 'options.ttl', 0)
    this.#jti = o.jti ?? false
    if (typeof this.#jti !== 'boolean') throw bad('options.jti must be a boolean')
    const secret = key.secret.slice() // replayed on a fresh instance after a trap: a copy
    this.#core = new Core(hmac, CAP_HMAC, [0, 0, ABSENT, DEFAULT_MAX_TOKEN_BYTES, 0], (core) => {
      const [kidLen, secretLen] = put(core, [key.kid ?? '', secret])
      const kid = key.kid === undefined ? ABSENT : kidLen
      check(core, call(core, OP_SET_SIGNER, key.alg, kid, secretLen, 0, 0), 'options.key.secret')
    })
  }

  /**
   * Signs `claims`. With a `ttl` (seconds, here or on the Signer) it sets `iat` to now and `exp`
   * to `iat + ttl`; with `jti: true` it adds a random 128-bit `jti`.
   * @param {Record<string, unknown>} claims
   * @param {{ currentDate?: Date, ttl?: number, jti?: boolean }} [options]
   * @returns {string}
   */
  sign(claims, options) {
    const core = this.#core
    if (!core) throw bad('this Signer was freed')
    callOptions(options, SIGN_OPTIONS)
    const payload = { ...plainObject(claims, 'claims') }
    const ttl = options?.ttl === undefined ? this.#ttl : seconds(options.ttl, 'options.ttl', 0)
    if (ttl !== undefined) {
      if ('iat' in payload || 'exp' in payload) throw bad('claims already carry iat or exp; do not also pass a ttl')
      payload.iat = Math.floor(nowSeconds(options))
      payload.exp = payload.iat + ttl
    }
    if (options?.jti ?? this.#jti) {
      if ('jti' in payload) throw bad('claims already carry a jti')
      payload.jti = randomBase64url(16)
    }
    let json
    try {
      json = JSON.stringify(payload)
    } catch {
      throw bad('claims must be JSON-serialisable')
    }
    const typ = this.#typ
    const lens = put(core, typ === undefined ? [json] : [json, typ])
    const status = call(core, OP_SIGN, 0, lens[1] ?? ABSENT, lens[0], 0, 0)
    if (status !== 0) {
      const e = fromCore(status, out(core), undefined, KEY_MESSAGES)
      throw bad(`claims are invalid: ${e.message}`)
    }
    return out(core)
  }

  /** Releases the wasm memory now. */
  free() {
    this.#core?.free()
    this.#core = undefined
  }
}

/**
 * Decodes a token WITHOUT VERIFYING ANYTHING: no signature, no expiry, no issuer, no audience.
 * It only checks the shape (three segments, strict base64url, strict JSON objects). Never use
 * what it returns to authorise anything; use `Verifier` for that.
 * @param {string} token
 * @param {{ maxTokenBytes?: number, maxHeaderBytes?: number }} [options]
 * @returns {import('./index.js').Decoded | import('./index.js').Encrypted}
 */
export function decodeUnverified(token, options) {
  return decodeWith(hmac, token, options)
}

/**
 * Describes a token WITHOUT VERIFYING IT (see `inspectWith` in read.js): seconds to expiry,
 * expired or not yet valid, lifetime, and warnings.
 * @param {string} token
 * @param {{ currentDate?: Date, maxLifetime?: number, maxTokenBytes?: number, maxHeaderBytes?: number }} [options]
 * @returns {import('./index.js').Inspection | import('./index.js').Encrypted}
 */
export function inspect(token, options) {
  return inspectWith(hmac, token, options)
}
