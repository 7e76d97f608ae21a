// The key-set half of jwt-wasm/keys (src/js/keys/index.js): the KeySet contract, localKeySet,
// remoteKeySet, their errors, the identity-provider presets and their claim rule. The entry's
// declaration file re-exports this one.
import type { JwtError } from '../index.js'

/** The marker of a KeySet: `Symbol.for('jwt-wasm.keySet')`. */
export declare const KEY_SET: unique symbol

/** One body of a key set: `version` changes whenever `body` does. */
export interface KeySetSnapshot {
  readonly version: number
  readonly format: 'jwks' | 'x509'
  /** The JWKS JSON text, or (x509) the JSON text of `{ kid: PEM certificate, … }`. */
  readonly body: string
}

/** A source of keys the public-key verifier reads (keys-contract §4). */
export interface KeySet {
  readonly [KEY_SET]: true
  /** The cached body, or undefined when nothing usable is cached. `now` in seconds. */
  snapshot(now: number): KeySetSnapshot | undefined
  /** Loads a body; one promise per `scope` (the request), never shared across scopes. */
  load(request: { now: number; reason?: 'empty' | 'unknown-kid'; scope?: object }): Promise<KeySetSnapshot>
  /** The verifier could not use that body: it is never handed out again. */
  refused(version: number, error?: unknown): void
}

export declare function isKeySet(value: unknown): value is KeySet

/** A fixed key set over a JWKS object or its JSON text (or, `format: 'x509'`, kid → PEM). */
export declare function localKeySet(jwks: string | object, options?: { format?: 'jwks' | 'x509' }): KeySet

/** The Workers Cache API as a remote key set uses it (`caches.default`). */
export interface KeySetCache {
  match(key: Request | string): Promise<Response | undefined>
  put(key: Request | string, response: Response): Promise<void>
  delete?(key: Request | string): Promise<boolean>
}
/** A KV namespace as a remote key set uses it. */
export interface KeySetKv {
  get(key: string): Promise<string | null>
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>
  delete?(key: string): Promise<void>
}

export interface RemoteKeySetOptions {
  /** `'jwks'` (default) or `'x509'` (an object of kid → PEM, as Firebase publishes). */
  format?: 'jwks' | 'x509'
  fetch?: typeof fetch
  /** The second tier; default `caches.default` where the runtime has it; `false`: none. */
  cache?: KeySetCache | false
  /** An optional KV tier below the Cache API. */
  kv?: KeySetKv
  /** Milliseconds per fetch, 1–60000; default 5000. */
  timeout?: number
  /** The largest body, 256 B–16 MiB; default 65536. */
  maxBytes?: number
  /** Seconds a body stays fresh at least (default 60) and at most (default 600, ≤ 86400). */
  minTtl?: number
  maxTtl?: number
  /** Seconds between two looks for an unknown kid, and the longest backoff (default 30, 1–3600). */
  cooldown?: number
  /** Seconds past expiry the last good body serves while refreshes fail (default 3600, ≤ 604800). */
  staleIfError?: number
  timers?: { setTimeout(f: () => void, ms: number): unknown; clearTimeout(id: any): void }
}

/** A key set fetched from `url` (https; http only for loopback hosts) and cached. */
export declare function remoteKeySet(url: string | URL, options?: RemoteKeySetOptions): KeySet

/** The key set did not answer within `timeout`. */
export declare class JWKSTimeout extends JwtError {
  readonly code: 'ERR_JWKS_TIMEOUT'
}
/** A network error (`status` 0), a redirect or another non-2xx answer (`status`). */
export declare class JWKSFetchFailed extends JwtError {
  readonly code: 'ERR_JWKS_FETCH_FAILED'
  readonly status: number
}
/** The body was larger than `maxBytes`. */
export declare class JWKSTooLarge extends JwtError {
  readonly code: 'ERR_JWKS_TOO_LARGE'
}
/** The body is not JSON of its format's shape, or the verifier refused it. */
export declare class JWKSInvalid extends JwtError {
  readonly code: 'ERR_JWKS_INVALID'
}

/** Claims that must hold one of the given exact strings. */
export type ClaimValues = Readonly<Record<string, readonly string[]>>

/** The verifier options a preset returns. */
export interface PresetOptions {
  keys: KeySet
  algorithms: ('RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519')[]
  issuer: string | string[]
  audience?: string[] | string
  requiredClaims: string[]
  claimValues?: ClaimValues
}

export declare function cloudflareAccess(
  options: { teamDomain: string; audience: string | string[] },
  keySet?: RemoteKeySetOptions,
): PresetOptions
export declare function auth0(
  options: { domain: string; audience: string | string[]; algorithms?: ('RS256' | 'PS256')[] },
  keySet?: RemoteKeySetOptions,
): PresetOptions
export declare function firebase(options: { projectId: string }, keySet?: RemoteKeySetOptions): PresetOptions
export declare function cognito(
  options: { region: string; userPoolId: string; clientId: string | string[]; tokenUse: 'id' | 'access' },
  keySet?: RemoteKeySetOptions,
): PresetOptions
export declare function google(options: { clientId: string | string[] }, keySet?: RemoteKeySetOptions): PresetOptions
export declare function entraId(
  options: { tenantId: string; clientId: string | string[] },
  keySet?: RemoteKeySetOptions,
): PresetOptions
/** Firebase's certificate endpoint. */
export declare const FIREBASE_CERTS: string

/** Throws `JWTClaimValidationFailed` unless each claim of `rules` holds one of its values. */
export declare function checkClaimValues(payload: Record<string, unknown>, rules: ClaimValues): void
