/**
 * jwt-wasm: one strict JWT core (HS256, HS384, HS512) in WebAssembly, with the same synchronous
 * semantics in browsers, Node and Cloudflare Workers.
 */

/** The algorithms jwt-wasm implements. There is no `none`. */
export type Algorithm = 'HS256' | 'HS384' | 'HS512'

/** A key of the ring: used with its one algorithm only (RFC 8725 §3.1). */
export interface KeyEntry {
  /** Key id, matched exactly against the header `kid` (never interpreted as a path or URL). */
  kid?: string
  /** The one algorithm this key is used with. */
  alg: Algorithm
  /**
   * The secret: bytes, or a string taken as its UTF-8 bytes. At least 32, 48 or 64 bytes for
   * HS256, HS384, HS512 (RFC 7518 §3.2); shorter or empty secrets throw `KeyInvalid`, and so
   * does a public key or certificate given as a secret (PEM, OpenSSH, JWK or DER: the
   * RS256→HS256 confusion). One secret may not be listed under two algorithms (RFC 8725 §3.1).
   */
  secret: Uint8Array | string
}

/** A key of a `Verifier`'s ring, which may name the issuer it speaks for. */
export interface VerifierKey extends KeyEntry {
  /**
   * The issuer this key speaks for: a token it verifies must carry exactly this `iss` (else
   * `JWTClaimValidationFailed` on `iss`), besides passing the `issuer` allowlist, which must
   * include it. Default: any issuer the allowlist accepts.
   */
  issuer?: string
}

/** Registered claims (RFC 7519 §4.1), as jwt-wasm types them. */
export interface RegisteredClaims {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
}

/** The claims of a token: registered claims plus the application's own. */
export type Claims<Custom extends object = Record<string, unknown>> = RegisteredClaims & Custom

/** The JOSE header of a token. */
export interface Header {
  alg: string
  typ?: string
  kid?: string
  [member: string]: unknown
}

/** Options of `new Verifier(...)`. Names follow jose's `jwtVerify` where the meaning matches. */
export interface VerifierOptions {
  /** The key ring. Required, non-empty; every key's `alg` must be in `algorithms`. */
  keys: VerifierKey[]
  /** Allowed algorithms. Required, non-empty. A header `alg` outside it is refused. */
  algorithms: Algorithm[]
  /** Accepted `iss` values (exact match), at least one. Default: not checked (`[]` is a `TypeError`). */
  issuer?: string | string[]
  /**
   * Accepted audiences; the token's `aud` must contain one. Default: none configured, and then
   * a token that carries `aud` is refused (RFC 7519 §4.1.3).
   */
  audience?: string | string[]
  /** Required `sub`. Default: not checked. */
  subject?: string
  /** Tolerated clock skew in seconds for every time check. Default 0. */
  clockTolerance?: number
  /** Maximum age in seconds since `iat` (which becomes required). Default: none. */
  maxTokenAge?: number
  /** Claims that must be present: at least one name. Default `['exp']`. An empty list is a `TypeError`. */
  requiredClaims?: string[]
  /**
   * Required header `typ`, compared as a media type, case-insensitively: `application/` is implied
   * only for a value without `/` (`JWT` ≡ `application/jwt`; `application/text/plain` ≠ `text/plain`).
   * Default: ignored.
   */
  typ?: string
  /** Maximum token length in bytes (longer: `JWTTooLarge`). Default 16384. */
  maxTokenBytes?: number
  /**
   * Maximum length of the encoded header segment in bytes (longer: `JWTTooLarge`), at most
   * `maxTokenBytes`. Default 8192, or `maxTokenBytes` if lower.
   */
  maxHeaderBytes?: number
  /**
   * Where the MAC over the signing input is computed (every other check stays in the wasm core,
   * in the same order, and the core compares the MAC in constant time). `'auto'` (default): with
   * the runtime's synchronous native HMAC (Node's `node:crypto`; workerd's under
   * `nodejs_compat`) for tokens of 1600 characters or more, in wasm otherwise and where there is
   * none (browsers, workerd without `nodejs_compat`). `'wasm'`: always in wasm. `'native'`:
   * always natively; a `TypeError` where the runtime has no native HMAC.
   */
  mac?: 'auto' | 'wasm' | 'native'
}

/** The size caps of `decodeUnverified` and `inspect`, with the defaults of `VerifierOptions`. */
export interface SizeCaps {
  /** Maximum token length in bytes. Default 16384. */
  maxTokenBytes?: number
  /** Maximum encoded header length in bytes, at most `maxTokenBytes`. Default 8192 (or `maxTokenBytes` if lower). */
  maxHeaderBytes?: number
}

/** Options of one verification. */
export interface VerifyOptions {
  /** The time of the check. Default: now. */
  currentDate?: Date
}

/** A verified token. */
export interface VerifyResult<Custom extends object = Record<string, unknown>> {
  header: Header
  payload: Claims<Custom>
}

/**
 * Verifies HS256/HS384/HS512 tokens against a key ring and a policy, synchronously. Every
 * failure throws a `JwtError` subclass with a stable `code`.
 */
export declare class Verifier {
  /** Throws `TypeError` (code `ERR_INVALID_OPTIONS`) for bad options, `KeyInvalid` for bad keys. */
  constructor(options: VerifierOptions)
  /** Verifies `token`; returns its header and payload, or throws a `JwtError` subclass. */
  verify<Custom extends object = Record<string, unknown>>(token: string, options?: VerifyOptions): VerifyResult<Custom>
  /** Releases the wasm memory now (otherwise the garbage collector does). */
  free(): void
}

/** Options of `new Signer(...)`. */
export interface SignerOptions {
  /** The signing key; its `kid`, if any, goes into the header. */
  key: KeyEntry
  /** The header `typ`. Default `JWT`. */
  typ?: string
  /** Default lifetime in seconds: sets `iat` to now and `exp` to `iat + ttl`. Default: none. */
  ttl?: number
  /** Add a random 128-bit `jti` to every token. Default false. */
  jti?: boolean
}

/** Options of one signing. */
export interface SignOptions {
  currentDate?: Date
  ttl?: number
  jti?: boolean
}

/** Mints compact tokens with one key (for issuers and tests; an HMAC secret does not belong in a browser). */
export declare class Signer {
  constructor(options: SignerOptions)
  /**
   * Signs the claims, a plain object (prototype `Object.prototype` or `null`); a Buffer, typed
   * array, Map, Date, array or class instance, and claims of the wrong type, throw `TypeError`.
   */
  sign<Custom extends object = Record<string, unknown>>(claims: Claims<Custom>, options?: SignOptions): string
  /** Releases the wasm memory now. */
  free(): void
}

/** The protected header of a compact JWE (`jwt-wasm/jwe`), as read without decrypting. */
export interface ProtectedHeader {
  alg: string
  enc: string
  kid?: string
  cty?: string
  typ?: string
  [name: string]: unknown
}

/**
 * What `decodeUnverified` and `inspect` give for a compact JWE (five segments): its protected
 * header and nothing else. Its claims are encrypted (only a `Decrypter` reads them), so neither
 * can tell its expiry; every claim field is absent.
 */
export interface Encrypted {
  encrypted: true
  header: ProtectedHeader
  payload?: undefined
  exp?: undefined
  nbf?: undefined
  iat?: undefined
  expiresIn?: undefined
  lifetime?: undefined
}

/** A JWS read by `decodeUnverified` (nothing of it verified). */
export interface Decoded<Custom extends object = Record<string, unknown>> {
  encrypted?: false
  header: Header
  payload: Claims<Custom>
}

/**
 * Decodes a token WITHOUT VERIFYING ANYTHING: no signature, no expiry, no issuer, no audience.
 * Checks only its shape. Never authorise anything with what it returns. A JWE gives
 * `{ encrypted: true, header }` (its protected header).
 */
export declare function decodeUnverified<Custom extends object = Record<string, unknown>>(
  token: string,
  options?: SizeCaps,
): Decoded<Custom> | Encrypted

/** A warning of `inspect`. */
export type InspectionWarning = 'no_exp' | 'long_lifetime' | 'alg_none' | 'personal_data'

/** What `inspect` tells about a token (nothing of it is verified). Times in seconds. */
export interface Inspection<Custom extends object = Record<string, unknown>> {
  encrypted?: false
  header: Header
  payload: Claims<Custom>
  exp?: number
  nbf?: number
  iat?: number
  /** `exp - now`; negative once expired. */
  expiresIn?: number
  expired: boolean
  notYetValid: boolean
  /** `exp - iat`. */
  lifetime?: number
  warnings: InspectionWarning[]
  /** Names of the claims that look like personal data. */
  personalData: string[]
}

/** What `inspect` tells about a compact JWE: `{ encrypted: true, header }`, no claims. */
export type EncryptedInspection = Encrypted

/**
 * Describes a token WITHOUT VERIFYING IT, for scheduling refreshes and showing its anatomy.
 * Registered claims are typed as strictly as in verification. A JWE gives
 * `{ encrypted: true, header }`: narrow on `encrypted` before reading the claims' fields.
 */
export declare function inspect<Custom extends object = Record<string, unknown>>(
  token: string,
  options?: SizeCaps & { currentDate?: Date; maxLifetime?: number },
): Inspection<Custom> | EncryptedInspection

/**
 * Resolves when the wasm engine has loaded (or failed to; then the API throws `WasmNotInitialized`).
 * In browsers loading starts at import, without top-level await: await this before the first
 * call, which throws `WasmNotInitialized` otherwise. In Node and workerd it has already resolved.
 */
export declare const ready: Promise<void>

/** Every code an error of jwt-wasm can carry. */
export type ErrorCode =
  | 'ERR_JWS_INVALID'
  | 'ERR_JWT_INVALID'
  | 'ERR_JWT_TOO_LARGE'
  | 'ERR_JOSE_ALG_NOT_ALLOWED'
  | 'ERR_JOSE_NOT_SUPPORTED'
  | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_CLAIM_VALIDATION_FAILED'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_KEY_INVALID'
  | 'ERR_JWE_INVALID'
  | 'ERR_JWE_DECRYPTION_FAILED'
  | 'ERR_WASM_NOT_INITIALIZED'
  | 'ERR_WASM_TRAPPED'
  | 'ERR_WASM_CAPABILITY_MISSING'

/** Why a claim failed. */
export type ClaimReason = 'missing' | 'invalid' | 'check_failed'

/** The base class of every token, key and runtime error of jwt-wasm. */
export declare class JwtError extends Error {
  static code: string
  code: string
  /** The claim, for claim failures and expiry. */
  claim?: string
  /** Why the claim failed. */
  reason?: ClaimReason
  /** The payload, only on `JWTExpired` and `JWTClaimValidationFailed` (the signature verified). */
  payload?: Claims
}

declare class JwtErrorOf<C extends ErrorCode> extends JwtError {
  static code: ErrorCode
  code: C
}

export declare class JWSInvalid extends JwtErrorOf<'ERR_JWS_INVALID'> {}
export declare class JWTInvalid extends JwtErrorOf<'ERR_JWT_INVALID'> {}
export declare class JWTTooLarge extends JwtErrorOf<'ERR_JWT_TOO_LARGE'> {}
export declare class JOSEAlgNotAllowed extends JwtErrorOf<'ERR_JOSE_ALG_NOT_ALLOWED'> {}
export declare class JOSENotSupported extends JwtErrorOf<'ERR_JOSE_NOT_SUPPORTED'> {}
export declare class JWSSignatureVerificationFailed extends JwtErrorOf<'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'> {}
export declare class JWTExpired extends JwtErrorOf<'ERR_JWT_EXPIRED'> {
  claim: 'exp' | 'iat'
  reason: 'check_failed'
  payload: Claims
}
export declare class JWTClaimValidationFailed extends JwtErrorOf<'ERR_JWT_CLAIM_VALIDATION_FAILED'> {
  claim: string
  reason: ClaimReason
  payload: Claims
}
export declare class JWKSNoMatchingKey extends JwtErrorOf<'ERR_JWKS_NO_MATCHING_KEY'> {}
export declare class KeyInvalid extends JwtErrorOf<'ERR_KEY_INVALID'> {}
export declare class WasmNotInitialized extends JwtErrorOf<'ERR_WASM_NOT_INITIALIZED'> {}
/**
 * The engine trapped during this call (which has no answer, never a wrong one); `cause` is the
 * trap. The instance was dropped: the next call runs on a fresh one, where every `Verifier` and
 * `Signer` rebuilds itself.
 */
export declare class WasmTrapped extends JwtErrorOf<'ERR_WASM_TRAPPED'> {}
/**
 * The wasm artifact under this API lacks the capability it needs (a `Verifier` on the claims-only
 * artifact, say): thrown before any call into it, never a trap.
 */
export declare class WasmCapabilityMissing extends JwtErrorOf<'ERR_WASM_CAPABILITY_MISSING'> {}

/** Invalid options: a `TypeError` with `code` `ERR_INVALID_OPTIONS`. */
export declare class InvalidOptionsError extends TypeError {
  code: 'ERR_INVALID_OPTIONS'
}
