// @ts-check
/**
 * jwt-wasm: one strict JWT core (HS256, HS384, HS512) in WebAssembly, with the same semantics
 * in browsers, Node and Workers. Import from `jwt-wasm`; the package's exports map picks the
 * entry point that loads the wasm the way the runtime allows. Everything here runs on the `hmac`
 * artifact; `jwt-wasm/claims` (claims.js) is the same decode and inspect on the smaller one.
 */
import { Core, put, call, hmac } from './wasm.js'
import { JWSInvalid, JWTTooLarge } from './errors.js'
import { bad, callOptions } from './internal/options.js'
import { nowSeconds, parts } from './internal/calls.js'
import { decodeWith, inspectWith } from './read.js'
import { nativeMac } from './internal/native.js'
import { check, SIGNER_ARGS, signClaims, signerOf, verifierPolicy } from './policy.js'
import { CAP_HMAC, OP_VERIFY } from './internal/protocol.js'

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

const MAC_PATHS = ['auto', 'wasm', 'native']
const VERIFY_OPTIONS = new Set(['currentDate'])

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
    const policy = verifierPolicy(options, 'options')
    const mac = policy.mac === undefined ? 'auto' : policy.mac
    if (!MAC_PATHS.includes(mac)) throw bad(`options.mac must be one of ${MAC_PATHS.join(', ')}`)
    this.#core = new Core(hmac, CAP_HMAC, policy.args, policy.setup)
    this.#maxTokenBytes = policy.maxTokenBytes
    // The native MAC (native-mac.js) where the runtime has one: for 'auto' above its threshold.
    if (mac !== 'wasm') this.#native = nativeMac.path?.(policy.ring, mac === 'native' ? 0 : undefined)
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

/**
 * Mints compact tokens with one key. For issuers (the edge) and tests: an HMAC secret does not
 * belong in a browser.
 */
export class Signer {
  /** @type {import('./wasm.js').Core | undefined} */
  #core
  /** @type {import('./policy.js').SignerSpec | undefined} */
  #spec

  /** @param {import('./index.js').SignerOptions} options */
  constructor(options) {
    const spec = signerOf(options, 'options')
    this.#spec = spec
    this.#core = new Core(hmac, CAP_HMAC, SIGNER_ARGS, spec.setup)
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
    return signClaims(core, /** @type {import('./policy.js').SignerSpec} */ (this.#spec), claims, options)
  }

  /** Releases the wasm memory now (and the copy of the key its setup kept). */
  free() {
    this.#core?.free()
    this.#core = undefined
    this.#spec = undefined
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
