// @ts-check
/**
 * Reading a token without verifying it, on any artifact (every one has the `claims`
 * capability): `decodeWith` and `inspectWith` take the engine, so that `jwt-wasm` (index.js,
 * the hmac artifact) and `jwt-wasm/claims` (claims.js, the claims artifact) export the same
 * functions over their own wasm. One reader `Core` per engine. A compact JWE (five segments)
 * reads as `{ encrypted: true, header }`: its protected header only, no claims (they are
 * encrypted); the header goes through the same strict reader, as the payload of a JWS made for
 * it, so no artifact grows for this.
 */
import { Core, put, call } from './wasm.js'
import { JWSInvalid, JWTTooLarge } from './errors.js'
import { callOptions, seconds } from './internal/options.js'
import { check, nowSeconds, parts, sizeCaps } from './internal/calls.js'
import {
  ABSENT,
  CAP_CLAIMS,
  ERR_JWS_INVALID,
  OP_DECODE,
  OP_INSPECT,
  SLOT_EXP,
  SLOT_EXPIRED,
  SLOT_EXPIRES_IN,
  SLOT_IAT,
  SLOT_LIFETIME,
  SLOT_NBF,
  SLOT_NOT_YET_VALID,
  SLOT_WARNINGS,
  WARNINGS,
} from './internal/protocol.js'

/** @typedef {import('./wasm.js').Engine} Engine */

const DECODE_OPTIONS = new Set(['maxTokenBytes', 'maxHeaderBytes'])
const INSPECT_OPTIONS = new Set(['currentDate', 'maxLifetime', 'maxTokenBytes', 'maxHeaderBytes'])

/**
 * The shared reader of `engine` with `token` in its input, and the header cap of the call (`cap`).
 * @param {Engine} engine
 * @param {string} token
 * @param {{ maxTokenBytes?: number, maxHeaderBytes?: number } | undefined} options
 */
function read(engine, token, options) {
  if (typeof token !== 'string') throw new JWSInvalid('token must be a string')
  const { maxTokenBytes, maxHeaderBytes } = sizeCaps(options, 'options')
  if (token.length > maxTokenBytes) throw new JWTTooLarge()
  engine.reader ??= new Core(engine, CAP_CLAIMS, [0, 0, ABSENT, 0x7fffffff, 0])
  const reader = engine.reader
  return { core: reader, len: put(reader, [token])[0], cap: maxHeaderBytes }
}

/**
 * The five segments of a compact JWE (the encrypted key is empty for `dir`), the protected
 * header captured; it is read as the payload of a JWS whose header is `{"alg":"none"}` (20
 * characters with its dot).
 */
const JWE = /^([\w-]+)\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/

/**
 * The core's `status` for `token` checked, except that a token the core found no JWS and that
 * has a JWE's five segments gives its protected header (undefined otherwise). The header
 * segment counts against the header cap, and must be strict base64url of a strict JSON object.
 * @param {import('./wasm.js').Core} core the reader
 * @param {number} status
 * @param {string} token
 * @param {number} cap the header cap
 * @returns {import('./index.js').Encrypted | undefined}
 */
function encrypted(core, status, token, cap) {
  const m = status === ERR_JWS_INVALID && JWE.exec(token)
  if (!m) return void check(core, status)
  if (m[1].length > cap) throw new JWTTooLarge()
  check(core, call(core, OP_DECODE, 0, 20, put(core, [`eyJhbGciOiJub25lIn0.${m[1]}.`])[0], 0, 0) && ERR_JWS_INVALID)
  return { encrypted: true, header: parts(core)[1] }
}

/**
 * Decodes a token WITHOUT VERIFYING ANYTHING: no signature, no expiry, no issuer, no audience.
 * It only checks the shape (three segments, strict base64url, strict JSON objects). Never use
 * what it returns to authorise anything; use `Verifier` for that. A JWE gives
 * `{ encrypted: true, header }` (its protected header).
 * @param {Engine} engine the artifact it runs on
 * @param {string} token
 * @param {{ maxTokenBytes?: number, maxHeaderBytes?: number }} [options]
 * @returns {import('./index.js').Decoded | import('./index.js').Encrypted}
 */
export function decodeWith(engine, token, options) {
  callOptions(options, DECODE_OPTIONS)
  const { core, len, cap } = read(engine, token, options)
  const jwe = encrypted(core, call(core, OP_DECODE, 0, cap, len, 0, 0), token, cap)
  if (jwe) return jwe
  const [header, payload] = parts(core)
  return { header, payload }
}

/**
 * Describes a token WITHOUT VERIFYING IT, for scheduling refreshes and showing its anatomy:
 * seconds to expiry, expired or not yet valid, lifetime, and warnings (`no_exp`,
 * `long_lifetime` above `maxLifetime` seconds (default 2 h), `alg_none`, `personal_data`).
 * Registered claims are typed as strictly as in verification. A JWE gives
 * `{ encrypted: true, header }`: its claims (and so its expiry) cannot be read.
 * @param {Engine} engine the artifact it runs on
 * @param {string} token
 * @param {{ currentDate?: Date, maxLifetime?: number, maxTokenBytes?: number, maxHeaderBytes?: number }} [options]
 * @returns {import('./index.js').Inspection | import('./index.js').Encrypted}
 */
export function inspectWith(engine, token, options) {
  const now = nowSeconds(callOptions(options, INSPECT_OPTIONS))
  const maxLifetime = seconds(options?.maxLifetime, 'maxLifetime', 7200)
  const { core, len, cap } = read(engine, token, options)
  const jwe = encrypted(core, call(core, OP_INSPECT, 0, cap, len, now, maxLifetime), token, cap)
  if (jwe) return jwe
  const [header, payload, personalData] = parts(core)
  const num = (/** @type {number} */ i) => {
    const v = core.num(i)
    return Number.isNaN(v) ? undefined : v
  }
  const bits = core.num(SLOT_WARNINGS)
  return {
    header,
    payload,
    exp: num(SLOT_EXP),
    nbf: num(SLOT_NBF),
    iat: num(SLOT_IAT),
    expiresIn: num(SLOT_EXPIRES_IN),
    expired: core.num(SLOT_EXPIRED) === 1,
    notYetValid: core.num(SLOT_NOT_YET_VALID) === 1,
    lifetime: num(SLOT_LIFETIME),
    warnings: WARNINGS.filter((_, i) => bits & (1 << i)),
    personalData,
  }
}
