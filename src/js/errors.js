// @ts-check
/**
 * Typed errors. Every error the library throws for a token carries a stable `code` (jose's names
 * where the meaning is the same) and is an instance of `JwtError` and of its own subclass.
 * Messages are static: they never contain the token, a key or a claim value.
 */

/** The base class of every token, key and runtime error of jwt-wasm. */
export class JwtError extends Error {
  /** @type {string} */
  static code = 'ERR_JWT_WASM'
  /**
   * @param {string} [message]
   * @param {ErrorOptions & { claim?: string, reason?: string, payload?: object }} [options]
   */
  constructor(message, options) {
    super(message, options)
    const C = /** @type {typeof JwtError} */ (this.constructor)
    this.name = C.errorName
    /** @type {string} */
    this.code = C.code
    if (options?.claim !== undefined) {
      /** @type {string | undefined} */
      this.claim = options.claim
      /** @type {string | undefined} */
      this.reason = options.reason
    }
    if (options?.payload !== undefined) {
      /** @type {object | undefined} */
      this.payload = options.payload
    }
  }
  /** The class name, kept explicitly so minifiers cannot rename it. */
  static errorName = 'JwtError'
}

/**
 * @param {string} name
 * @param {string} code
 * @param {string} message
 */
const kind = (name, code, message) => {
  const C = class extends JwtError {
    /** @param {string} [m] @param {ConstructorParameters<typeof JwtError>[1]} [o] */
    constructor(m, o) {
      super(m ?? message, o)
    }
  }
  Object.defineProperty(C, 'name', { value: name })
  C.code = code
  C.errorName = name
  return C
}

/** The token is not a compact JWS (segments, base64url, header JSON). */
export const JWSInvalid = kind('JWSInvalid', 'ERR_JWS_INVALID', 'token is not a valid compact JWS')
/** The payload is not a strict JSON object. */
export const JWTInvalid = kind('JWTInvalid', 'ERR_JWT_INVALID', 'token payload is not a valid JWT claims set')
/** The token is longer than `maxTokenBytes`. */
export const JWTTooLarge = kind('JWTTooLarge', 'ERR_JWT_TOO_LARGE', 'token is larger than allowed')
/** The header `alg` is not in `algorithms` (this includes `none`). */
export const JOSEAlgNotAllowed = kind('JOSEAlgNotAllowed', 'ERR_JOSE_ALG_NOT_ALLOWED', 'token algorithm is not allowed')
/** The header uses `crit`, `b64: false` or nesting, which jwt-wasm refuses. */
export const JOSENotSupported = kind('JOSENotSupported', 'ERR_JOSE_NOT_SUPPORTED', 'token uses an unsupported JOSE feature')
/** The signature did not verify. */
export const JWSSignatureVerificationFailed = kind('JWSSignatureVerificationFailed', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed')
/** The token expired (`claim` `exp`) or is older than `maxTokenAge` (`claim` `iat`). Its signature verified; `payload` is set. */
export const JWTExpired = kind('JWTExpired', 'ERR_JWT_EXPIRED', 'token has expired')
/** A claim is missing, mistyped or fails the policy: see `claim` and `reason`. */
export const JWTClaimValidationFailed = kind('JWTClaimValidationFailed', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'a claim check failed')
/** No key of the ring fits the token's `alg` and `kid`. */
export const JWKSNoMatchingKey = kind('JWKSNoMatchingKey', 'ERR_JWKS_NO_MATCHING_KEY', 'no key matches the token')
/** A key is empty, too short for its algorithm (RFC 7518 §3.2), or ambiguous. */
export const KeyInvalid = kind('KeyInvalid', 'ERR_KEY_INVALID', 'key is invalid')
/** The wasm module could not be loaded, or was not loaded yet. `cause` says why. */
export const WasmNotInitialized = kind('WasmNotInitialized', 'ERR_WASM_NOT_INITIALIZED', 'the jwt-wasm WebAssembly module is not initialised')

/** Options are invalid: a `TypeError` with `code` `ERR_INVALID_OPTIONS` and a precise message. */
export class InvalidOptionsError extends TypeError {
  /** @param {string} message */
  constructor(message) {
    super(message)
    this.name = 'TypeError'
    this.code = 'ERR_INVALID_OPTIONS'
  }
}

/** Classes by the core's error number (`ErrorKind::number` in src/error.rs). */
export const BY_NUMBER = [
  undefined,
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
]

const REASONS = [undefined, 'missing', 'invalid', 'check_failed']

/**
 * Builds the error for a core status and its output (reason digit, claim, NUL, payload JSON).
 * @param {number} status
 * @param {string} out
 * @returns {Error}
 */
export function fromCore(status, out) {
  const C = BY_NUMBER[status]
  if (!C) return new InvalidOptionsError('options are invalid')
  const nul = out.indexOf('\0')
  const claim = out.slice(1, nul < 0 ? undefined : nul) || undefined
  const reason = REASONS[+out[0]]
  const payload = nul < 0 ? undefined : JSON.parse(out.slice(nul + 1))
  const message =
    claim && C === JWTClaimValidationFailed
      ? `"${claim}" claim ${reason === 'missing' ? 'is missing' : reason === 'invalid' ? 'has the wrong type' : 'check failed'}`
      : undefined
  return new C(message, claim ? { claim, reason, payload } : undefined)
}
