// @ts-check
/**
 * The JWS policy of a Verifier and the key of a Signer, checked once and turned into what a
 * `Core` is made of: its `new` arguments and a setup that replays on a fresh instance. Shared by
 * `Verifier` and `Signer` (index.js, the `hmac` artifact) and by `Decrypter` and `Encrypter`
 * (jwe.js, the `jwe` artifact, whose Core verifies and signs the inner token itself), so the
 * very same options mean the very same checks on either artifact.
 */
import { fromCore, KeyInvalid } from './errors.js'
import { bad, callOptions, object, optionalString, plainObject, seconds, strings } from './internal/options.js'
import { randomBase64url } from './internal/encoding.js'
import { DEFAULT_MAX_TOKEN_BYTES, check as checkStatus, nowSeconds, sizeCaps } from './internal/calls.js'
import {
  ABSENT,
  ALGS,
  KEY_MESSAGES,
  MIN_SECRET_BYTES,
  OP_ADD_KEY,
  OP_FINISH,
  OP_OPTION,
  OP_SET_SIGNER,
  OP_SIGN,
  OPT,
} from './internal/protocol.js'
import { call, put } from './wasm.js'

/** @typedef {import('./wasm.js').Core} Core */

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
const KEY_FIELDS = new Set(['kid', 'alg', 'secret'])
const RING_FIELDS = new Set([...KEY_FIELDS, 'issuer'])

/**
 * A core call's status to its error, with the key messages (only the APIs that take keys need them).
 * @param {Core} core
 * @param {number} status
 * @param {string} [what]
 */
export const check = (core, status, what) => checkStatus(core, status, what, KEY_MESSAGES)

/**
 * A key entry: `{ kid?, alg, secret }`, and `issuer?` in a Verifier's ring (`fields`).
 * @param {unknown} k
 * @param {string} what
 * @param {Set<string>} [fields]
 */
export function keyEntry(k, what, fields = KEY_FIELDS) {
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
 * A Verifier's options checked (`what` names them in messages): the `Core` arguments, the setup
 * that sends the policy and the key ring (it keeps copies, so a replay sends the same bytes),
 * and what the JS side keeps (the token cap, the MAC path, the ring for a native MAC).
 * @param {unknown} options
 * @param {string} what
 * @param {Set<string>} [names] the option names allowed (default: every Verifier option)
 */
export function verifierPolicy(options, what, names = VERIFIER_OPTIONS) {
  const o = object(options, what, names)
  if (!Array.isArray(o.algorithms) || o.algorithms.length === 0) {
    throw bad(`${what}.algorithms is required: a non-empty array of ${ALGS.join(', ')}`)
  }
  o.algorithms.forEach((a, i) => {
    // The name is echoed only when it looks like one (an algorithm name is not a secret).
    const name = typeof a === 'string' && /^[\w+-]{1,20}$/.test(a) ? a : `${what}.algorithms[${i}]`
    if (!ALGS.includes(a))
      throw bad(`${what}.algorithms: ${name} is not supported (jwt-wasm verifies ${ALGS.join(', ')})`)
  })
  if (!Array.isArray(o.keys) || o.keys.length === 0) throw bad(`${what}.keys must be a non-empty array`)
  const keys = o.keys.map((k, i) => keyEntry(k, `${what}.keys[${i}]`, RING_FIELDS))
  const issuers = o.issuer === undefined ? undefined : strings(o.issuer, `${what}.issuer`)
  keys.forEach((k, i) => {
    if (!o.algorithms.includes(ALGS[k.alg])) throw bad(`${what}.keys[${i}].alg is not in ${what}.algorithms`)
    if (k.issuer !== undefined && issuers && !issuers.includes(k.issuer))
      throw bad(`${what}.keys[${i}].issuer is not in ${what}.issuer`)
  })
  const [lists, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes] = claimsPolicy(o, what)
  const mask = o.algorithms.reduce((m, a) => m | (1 << ALGS.indexOf(a)), 0)
  // The setup, replayed on a fresh instance after a trap: it keeps copies of what it sends.
  const ring = keys.map((k) => ({ ...k, secret: k.secret.slice() }))
  /** @param {Core} core */
  const setup = (core) => {
    sendPolicy(core, lists)
    ring.forEach((k, i) => {
      const [kidLen, secretLen] = put(core, [k.kid ?? '', k.secret])
      const kid = k.kid === undefined ? ABSENT : kidLen
      check(core, call(core, OP_ADD_KEY, k.alg, kid, secretLen, 0, 0), `${what}.keys[${i}].secret`)
      if (k.issuer !== undefined) check(core, call(core, OP_OPTION, OPT.keyIssuer, 0, put(core, [k.issuer])[0], 0, 0))
    })
    check(core, call(core, OP_FINISH, 0, 0, 0, 0, 0), `${what}.keys`)
  }
  return {
    args: /** @type {[number, number, number, number, number]} */ ([
      mask,
      clockTolerance,
      maxTokenAge,
      maxTokenBytes,
      maxHeaderBytes,
    ]),
    setup,
    maxTokenBytes,
    mac: o.mac,
    ring,
  }
}

/**
 * The claims policy of Verifier options (`o`, checked as an object already; `what` names it):
 * the lists of issuer, audience, subject, typ and requiredClaims (`sendPolicy` sends them through
 * op 0), then the `Core` arguments after the algorithm mask: clockTolerance, maxTokenAge and the
 * size caps.
 * Shared by the Verifier's options above and the public-key verifier's (keys/verifier.js), so
 * that the same option means the same check.
 * @param {Record<string, any>} o
 * @param {string} what
 */
export function claimsPolicy(o, what) {
  const lists = /** @type {[number, string[]][]} */ ([])
  for (const name of /** @type {const} */ (['issuer', 'audience', 'subject', 'typ'])) {
    if (o[name] === undefined) continue
    const list = strings(o[name], `${what}.${name}`)
    if ((name === 'subject' || name === 'typ') && list.length !== 1) throw bad(`${what}.${name} must be a string`)
    lists.push([OPT[name], [...list]])
  }
  const required = o.requiredClaims === undefined ? ['exp'] : o.requiredClaims
  if (!Array.isArray(required) || !required.every((s) => typeof s === 'string' && s !== '')) {
    throw bad(`${what}.requiredClaims must be an array of claim names`)
  }
  if (required.length === 0) {
    throw bad(`${what}.requiredClaims must name at least one claim; omit it for the default ['exp']`)
  }
  // A claim name comes back in errors (`claim`): a control character (NUL, the output's
  // separator, among them) is no claim name.
  required.forEach((s, i) => {
    if (/\p{Cc}/u.test(s)) throw bad(`${what}.requiredClaims[${i}] must not contain control characters`)
  })
  lists.push([OPT.requiredClaims, [...required]])
  const { maxTokenBytes, maxHeaderBytes } = sizeCaps(o, what)
  const clockTolerance = seconds(o.clockTolerance, `${what}.clockTolerance`, 0)
  const maxTokenAge = seconds(o.maxTokenAge, `${what}.maxTokenAge`, ABSENT)
  return /** @type {const} */ ([lists, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes])
}

/**
 * Sends the lists of `claimsPolicy` to `core` (op 0), in order.
 * @param {Core} core
 * @param {[number, string[]][]} lists
 */
export function sendPolicy(core, lists) {
  for (const [kind, list] of lists)
    for (const s of list) checkStatus(core, call(core, OP_OPTION, kind, 0, put(core, [s])[0], 0, 0))
}

/** The `Core` arguments of a signer: no policy, the default token cap. */
export const SIGNER_ARGS = /** @type {[number, number, number, number, number]} */ ([
  0,
  0,
  ABSENT,
  DEFAULT_MAX_TOKEN_BYTES,
  0,
])

const SIGNER_OPTIONS = new Set(['key', 'typ', 'ttl', 'jti'])

/** @typedef {{ setup: (core: Core) => void, typ: string | undefined, ttl: number | undefined, jti: boolean }} SignerSpec */

/**
 * Signer options (`what` names them in messages): the setup of the signing key (it keeps a copy
 * of the secret) and the defaults of every signing, `typ`, `ttl` and `jti`.
 * @param {unknown} options
 * @param {string} what
 * @returns {SignerSpec}
 */
export function signerOf(options, what) {
  const o = object(options, what, SIGNER_OPTIONS)
  const key = keyEntry(o.key, `${what}.key`)
  const secret = key.secret.slice() // replayed on a fresh instance after a trap: a copy
  const jti = o.jti ?? false
  if (typeof jti !== 'boolean') throw bad(`${what}.jti must be a boolean`)
  return {
    setup: (core) => {
      const [kidLen, secretLen] = put(core, [key.kid ?? '', secret])
      const kid = key.kid === undefined ? ABSENT : kidLen
      check(core, call(core, OP_SET_SIGNER, key.alg, kid, secretLen, 0, 0), `${what}.key.secret`)
    },
    typ: optionalString(o.typ, `${what}.typ`),
    ttl: o.ttl === undefined ? undefined : seconds(o.ttl, `${what}.ttl`, 0),
    jti,
  }
}

const SIGN_OPTIONS = new Set(['currentDate', 'ttl', 'jti'])

/**
 * Signs `claims` on `core` (its signer set): with a `ttl` (the call's, else the default) `iat`
 * is now and `exp` is `iat + ttl`; with `jti` a random 128-bit `jti`. Returns the compact JWS.
 * @param {Core} core
 * @param {SignerSpec} defaults
 * @param {Record<string, unknown>} claims
 * @param {{ currentDate?: Date, ttl?: number, jti?: boolean } | undefined} options
 */
export function signClaims(core, defaults, claims, options) {
  callOptions(options, SIGN_OPTIONS)
  const payload = { ...plainObject(claims, 'claims') }
  const ttl = options?.ttl === undefined ? defaults.ttl : seconds(options.ttl, 'options.ttl', 0)
  if (ttl !== undefined) {
    if ('iat' in payload || 'exp' in payload) throw bad('claims already carry iat or exp; do not also pass a ttl')
    payload.iat = Math.floor(nowSeconds(options))
    payload.exp = payload.iat + ttl
  }
  if (options?.jti ?? defaults.jti) {
    if ('jti' in payload) throw bad('claims already carry a jti')
    payload.jti = randomBase64url(16)
  }
  let json
  try {
    json = JSON.stringify(payload)
  } catch {
    throw bad('claims must be JSON-serialisable')
  }
  const typ = defaults.typ
  const lens = put(core, typ === undefined ? [json] : [json, typ])
  const status = call(core, OP_SIGN, 0, lens[1] ?? ABSENT, lens[0], 0, 0)
  if (status !== 0) {
    const e = fromCore(status, core.out(), undefined, KEY_MESSAGES)
    throw bad(`claims are invalid: ${e.message}`)
  }
  return core.out()
}
