// @ts-check
/**
 * Typed errors. Every error the library throws for a token carries a stable `code` (jose's names
 * where the meaning is the same) and is an instance of `JwtError` and of its own subclass.
 * Messages are static: they never contain the token, a key or a claim value. Each class is bound
 * to its code here; the code's number and default message come from the wire protocol
 * (internal/protocol.js, generated from src/protocol.rs: the one message table).
 */
import { CLAIM_PHRASES, CODES, ERR_INVALID_OPTIONS, MESSAGES, REASONS, SEP } from './internal/protocol.js'

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
 * The classes by code, for `fromCore` (a core status is a number; `CODES` gives its code).
 * @type {Record<string, typeof JwtError>}
 */
export const BY_CODE = {}

/**
 * A subclass with its code; its default message is the protocol's for that code.
 * @param {string} name
 * @param {string} code
 * @param {string} [message]
 */
export const kind = (name, code, message = MESSAGES[CODES.indexOf(code)]) => {
  const C = class extends JwtError {
    /** @param {string} [m] @param {ConstructorParameters<typeof JwtError>[1]} [o] */
    constructor(m, o) {
      super(m ?? message, o)
    }
  }
  Object.defineProperty(C, 'name', { value: name })
  C.code = code
  C.errorName = name
  BY_CODE[code] = C
  return C
}

/** The token is not a compact JWS (segments, base64url, header JSON). */
export const JWSInvalid = kind('JWSInvalid', 'ERR_JWS_INVALID')
/** The payload is not a strict JSON object. */
export const JWTInvalid = kind('JWTInvalid', 'ERR_JWT_INVALID')
/** The token is longer than `maxTokenBytes`. */
export const JWTTooLarge = kind('JWTTooLarge', 'ERR_JWT_TOO_LARGE')
/** The header `alg` is not in `algorithms` (this includes `none`). */
export const JOSEAlgNotAllowed = kind('JOSEAlgNotAllowed', 'ERR_JOSE_ALG_NOT_ALLOWED')
/** The header uses `crit`, `b64: false` or nesting, which jwt-wasm refuses. */
export const JOSENotSupported = kind('JOSENotSupported', 'ERR_JOSE_NOT_SUPPORTED')
/** The signature did not verify. */
export const JWSSignatureVerificationFailed = kind(
  'JWSSignatureVerificationFailed',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
)
/** The token expired (`claim` `exp`) or is older than `maxTokenAge` (`claim` `iat`). Its signature verified; `payload` is set. */
export const JWTExpired = kind('JWTExpired', 'ERR_JWT_EXPIRED')
/** A claim is missing, mistyped or fails the policy: see `claim` and `reason`. */
export const JWTClaimValidationFailed = kind('JWTClaimValidationFailed', 'ERR_JWT_CLAIM_VALIDATION_FAILED')
/** No key of the ring fits the token's `alg` and `kid`. */
export const JWKSNoMatchingKey = kind('JWKSNoMatchingKey', 'ERR_JWKS_NO_MATCHING_KEY')
/** A key is empty, too short for its algorithm (RFC 7518 §3.2), in a public-key format (PEM, OpenSSH, JWK, DER), shared by two algorithms, or ambiguous: the message says which. */
export const KeyInvalid = kind('KeyInvalid', 'ERR_KEY_INVALID')
/** The wasm module could not be loaded, or was not loaded yet. `cause` says why. */
export const WasmNotInitialized = kind(
  'WasmNotInitialized',
  'ERR_WASM_NOT_INITIALIZED',
  'the jwt-wasm WebAssembly module is not initialised',
)

/**
 * The engine trapped during this call, which therefore has no answer (never a wrong one). The
 * instance was dropped; the next call runs on a fresh one. `cause` is the trap.
 */
export const WasmTrapped = kind(
  'WasmTrapped',
  'ERR_WASM_TRAPPED',
  'the jwt-wasm engine trapped during this call; the next call runs on a fresh instance',
)

/**
 * The wasm artifact this API runs on was built without the capability it needs (for example a
 * `Verifier` on the claims-only artifact): said before any call into it, never a trap.
 */
export const WasmCapabilityMissing = kind(
  'WasmCapabilityMissing',
  'ERR_WASM_CAPABILITY_MISSING',
  'the jwt-wasm WebAssembly artifact lacks the capability this API needs',
)

/** Options are invalid: a `TypeError` with `code` `ERR_INVALID_OPTIONS` and a precise message. */
export class InvalidOptionsError extends TypeError {
  /** @param {string} message */
  constructor(message) {
    super(message)
    this.name = 'TypeError'
    this.code = 'ERR_INVALID_OPTIONS'
  }
}

/**
 * Builds the error for a core status and its output (reason digit, claim, SEP, payload JSON).
 * A key error's digit says why (`keyMessages`, the protocol's `KEY_MESSAGES`, passed by the callers
 * that configure keys, so that a bundle that only reads tokens does not carry them); `what`
 * (the option, e.g. `options.keys[0].secret`) then starts its message.
 * @param {number} status
 * @param {string} out
 * @param {string} [what]
 * @param {readonly (string | undefined)[]} [keyMessages]
 * @returns {Error}
 */
export function fromCore(status, out, what = 'key', keyMessages = []) {
  const C = BY_CODE[CODES[status]]
  if (!C) return new InvalidOptionsError(MESSAGES[ERR_INVALID_OPTIONS])
  const sep = out.indexOf(SEP)
  const claim = out.slice(1, sep < 0 ? undefined : sep) || undefined
  const digit = +out[0]
  const reason = REASONS[digit]
  const payload = sep < 0 ? undefined : JSON.parse(out.slice(sep + 1))
  const keyMessage = C === KeyInvalid && keyMessages[digit]
  const message = keyMessage
    ? `${what}: ${keyMessage}`
    : claim && C === JWTClaimValidationFailed
      ? `"${claim}" claim ${CLAIM_PHRASES[digit]}`
      : undefined
  return new C(message, claim ? { claim, reason, payload } : undefined)
}
