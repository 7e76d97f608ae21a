// @ts-check
/**
 * jwt-wasm/jwe: compact JWE (RFC 7516) on the `jwe` artifact, nested only (sign, then encrypt:
 * the payload of every JWE is a JWS, `cty: "JWT"`). `Encrypter` wraps a signed token (or signs
 * claims with its `signer`, then wraps them) under one key; `Decrypter` decrypts with a key ring
 * and allowlists, then verifies the inner JWS with its `verifier` policy, in the same core call.
 * Key management `dir`, `A128KW`, `A256KW`; content encryption `A128GCM`, `A256GCM`,
 * `A128CBC-HS256`, `A256CBC-HS512`; everything else (zip, PBES2, ECDH-ES, RSA, crit, JSON
 * serialization, key URLs) is refused by the core with a typed error. The core draws no random
 * bytes: the CEK and IV come from here (`crypto.getRandomValues`, or an injected `random`).
 * The `jwe-*.js` entries load the wasm per runtime.
 */
import { Core, put, call, jwe } from './wasm.js'
import { BY_CODE, kind, JWTTooLarge, KeyInvalid } from './errors.js'
import { bad, callOptions, fn, object, optionalString } from './internal/options.js'
import { nowSeconds, parts, sizeCaps } from './internal/calls.js'
import { jweCipher } from './internal/jwe-cipher.js'
import { check, SIGNER_ARGS, signClaims, signerOf, verifierPolicy } from './policy.js'
import { ABSENT, CODES } from './internal/protocol.js'
import {
  CAP_JWE,
  ERR_JWE_DECRYPTION_FAILED,
  ERR_JWE_INVALID,
  JWE_ALGS,
  JWE_CEK_BYTES,
  JWE_ENCS,
  JWE_ERROR_CODES,
  JWE_ERROR_MESSAGES,
  JWE_IV_BYTES,
  JWE_KEK_BYTES,
  JWE_MESSAGES,
  OP_JWE_ADD_KEY,
  OP_JWE_DECRYPT,
  OP_JWE_DECRYPTER,
  OP_JWE_ENCRYPT,
  OP_JWE_ENCRYPTER,
} from './internal/protocol-jwe.js'

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

/** The token is not a compact JWE this Decrypter reads (five segments, header, lengths), or is a JWS. */
export const JWEInvalid = kind('JWEInvalid', 'ERR_JWE_INVALID', JWE_ERROR_MESSAGES[ERR_JWE_INVALID])
/** Decryption failed: wrong key, altered header, IV, ciphertext or tag. One error, one path. */
export const JWEDecryptionFailed = kind(
  'JWEDecryptionFailed',
  'ERR_JWE_DECRYPTION_FAILED',
  JWE_ERROR_MESSAGES[ERR_JWE_DECRYPTION_FAILED],
)

/** Verifier options that the Decrypter's own caps replace (the inner token is inside the JWE). */
const INNER_OPTIONS = new Set([
  'keys',
  'algorithms',
  'issuer',
  'audience',
  'subject',
  'clockTolerance',
  'maxTokenAge',
  'requiredClaims',
  'typ',
])
const DECRYPTER_OPTIONS = new Set([
  'keys',
  'algorithms',
  'encryptions',
  'verifier',
  'maxTokenBytes',
  'maxHeaderBytes',
  'cipher',
])
const CIPHERS = ['auto', 'wasm', 'webcrypto']
const ENCRYPTER_OPTIONS = new Set(['key', 'enc', 'signer', 'random'])
const KEY_FIELDS = new Set(['kid', 'alg', 'enc', 'secret'])
const DECRYPT_OPTIONS = new Set(['currentDate'])
/** A compact JWS, the only plaintext an Encrypter takes as a string. */
const JWS = /^[\w-]+\.[\w-]+\.[\w-]*$/

/**
 * A core call's status to its error: a JWE error (`JWE_ERROR_CODES`, apart from the others) or
 * a JWE refusal (its output a letter, its reason in `JWE_MESSAGES`; a set-up error names the
 * option, `what`) here, anything else as for a JWS.
 * @param {import('./wasm.js').Core} core
 * @param {number} status
 * @param {string} [what]
 */
function checked(core, status, what) {
  if (status === 0) return
  const code = /** @type {Record<number, string | undefined>} */ (JWE_ERROR_CODES)[status]
  const i = core.out().charCodeAt(0) - 97
  const reason = i >= 0 && i < JWE_MESSAGES.length ? JWE_MESSAGES[i] : undefined
  const C = BY_CODE[code ?? CODES[status]]
  if (C && (code || reason)) throw new C(what && reason ? `${what}: ${reason}` : reason)
  check(core, status, what)
}

/**
 * A name of `list` (an allowlist entry, an `alg` or an `enc`), by index; `what` names it.
 * @param {unknown} v
 * @param {readonly string[]} list
 * @param {string} what
 */
function named(v, list, what) {
  const i = list.indexOf(/** @type {string} */ (v))
  // The name is echoed only when it looks like one (an algorithm name is not a secret).
  const name = typeof v === 'string' && /^[\w+-]{1,20}$/.test(v) ? `${v} ` : ''
  if (v === undefined) throw bad(`${what} is required: one of ${list.join(', ')}`)
  // The key management jwt-wasm/jwe refuses on purpose says why (JWE_MESSAGES b, c, d).
  const why = typeof v === 'string' ? [/^PBES2-/, /^ECDH-ES/, /^RSA/].findIndex((r) => r.test(v)) : -1
  if (i < 0 && list === JWE_ALGS && why >= 0) throw bad(`${what}: ${JWE_MESSAGES[why + 1]}`)
  if (i < 0) throw bad(`${what}: ${name}is not supported (one of ${list.join(', ')})`)
  return i
}

/**
 * An allowlist: a non-empty array of names of `list`, as a bit mask.
 * @param {unknown} v
 * @param {readonly string[]} list
 * @param {string} what
 */
function allowlist(v, list, what) {
  if (!Array.isArray(v) || v.length === 0) throw bad(`${what} is required: a non-empty array of ${list.join(', ')}`)
  return v.reduce((m, a, i) => m | (1 << named(a, list, `${what}[${i}]`)), 0)
}

/**
 * A JWE key `{ kid?, alg, enc?, secret }`: `dir` keys are bound to one `enc` (the key is the
 * CEK), key-wrapping keys to none; the secret has exactly the length its algorithm needs.
 * @param {unknown} k
 * @param {string} what
 */
function jweKey(k, what) {
  const key = object(k, what, KEY_FIELDS)
  const alg = named(key.alg, JWE_ALGS, `${what}.alg`)
  const kid = optionalString(key.kid, `${what}.kid`)
  let enc = ABSENT
  if (alg === 0) enc = named(key.enc, JWE_ENCS, `${what}.enc (a dir key is the CEK of one enc)`)
  else if (key.enc !== undefined) throw bad(`${what}.enc is only for dir keys: a ${JWE_ALGS[alg]} key wraps any enc`)
  if (!(key.secret instanceof Uint8Array)) throw bad(`${what}.secret must be a Uint8Array`)
  // Said here, before the core (which refuses it too): the lengths, never the bytes.
  const need = alg === 0 ? JWE_CEK_BYTES[enc] : JWE_KEK_BYTES[alg]
  if (key.secret.length !== need) {
    const of = alg === 0 ? `dir with ${JWE_ENCS[enc]}` : JWE_ALGS[alg]
    throw new KeyInvalid(`${what}.secret is ${key.secret.length} bytes; ${of} needs exactly ${need}`)
  }
  return { kid, alg, enc, secret: key.secret.slice() } // a copy: replayed on a fresh instance
}

/**
 * Sends one JWE key with `op` (`OP_JWE_ADD_KEY`, `OP_JWE_ENCRYPTER`) and its last argument.
 * @param {import('./wasm.js').Core} core
 * @param {number} op
 * @param {ReturnType<typeof jweKey>} k
 * @param {number} u
 * @param {string} what
 */
function sendKey(core, op, k, u, what) {
  const [kidLen, secretLen] = put(core, [k.kid ?? '', k.secret])
  checked(core, call(core, op, k.alg, k.kid === undefined ? ABSENT : kidLen, secretLen, 0, u), what)
}

/**
 * Decrypts compact JWEs and verifies the signed token inside (nested, `cty: "JWT"`) with the
 * `verifier` policy, synchronously. A token that is not a JWE (a plain JWS among them), an
 * algorithm outside the allowlists, a key that does not fit, or a JWE whose payload is not a
 * JWS is refused; every failure to decrypt is the one `JWEDecryptionFailed`. Call `free()` when
 * done, or let the garbage collector release the wasm memory.
 */
export class Decrypter {
  /** @type {import('./wasm.js').Core | undefined} */
  #core
  #maxTokenBytes
  /** @type {string | undefined} */
  #typ
  /** `decryptAsync`'s content decryption by WebCrypto (`jweCipher`), or undefined: wasm. */
  #webcrypto

  /** @param {import('./jwe.js').DecrypterOptions} options */
  constructor(options) {
    const o = object(options, 'options', DECRYPTER_OPTIONS)
    const algs = allowlist(o.algorithms, JWE_ALGS, 'options.algorithms')
    const encs = allowlist(o.encryptions, JWE_ENCS, 'options.encryptions')
    if (!Array.isArray(o.keys) || o.keys.length === 0) throw bad('options.keys must be a non-empty array')
    const keys = o.keys.map((k, i) => {
      const key = jweKey(k, `options.keys[${i}]`)
      if (!(algs & (1 << key.alg))) throw bad(`options.keys[${i}].alg is not in options.algorithms`)
      if (key.enc !== ABSENT && !(encs & (1 << key.enc)))
        throw bad(`options.keys[${i}].enc is not in options.encryptions`)
      return key
    })
    if (o.verifier === undefined)
      throw bad('options.verifier is required: the Verifier options ({ keys, algorithms, ... }) of the inner token')
    const policy = verifierPolicy(o.verifier, 'options.verifier', INNER_OPTIONS)
    const { maxTokenBytes, maxHeaderBytes } = sizeCaps(o, 'options')
    const [mask, clockTolerance, maxTokenAge] = policy.args
    this.#core = new Core(jwe, CAP_JWE, [mask, clockTolerance, maxTokenAge, maxTokenBytes, maxHeaderBytes], (core) => {
      policy.setup(core)
      for (const [i, k] of keys.entries()) sendKey(core, OP_JWE_ADD_KEY, k, k.enc, `options.keys[${i}].secret`)
      checked(core, call(core, OP_JWE_DECRYPTER, algs, encs, 0, 0, 0), 'options.keys')
    })
    this.#maxTokenBytes = maxTokenBytes
    this.#typ = o.verifier.typ
    const cipher = o.cipher === undefined ? 'auto' : o.cipher
    if (!CIPHERS.includes(cipher)) throw bad(`options.cipher must be one of ${CIPHERS.join(', ')}`)
    const subtle = globalThis.crypto?.subtle
    if (cipher === 'webcrypto' && !subtle) throw bad("options.cipher 'webcrypto' needs crypto.subtle")
    // The content by WebCrypto for this `cipher` (internal/jwe-cipher.js), or none: the wasm.
    this.#webcrypto =
      subtle &&
      jweCipher[/** @type {'auto' | 'wasm' | 'webcrypto'} */ (cipher)]?.(
        subtle,
        keys.map((k) => k.secret),
      )
  }

  /** The `typ` its verifier requires of the inner token, or undefined (any); the edge's guard needs one. */
  get typ() {
    return this.#typ
  }

  /**
   * Decrypts `token`, verifies the JWS inside, and returns the JWE's protected header, the
   * inner header and the inner payload. Throws a `JwtError` subclass.
   * @param {string} token
   * @param {{ currentDate?: Date }} [options]
   * @returns {{ protectedHeader: any, header: any, payload: any }}
   */
  decrypt(token, options) {
    const [core, now] = this.#start(token, options)
    checked(core, call(core, OP_JWE_DECRYPT, 1, 0, put(core, [token])[0], now, 0))
    return result(core)
  }

  /**
   * As `decrypt` (the same result, the same errors), asynchronously: with `cipher: 'webcrypto'`
   * (`'auto'` on workerd) the runtime's WebCrypto decrypts the content between two core calls
   * that decide everything else; otherwise the wasm path of `decrypt`. The edge's guard uses it.
   * @param {string} token
   * @param {{ currentDate?: Date }} [options]
   * @returns {Promise<{ protectedHeader: any, header: any, payload: any }>}
   */
  async decryptAsync(token, options) {
    if (!this.#webcrypto) return this.decrypt(token, options)
    const [core, now] = this.#start(token, options)
    // After the await: freed meanwhile, #start throws as on any freed Decrypter (token and options were checked).
    return this.#webcrypto(core, token, now, checked, result, () => this.#core || this.#start(token, options))
  }

  /**
   * The core and the call's time, once the token's type and size are checked.
   * @param {unknown} token
   * @param {{ currentDate?: Date } | undefined} options
   */
  #start(token, options) {
    const core = this.#core
    if (!core) throw bad('this Decrypter was freed')
    if (typeof token !== 'string') throw new JWEInvalid('token must be a string')
    const now = nowSeconds(callOptions(options, DECRYPT_OPTIONS))
    if (token.length > this.#maxTokenBytes) throw new JWTTooLarge()
    return /** @type {const} */ ([core, now])
  }

  /** Releases the wasm memory now (the garbage collector does it otherwise). */
  free() {
    this.#core?.free()
    this.#core = undefined
  }
}

/** A decrypt's output: the protected header, the inner header and payload. @param {import('./wasm.js').Core} core */
function result(core) {
  const [protectedHeader, header, payload] = parts(core)
  return { protectedHeader, header, payload }
}

const encoder = new TextEncoder()

/** @param {number} n */
const randomBytes = (n) => crypto.getRandomValues(new Uint8Array(n))

/**
 * Mints compact JWEs under one key: nested, the payload a signed token (`cty: "JWT"`). Give it
 * a signed token, or claims with a `signer` (Signer options: it signs, then encrypts). Each
 * token gets a fresh random CEK (key wrapping) and IV.
 */
export class Encrypter {
  /** @type {import('./wasm.js').Core | undefined} */
  #core
  #enc
  #wraps
  #random
  /** @type {import('./policy.js').SignerSpec | undefined} */
  #signer

  /** @param {import('./jwe.js').EncrypterOptions} options */
  constructor(options) {
    const o = object(options, 'options', ENCRYPTER_OPTIONS)
    const enc = named(o.enc, JWE_ENCS, 'options.enc')
    const k = object(o.key, 'options.key')
    // A dir key names its enc (so that one key object serves Encrypter and Decrypter): the same.
    if (k.alg === 'dir' && k.enc !== undefined && k.enc !== o.enc) throw bad('options.key.enc is not options.enc')
    const key = jweKey(k.alg === 'dir' ? { ...k, enc: o.enc } : k, 'options.key')
    this.#random = o.random === undefined ? randomBytes : fn(o.random, 'options.random')
    const signer = o.signer === undefined ? undefined : signerOf(o.signer, 'options.signer')
    this.#signer = signer
    this.#enc = enc
    this.#wraps = key.alg !== 0
    this.#core = new Core(jwe, CAP_JWE, SIGNER_ARGS, (core) => {
      signer?.setup(core)
      sendKey(core, OP_JWE_ENCRYPTER, key, enc, 'options.key.secret')
    })
  }

  /** `n` random bytes from the source: exactly `n`, a fresh Uint8Array. @param {number} n */
  #draw(n) {
    const b = this.#random(n)
    if (!(b instanceof Uint8Array) || b.length !== n) throw bad(`options.random must return ${n} random bytes`)
    return b
  }

  /**
   * Encrypts a signed token (a compact JWS), or claims that its `signer` signs first (with the
   * Signer's `currentDate`, `ttl`, `jti` options), into a compact JWE.
   * @param {string | Record<string, unknown>} tokenOrClaims
   * @param {{ currentDate?: Date, ttl?: number, jti?: boolean }} [options] for claims only
   * @returns {string}
   */
  encrypt(tokenOrClaims, options) {
    const core = this.#core
    if (!core) throw bad('this Encrypter was freed')
    let jws
    if (typeof tokenOrClaims === 'string') {
      if (options !== undefined) throw bad('options apply to claims only: a signed token is encrypted as it is')
      if (!JWS.test(tokenOrClaims)) throw bad('the token must be a compact JWS (sign it first)')
      jws = tokenOrClaims
    } else {
      if (!this.#signer) throw bad('claims need options.signer (Signer options) to be signed before encryption')
      jws = signClaims(core, this.#signer, tokenOrClaims, options)
    }
    const cek = this.#wraps ? this.#draw(JWE_CEK_BYTES[this.#enc]) : new Uint8Array(0)
    const iv = this.#draw(JWE_IV_BYTES[this.#enc])
    // The IV is the rest of the input (the protocol): the token goes in as its exact bytes, since
    // a string part reserves room for three bytes a character.
    const [len, cekLen] = put(core, [encoder.encode(jws), cek, iv])
    checked(core, call(core, OP_JWE_ENCRYPT, 1, cekLen, len, 0, 0))
    return core.out()
  }

  /** Releases the wasm memory now (and the copy of the signing key its setup kept). */
  free() {
    this.#core?.free()
    this.#core = undefined
    this.#signer = undefined
  }
}
