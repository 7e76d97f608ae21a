// jwt-wasm/keys: tokens signed with public keys (RS256/384/512, PS256/384/512, ES256, ES384,
// EdDSA/Ed25519), as identity providers issue them, verified against a JWKS, JWKs or a key set.
// Parsing, key choice and policy run in the wasm core; the signature is checked by the runtime's
// crypto (WebCrypto, or node:crypto in Node), so verification is asynchronous.
import type { Claims, Header, JwtError, VerifierOptions } from './index.js'

export {
  ready,
  Claims,
  Header,
  ErrorCode,
  ClaimReason,
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
  WasmNotInitialized,
  WasmTrapped,
  WasmCapabilityMissing,
  InvalidOptionsError,
} from './index.js'
import type { KeySet } from './keys/key-sets.js'
// The key sets, their errors and the presets (keys/index.js).
export * from './keys/key-sets.js'

/** A public-key signature algorithm (`Ed25519` is RFC 9864's name of `EdDSA` with Ed25519). */
export type PublicKeyAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'EdDSA'
  | 'Ed25519'

/** A public JWK (RFC 7517): RSA, EC P-256/P-384, or OKP Ed25519. Private members are refused. */
export interface PublicJwk {
  kty: 'RSA' | 'EC' | 'OKP' | (string & {})
  kid?: string
  alg?: string
  use?: string
  key_ops?: string[]
  n?: string
  e?: string
  crv?: string
  x?: string
  y?: string
  [member: string]: unknown
}

/** A JWK Set (RFC 7517 §5). */
export interface Jwks {
  keys: PublicJwk[]
}


/** Options of `new PublicKeyVerifier(...)`: a Verifier's policy options, public keys and algorithms. */
export interface PublicKeyVerifierOptions
  extends Omit<VerifierOptions, 'keys' | 'algorithms' | 'mac'> {
  /**
   * The keys: a JWKS (`{ keys: [...] }`), an array of JWKs, or a key set. A key without `alg`
   * gets the one its type allows among `algorithms` (never the token's); an RSA key needs an
   * `alg` when several RSA algorithms are allowed. Fixed keys are read now (a bad one throws
   * `JWKSInvalid` or `JWKInvalid`); a key set is read at the first token.
   */
  keys: Jwks | PublicJwk[] | KeySet
  /** Allowed algorithms, public-key ones only (an HMAC name is a `TypeError`). Required, non-empty. */
  algorithms: PublicKeyAlgorithm[]
  /** Exact claim values, checked after the policy (the presets' `token_use`, `tid` …). */
  claimValues?: Readonly<Record<string, string | readonly string[]>>
}

/** A verified token. */
export interface PublicKeyVerifyResult<Custom extends object = Record<string, unknown>> {
  header: Header
  payload: Claims<Custom>
}

/**
 * Verifies tokens signed with public keys. The core does everything in the fixed order of checks
 * (size, segments, base64url, header, allowlist, key by `kid`, the signature's form: its length,
 * ECDSA `r` and `s` in range), the runtime checks the signature with a non-extractable key
 * imported once per key, then the core judges the claims and the policy. A token whose `kid` no
 * key has makes a key set look again once (within its cooldown it does not fetch). A token whose
 * signature verified is remembered (the last 512, up to 4 KB each): presented again, it skips the
 * signature, never the claims or the time.
 */
export declare class PublicKeyVerifier {
  /** Throws `TypeError` (`ERR_INVALID_OPTIONS`) for bad options, `JWKSInvalid` / `JWKInvalid` for bad fixed keys. */
  constructor(options: PublicKeyVerifierOptions)
  /**
   * Verifies `token`. Rejects with a `JwtError` subclass (the codes of `Verifier.verify`, and a
   * key set's `ERR_JWKS_*` when it has no usable keys). `now`: the time of the checks (default
   * now); `scope`: the request, within which the key set shares one fetch.
   */
  verifyAsync<Custom extends object = Record<string, unknown>>(
    token: string,
    options?: { now?: Date; scope?: object },
  ): Promise<PublicKeyVerifyResult<Custom>>
  /** Releases the wasm memory now. */
  free(): void
}

/** A key is malformed or refused; `problem` names why (`rsa_short`, `private`, `ec_coordinate`, `runtime` …). */
export declare class JWKInvalid extends JwtError {
  readonly code: 'ERR_JWK_INVALID'
  readonly problem?: string
}
