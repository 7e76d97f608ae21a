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

/** A key set body, as a key set hands it to the verifier. */
export interface KeySetSnapshot {
  readonly version: number
  readonly format: 'jwks' | 'x509'
  readonly body: string
}

/** The marker of a key set (a registered symbol). */
export declare const KEY_SET: unique symbol

/**
 * A source of keys the verifier reads when it needs them (`localKeySet`, `remoteKeySet`, the
 * presets). Times are seconds since the epoch.
 */
export interface KeySet {
  readonly [KEY_SET]: true
  snapshot(now: number): KeySetSnapshot | undefined
  load(request: { now: number; reason?: 'empty' | 'unknown-kid'; scope?: object }): Promise<KeySetSnapshot>
  refused(version: number, error?: unknown): void
}

/** Whether `v` is a key set. */
export declare function isKeySet(v: unknown): v is KeySet

/** Exact claim values checked after the policy (`{ token_use: 'access' }`, `{ tid: [a, b] }`). */
export type ClaimValues = Readonly<Record<string, string | readonly string[]>>

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
  claimValues?: ClaimValues
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
 * key has makes a key set look again once (within its cooldown it does not fetch).
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

/** The key set is not a valid key set (its shape, duplicate `kid`s), or the verifier refused it. */
export declare class JWKSInvalid extends JwtError {
  readonly code: 'ERR_JWKS_INVALID'
}
/** A key is malformed or refused; `problem` names why (`rsa_short`, `private`, `ec_coordinate`, `runtime` …). */
export declare class JWKInvalid extends JwtError {
  readonly code: 'ERR_JWK_INVALID'
  readonly problem?: string
}
/** The key set did not answer within `timeout`. */
export declare class JWKSTimeout extends JwtError {
  readonly code: 'ERR_JWKS_TIMEOUT'
}
/** The key set answer was larger than `maxBytes`. */
export declare class JWKSTooLarge extends JwtError {
  readonly code: 'ERR_JWKS_TOO_LARGE'
}
/** The key set could not be fetched (`status` 0: no answer; a redirect or another non-2xx status). */
export declare class JWKSFetchFailed extends JwtError {
  readonly code: 'ERR_JWKS_FETCH_FAILED'
  readonly status: number
}

/** A fixed key set over a JWKS (object or JSON text), or with `format: 'x509'` an object of kid → PEM. */
export declare function localKeySet(jwks: Jwks | string | Record<string, string>, options?: { format?: 'jwks' | 'x509' }): KeySet

/** The Cache API as a second tier (`caches.default` on Workers). */
export interface CacheLike {
  match(key: Request | string): Promise<Response | undefined>
  put(key: Request | string, res: Response): Promise<void>
  delete?(key: Request | string): Promise<boolean>
}
/** A KV namespace as a second tier. */
export interface KvLike {
  get(key: string): Promise<string | null>
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
  delete?(key: string): Promise<void>
}

/** Options of `remoteKeySet`. Seconds unless said otherwise. */
export interface RemoteKeySetOptions {
  /** `'jwks'` (default) or `'x509'` (an object of kid → PEM certificate, as Firebase publishes). */
  format?: 'jwks' | 'x509'
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** The Cache API tier (default on Workers: `caches.default`); `false`: none. */
  cache?: CacheLike | false
  /** A KV namespace tier. Default: none. */
  kv?: KvLike
  /** Milliseconds before a fetch is abandoned. Default 5000. */
  timeout?: number
  /** Bytes an answer may have. Default 65536. */
  maxBytes?: number
  /** Lower bound of the TTL taken from `Cache-Control`. Default 60. */
  minTtl?: number
  /** Upper bound of the TTL. Default 600. */
  maxTtl?: number
  /** Least time between two looks for an unknown `kid`. Default 30. */
  cooldown?: number
  /** How long past its expiry a body serves while fetching fails. Default 3600. */
  staleIfError?: number
  /** Injected timers, for tests. */
  timers?: { setTimeout(f: () => void, ms: number): unknown; clearTimeout(id: any): void }
}

/** A key set fetched from `url` and cached per isolate (and in the Cache API or KV). Make it once, at module scope. */
export declare function remoteKeySet(url: string | URL, options?: RemoteKeySetOptions): KeySet

/** What a preset returns: the options of a `PublicKeyVerifier` for that provider. */
export interface PresetOptions {
  keys: KeySet
  algorithms: PublicKeyAlgorithm[]
  issuer: string | string[]
  audience?: string | string[]
  requiredClaims: string[]
  claimValues?: ClaimValues
}

/** Cloudflare Access application tokens (RS256; `Cf-Access-Jwt-Assertion`). */
export declare function cloudflareAccess(
  options: { teamDomain: string; audience: string | string[] },
  keySet?: RemoteKeySetOptions,
): PresetOptions
/** Auth0 access tokens for an API (RS256, or PS256). */
export declare function auth0(
  options: { domain: string; audience: string | string[]; algorithms?: ('RS256' | 'PS256')[] },
  keySet?: RemoteKeySetOptions,
): PresetOptions
/** Firebase Authentication ID tokens (RS256, keys as x509 certificates). */
export declare function firebase(options: { projectId: string }, keySet?: RemoteKeySetOptions): PresetOptions
/** Amazon Cognito user pool tokens (`id` or `access`). */
export declare function cognito(
  options: { region: string; userPoolId: string; clientId: string | string[]; tokenUse: 'id' | 'access' },
  keySet?: RemoteKeySetOptions,
): PresetOptions
/** Google ID tokens. */
export declare function google(options: { clientId: string | string[] }, keySet?: RemoteKeySetOptions): PresetOptions
/** Microsoft Entra ID v2.0 tokens of one tenant. */
export declare function entraId(
  options: { tenantId: string; clientId: string | string[] },
  keySet?: RemoteKeySetOptions,
): PresetOptions
/** Where Firebase publishes its certificates. */
export declare const FIREBASE_CERTS: string
/** Applies exact claim values to a verified payload (throws `JWTClaimValidationFailed`). */
export declare function checkClaimValues(payload: Record<string, unknown>, rules: ClaimValues): void
