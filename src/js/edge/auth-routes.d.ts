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

/**
 * The login throttle. Every counter is a fixed window of `windowSeconds` from its first attempt,
 * lives in this isolate (never in the store: a login attempt writes nothing before `verifyUser`
 * accepts), and is keyed by an HMAC under `refreshSecret`, so no login, address or cookie is
 * kept in clear. Attempts are counted before `verifyUser` runs (concurrent guesses count too);
 * an attempt over a budget answers 429 `too_many_requests` with `Retry-After` (the seconds
 * until that window ends) without calling `verifyUser`.
 *
 * - **Known devices.** A successful login sets `__Host-jwt_known=<nonce>.<HMAC(nonce, login)>`
 *   (HttpOnly, Secure, SameSite=Strict, Path=/, Max-Age 400 days; OWASP's device cookies). An
 *   attempt that carries it for the login it names is judged only by that cookie's own counter
 *   (`maxDeviceFailures`), not by the client's or the login's: a browser that logged in before
 *   keeps getting in while others have locked the login. A device over its own budget counts as
 *   unknown; a forged cookie or another login's is no known device; two values are refused (400).
 *   A browser knows one login, the last that succeeded in it (each success sets a new cookie).
 * - **Per client**, across all logins: every attempt from an unknown device counts against its
 *   client (`clientKey`), at most `maxClientFailures` per window; a success gives its one back.
 *   Once a client is over it, its attempts are refused before they count against any login.
 * - **Per login**, for unknown devices: at most `maxFailures` attempts per window; a success
 *   clears it.
 *
 * Each isolate counts on its own (a Worker runs in many), and each kind keeps at most 10,000
 * counters, the oldest dropped first: an attacker who sends attempts for 10,000 other logins
 * drops a login's counter, but that costs 10,000 / `maxClientFailures` (500) clients per window.
 */
export interface LoginThrottleOptions {
  /** Attempts per login from unknown devices in a window. Default 5. */
  maxFailures?: number
  /** Attempts per client (across logins) from unknown devices in a window. Default 20. */
  maxClientFailures?: number
  /** Failed attempts per known-device cookie in a window. Default 10. */
  maxDeviceFailures?: number
  /** The window of every counter, in whole seconds. Default 900. */
  windowSeconds?: number
  /**
   * The client a request comes from: a string, or null / undefined / '' when unknown (all unknown
   * clients share one counter). Default: the `CF-Connecting-IP` header (Cloudflare sets it and
   * overwrites any the client sent), an IPv6 address grouped by its /64. Outside Cloudflare,
   * return what your proxy sets, never a header the client controls.
   */
  clientKey?: (request: Request) => string | null | undefined
}

/** What encrypts an access token: an `Encrypter` of `jwt-wasm/jwe` (`encrypt(signedToken)`). */
export interface TokenEncrypter {
  encrypt(signedToken: string): string
}

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
  /**
   * Encrypt the access tokens: an `Encrypter` of `jwt-wasm/jwe` (or `(env) => Encrypter`, called
   * on the first request and kept), which wraps each signed token in a compact JWE (`cty: "JWT"`:
   * sign, then encrypt). Their claims are then confidential from the page's scripts, proxies and
   * logs; only a guard with the matching `decrypt` reads them. The answer's `expires_in` is what
   * `jwt-wasm/session` times them by. Default: signed tokens only.
   */
  encrypt?: TokenEncrypter | ((env: Env) => TokenEncrypter)
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
   * is refused before any store is touched), keys the login-throttle counters (so logins
   * are never kept in clear) and tags the known-device cookies. Or `(env) => secret`, resolved once per isolate. Changing it ends
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
   * The refresh cookie. Default `__Host-jwt_rt`. It is always set as
   * `<name>=<familyId>.<secret>; HttpOnly; Secure; SameSite=Strict; Path=<cookiePath>; Max-Age=<remaining absolute lifetime>`,
   * never with a `Domain`. The `__Host-` prefix makes the browser accept it only from this host,
   * Secure, without Domain and with `Path=/`: a sibling subdomain cannot plant one ("cookie
   * tossing"). A name that starts with `__Host-` (in any case) requires `cookiePath: '/'`. Two
   * values of it in one request are refused (400 `invalid_request`), on every route.
   */
  cookieName?: string
  /**
   * The refresh cookie's `Path`. Default `/`, which `__Host-` requires: the cookie then travels
   * with every request to this origin, but it is HttpOnly and SameSite=Strict, and only the
   * routes of `authRoutes` read it (the guard never does). To keep it to the auth routes, give a
   * name without `__Host-`, e.g. `{ cookieName: '__Secure-jwt_rt', cookiePath: '/auth' }`
   * (`__Secure-` only requires Secure, so a sibling subdomain could then plant one with a
   * `Domain`; two values are still refused). It must be `/` or a path `basePath` lies under.
   */
  cookiePath?: string
  /** Routes live at `<basePath>/login`, `/refresh`, `/logout`. Default `/auth`. */
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
   * The login throttle (policy and numbers: see `LoginThrottleOptions`). `false` disables it
   * (and the known-device cookie). Default `{ maxFailures: 5, maxClientFailures: 20,
   * maxDeviceFailures: 10, windowSeconds: 900, clientKey: CF-Connecting-IP }`; any field left
   * out keeps its default.
   */
  loginThrottle?: LoginThrottleOptions | false
  /**
   * `'device'`: login sets a random device id in its own cookie (`__Host-jwt_device`, HttpOnly, Secure,
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
 * | login ok | 200 `{ access_token, token_type: 'Bearer', expires_in }` + refresh cookie (+ device cookie) + known-device cookie (with the throttle) |
 * | refresh ok | 200, same body, + the successor cookie |
 * | logout | 204 + the cookie(s) cleared (`Max-Age=0`) |
 * | bad login body | 400 `{ error: 'invalid_request', error_description }` |
 * | `Origin` missing or not allowed, CSRF header missing | 403 `{ error: 'invalid_request', error_description }` |
 * | wrong login or password | 400 `{ error: 'invalid_grant' }` |
 * | too many failed logins (per login from unknown devices, per client, or per known device: see `LoginThrottleOptions`) | 429 `{ error: 'too_many_requests' }` + `Retry-After` |
 * | refresh token missing, unknown, expired, revoked, or reused (the family is then revoked) | 400 `{ error: 'invalid_grant' }` + refresh cookie cleared |
 * | refresh or logout with a secret never issued for its family (wrong tag) | 400 `{ error: 'invalid_grant' }` + refresh cookie cleared, no store touched |
 * | refresh, device or known-device cookie sent twice (cookie tossing), on any route | 400 `{ error: 'invalid_request', error_description }`, nothing changed |
 * | store (or `verifyUser`) unavailable | 503 `{ error: 'temporarily_unavailable' }`, no cookie touched |
 * | anything else unexpected (reported to `onError`) | 500 `{ error: 'server_error' }` |
 */
export declare function authRoutes<Env = any>(options: AuthRoutesOptions<Env>): AuthRoutesHandler<Env>
