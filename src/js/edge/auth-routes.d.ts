import type { KeyEntry, SignerOptions } from '../index.js'
import type { RefreshStore } from './stores.js'

/** A secret: bytes, or a string taken as its UTF-8 bytes; at least 32 bytes. */
export type AuthSecret = Uint8Array | string

/** What `verifyUser` returns for a valid login. */
export interface VerifiedUser {
  /** The access tokens' `sub`. */
  sub: string
  /**
   * Extra access-token claims (kept in the family and minted again on every refresh). Must not
   * set `iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti` or `dvh`.
   */
  claims?: Record<string, unknown>
}

/** The routes `authRoutes` serves, as named to `onError`. */
export type AuthRoute = 'login' | 'refresh' | 'logout'

/** Options of `authRoutes`. Unknown options throw `TypeError` (code `ERR_INVALID_OPTIONS`). */
export interface AuthRoutesOptions<Env = unknown> {
  /**
   * The access-token signer: `Signer` options (`{ key: { kid, alg, secret }, typ?, jti? }`,
   * without `ttl`: see `accessTtl`; `jti` defaults to true and `typ` to `at+jwt` here, RFC 9068,
   * which `guard` requires by default), or `(env) => key`, called on the
   * first request and kept for the life of the isolate. Give keys a `kid` so they can be rotated
   * (verifiers hold the old and the new key for one access-token lifetime).
   */
  signer: Omit<SignerOptions, 'ttl'> | ((env: Env) => KeyEntry)
  /** The access tokens' `iss`. */
  issuer?: string
  /** The access tokens' `aud`. */
  audience?: string | string[]
  /** Access-token lifetime in seconds (`exp - iat`, and the answer's `expires_in`). Default 900. */
  accessTtl?: number
  /**
   * Checks a login. Return `{ sub, claims? }`, or `null` for an unknown login and for a wrong
   * password alike: both answer the same 400 `{ error: 'invalid_grant' }`. Making the two take
   * the same time is this function's job: for an unknown login, verify the password against a
   * fixed dummy hash of the same cost instead of returning early. A throw (say, the database is
   * down) answers 503.
   */
  verifyUser: (login: string, password: string, env: Env) => Promise<VerifiedUser | null> | VerifiedUser | null
  /** The refresh-token store for a request's `env`, e.g. `(env) => durableObjectStore(env.FAMILIES)`. */
  store: (env: Env) => RefreshStore
  /**
   * Called on every refresh answer (each rotation, and each grace-window repeat) with the family's
   * user and the claims captured at login: return the claims of the new access token (the same
   * rules as `verifyUser`'s), or `null` to end the family (a removed user, a disabled account):
   * the answer is then that of a dead refresh token (400 `invalid_grant`, cookie cleared). A
   * throw answers 503 (the client's retry inside the grace window asks again). Without it, the
   * login's claims are minted for the family's whole life.
   */
  refreshClaims?: (user: {
    sub: string
    claims: Record<string, unknown>
    env: Env
  }) => Promise<Record<string, unknown> | null> | Record<string, unknown> | null
  /**
   * HMAC key (≥ 32 bytes) that derives each successor refresh secret from its predecessor, tags
   * every refresh secret with its family id (so a secret authRoutes never issued for a family
   * is refused before any store is touched), and keys the login-throttle counters (so logins
   * are never kept in clear). Or `(env) => secret`, resolved once per isolate. Changing it ends
   * every session: the tags of the refresh tokens out there no longer verify.
   */
  refreshSecret: AuthSecret | ((env: Env) => AuthSecret)
  /**
   * Seconds after a rotation during which the immediate predecessor is answered with the same
   * successor (as often as it is presented), so tabs racing one refresh are not taken for a
   * thief. Only the immediate predecessor, and only while its successor has not been rotated
   * itself. 0 disables it. Default 30: a browser session whose answer was lost retries with the
   * predecessor, and jwt-wasm/session sends no such retry later than its `refreshDeadline`
   * (default 25 s) after the unanswered attempt; keep `refreshDeadline` + 5 ≤ `graceSeconds`
   * and raise them together.
   */
  graceSeconds?: number
  /** Absolute family lifetime in seconds, from login; never extended. Default 1209600 (14 days). */
  familyLifetime?: number
  /**
   * A family not refreshed for this many seconds ends. Default 86400 (24 h): an open app refreshes
   * every `accessTtl`, so only an abandoned session hits it.
   */
  idleTimeout?: number
  /**
   * The refresh cookie. Default `jwt_rt`. It is always set as
   * `<name>=<familyId>.<secret>; HttpOnly; Secure; SameSite=Strict; Path=<basePath>; Max-Age=<remaining absolute lifetime>`.
   */
  cookieName?: string
  /** Routes live at `<basePath>/login`, `/refresh`, `/logout`; also the cookie's `Path`. Default `/auth`. */
  basePath?: string
  /**
   * Origins allowed to call the routes (exact `scheme://host[:port]`). Set it for any deployed
   * server. Without it only a server reached under a loopback name (`localhost`, 127.0.0.0/8,
   * `[::1]`) accepts its own origin; every other request is refused (403 `invalid_request`, "set
   * options.allowedOrigins"), since its Host header may be a DNS-rebinding page's name. A request
   * without `Origin` is refused (403): browsers send it on every POST.
   */
  allowedOrigins?: string[]
  /**
   * A header refresh and logout require (any non-empty value), which a cross-site form cannot
   * send. Default `X-Requested-With`.
   */
  csrfHeader?: string
  /**
   * Login throttle per login name (normalised: NFKC, trimmed, lower case): every attempt counts,
   * a success clears the counter; once `maxFailures` attempts failed within the window (fixed,
   * from the first failure), further attempts answer 429 with `Retry-After` until the window
   * ends, without calling `verifyUser`. The counters live in this isolate (at most 10,000, the
   * oldest dropped first), never in the store, so a login writes nothing before `verifyUser`
   * accepts; each isolate throttles on its own. `false` disables it. Default `{ maxFailures: 5, windowSeconds: 900 }`.
   */
  loginThrottle?: { maxFailures: number; windowSeconds?: number } | false
  /**
   * `'device'`: login sets a random device id in its own cookie (`jwt_device`, HttpOnly, Secure,
   * SameSite=Strict, Path=/, Max-Age=familyLifetime); access tokens carry only `dvh`, an HMAC of
   * it; refresh requires the cookie, and a family refreshed with another device's cookie is
   * revoked. Use the guard's matching option to reject a token without the matching cookie.
   */
  bind?: 'device'
  /** The HMAC key of `dvh` (≥ 32 bytes), shared with the guard. Required with `bind: 'device'`. */
  deviceSecret?: AuthSecret | ((env: Env) => AuthSecret)
  /** The time (for tests). Default `() => new Date()`. */
  clock?: () => Date
  /** Random bytes (for tests). Default `crypto.getRandomValues`. */
  random?: (length: number) => Uint8Array
  /**
   * Told about every store or `verifyUser` failure that became a 503, and every other unexpected
   * failure (a 500 `server_error`). Default: `console.error`.
   */
  onError?: (error: unknown, context: { route: AuthRoute; request: Request }) => void
}

/** The part of a Worker's `ctx` the routes may use. */
export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * The handler `authRoutes` returns: a `Response` for its routes, `null` for any other path (so
 * an application chains it: `return (await auth(request, env, ctx)) ?? app(request, env, ctx)`).
 */
export type AuthRoutesHandler<Env = unknown> = ((request: Request, env: Env, ctx?: ExecutionContextLike) => Promise<Response | null>) & {
  /**
   * Ends every refresh-token family of the user `sub` in the store for `env` (their next refresh
   * answers 400 `invalid_grant`). Access tokens already issued run out within `accessTtl`.
   */
  revokeUser(sub: string, env: Env): Promise<void>
}

/**
 * Serves `POST <basePath>/login`, `/refresh` and `/logout` (other methods on those paths: 405
 * with `Allow: POST`). Every answer carries `Cache-Control: no-store` and
 * `X-Content-Type-Options: nosniff`:
 *
 * | | |
 * |---|---|
 * | login ok | 200 `{ access_token, token_type: 'Bearer', expires_in }` + refresh cookie (+ device cookie) |
 * | refresh ok | 200, same body, + the successor cookie |
 * | logout | 204 + the cookie(s) cleared (`Max-Age=0`) |
 * | bad login body | 400 `{ error: 'invalid_request', error_description }` |
 * | `Origin` missing or not allowed, CSRF header missing | 403 `{ error: 'invalid_request', error_description }` |
 * | wrong login or password | 400 `{ error: 'invalid_grant' }` |
 * | too many failed logins | 429 `{ error: 'too_many_requests' }` + `Retry-After` |
 * | refresh token missing, unknown, expired, revoked, or reused (the family is then revoked) | 400 `{ error: 'invalid_grant' }` + refresh cookie cleared |
 * | refresh or logout with a secret never issued for its family (wrong tag) | 400 `{ error: 'invalid_grant' }` + refresh cookie cleared, no store touched |
 * | refresh or device cookie sent twice (cookie tossing) | 400 `{ error: 'invalid_request', error_description }`, nothing changed |
 * | store (or `verifyUser`) unavailable | 503 `{ error: 'temporarily_unavailable' }`, no cookie touched |
 * | anything else unexpected (reported to `onError`) | 500 `{ error: 'server_error' }` |
 */
export declare function authRoutes<Env = any>(options: AuthRoutesOptions<Env>): AuthRoutesHandler<Env>
