/**
 * `guard`: protects a module Worker's `fetch(request, env, ctx)` with a Bearer access token
 * (RFC 6750), verified by the jwt-wasm core.
 */
import type { Claims, Header, VerifierKey, VerifierOptions } from '../index.js'

/**
 * What the handler receives as its fourth argument: the verified token. Deeply frozen. The guard
 * calls the handler only for a request that passed every check, so it is always present there.
 */
export interface GuardAuth<Custom extends object = Record<string, unknown>> {
  readonly header: Readonly<Header>
  readonly payload: Readonly<Claims<Custom>>
}

/**
 * The key ring: an array, or a function of the Worker's `env` (sync or async). A function is
 * called once per guard (so once per isolate, for a guard created at module scope), with the
 * `env` of the first request, and its Verifier is cached; if it throws, rejects or returns bad
 * keys, that request is answered 500 and the next request calls it again.
 */
export type GuardKeys<Env = unknown> = VerifierKey[] | ((env: Env) => VerifierKey[] | Promise<VerifierKey[]>)

/** The options of `guard` and of the Hono middleware, apart from device binding. */
export interface GuardBaseOptions<Env = unknown> extends Omit<VerifierOptions, 'keys'> {
  /**
   * The header `typ` a token must carry (RFC 8725 §3.11), compared as a media type
   * (`application/at+jwt` ≡ `at+jwt`). Default `at+jwt` (RFC 9068), which `authRoutes` mints; a
   * token with another `typ` (`JWT`, `logout+jwt`, ...) or none gets 401 `invalid_token`. For
   * tokens minted elsewhere name the one they carry (e.g. `'JWT'`); there is no "any": an
   * empty or `undefined` value is a `TypeError`.
   */
  typ?: string
  /** The key ring. During a rotation list the old and the new key (each with its `kid`). */
  keys: GuardKeys<Env>
  /**
   * Scopes this route requires, all of them. Granted scopes are read from the `scope` claim
   * (space-separated string) and the `scp` claim (array of strings). A token that lacks one
   * gets 403 `insufficient_scope` with `scope="<these, space-separated>"`. Default: none (omit it:
   * `[]` is a `TypeError`, so a list computed at run time that comes out empty never means "none").
   */
  scopes?: string[]
  /** The `realm` of every challenge. Default: no realm parameter. */
  realm?: string
  /**
   * Also read the token from this cookie. A request that carries a token in both the
   * `Authorization` header and the cookie (or the cookie twice, even with one value empty) gets 400
   * `invalid_request`.
   * Default: `Authorization: Bearer` only.
   *
   * A cookie goes with every request, a forged cross-site one too (CSRF), so a token taken from
   * the cookie authenticates an unsafe method (anything but GET, HEAD, OPTIONS) only from the
   * request's own origin: `Sec-Fetch-Site` must be `same-origin` (or `none`); without that
   * header, an `Origin` (if sent) must be the request's own. Otherwise, unless the `Origin` is in
   * `allowedOrigins`: 403 `invalid_request` ("The request origin is not allowed"), before the
   * token is verified. A token from the `Authorization` header is not affected.
   */
  cookie?: string
  /**
   * Other origins (`https://app.example`: scheme, host, port) whose unsafe requests the token
   * cookie may authenticate, e.g. a sibling subdomain (`Sec-Fetch-Site: same-site`). Only with
   * `cookie` (else a `TypeError`); `[]` is a `TypeError`. Default: none, only the request's own origin.
   */
  allowedOrigins?: string[]
  /** The time of the checks, for tests. Default: now. */
  clock?: () => Date
  /**
   * Called with the error behind every 500 answer (engine not loaded, a throwing keys
   * function, ...). The answer never contains it. Default: `console.error`.
   */
  onError?: (error: unknown) => void
}

/**
 * What reads an encrypted access token: a `Decrypter` of `jwt-wasm/jwe`, which decrypts the JWE
 * and verifies the JWS inside with its own Verifier (and refuses a token that is not a JWE).
 */
export interface TokenDecrypter {
  /** The guard's call (asynchronous: on workerd the content is decrypted by WebCrypto). */
  decryptAsync(token: string, options?: { currentDate?: Date }): Promise<{ header: Header; payload: Claims<any> }>
  /** The `typ` its verifier requires; a guard refuses a Decrypter without one (access tokens only). */
  readonly typ: string | undefined
}

/**
 * The options of a guard of encrypted access tokens. The Decrypter's Verifier is the whole token
 * policy, so `keys` and every Verifier option are a `TypeError` here; it must name a `typ`
 * (`'at+jwt'`, as `authRoutes` mints: access tokens only), else a `TypeError` too. A plain JWS (even one signed with the right key) gets 401
 * `invalid_token`: encryption is not optional once required.
 */
export interface GuardDecryptOptions<Env = unknown>
  extends Pick<GuardBaseOptions<Env>, 'scopes' | 'realm' | 'cookie' | 'allowedOrigins' | 'clock' | 'onError'> {
  /** The Decrypter, or a function of `env` returning one (called once per guard, like `keys`). */
  decrypt: TokenDecrypter | ((env: Env) => TokenDecrypter | Promise<TokenDecrypter>)
  keys?: undefined
}

/**
 * What verifies tokens signed with public keys: a `PublicKeyVerifier` of `jwt-wasm/keys` (RS256,
 * PS256, ES256, EdDSA … against a JWKS, JWKs or a key set). Its signature check is the runtime's
 * (WebCrypto or node:crypto), so it is asynchronous; the guard awaits it per request and passes
 * the request as `scope` (its key set's single flight never awaits another request's promise).
 */
export interface TokenVerifier {
  verifyAsync(token: string, options: { now?: Date; scope?: object }): Promise<{ header: Header; payload: Claims<any> }>
}

/**
 * The options of a guard of tokens signed with public keys (an identity provider's). The
 * verifier's options are the whole token policy (issuer, audience, algorithms, `typ` …), so
 * `keys`, `decrypt` and every Verifier option are a `TypeError` here; in particular the guard's
 * `at+jwt` default does not apply (an identity provider's tokens carry their own `typ`, or none):
 * name one in the verifier's options to require it. A key set that has no usable keys (its fetch
 * failed, timed out, was too large or was refused, and no good copy is cached) is answered 503
 * `temporarily_unavailable` (reported to `onError`): the token may be good, so it is not called
 * invalid.
 */
export interface GuardVerifierOptions<Env = unknown>
  extends Pick<GuardBaseOptions<Env>, 'scopes' | 'realm' | 'cookie' | 'allowedOrigins' | 'clock' | 'onError'> {
  /** The verifier, or a function of `env` returning one (called once per guard, like `keys`). */
  verifier: TokenVerifier | ((env: Env) => TokenVerifier | Promise<TokenVerifier>)
  keys?: undefined
  decrypt?: undefined
}

/** Options of `guard` and of the Hono middleware. */
export type GuardOptions<Env = unknown> = (
  | (GuardBaseOptions<Env> & { decrypt?: undefined; verifier?: undefined })
  | (GuardDecryptOptions<Env> & { verifier?: undefined })
  | GuardVerifierOptions<Env>
) &
  (
    | { bind?: undefined; deviceSecret?: undefined }
    | {
        /**
         * Device binding: the token must carry `dvh`, the HMAC-SHA256 (under `deviceSecret`) of
         * the device id held in the HttpOnly cookie `__Host-jwt_device`; a token without it, or used
         * without the matching cookie, gets 401 `invalid_token`.
         */
        bind: 'device'
        /** The HMAC secret of the device hash: at least 32 bytes. */
        /** At least 32 bytes; or a function of `env` (resolved on the first request, then kept). */
        deviceSecret: Uint8Array | string | ((env: any) => Uint8Array | string | Promise<Uint8Array | string>)
      }
  )

/** The auth-params of a Bearer challenge (RFC 6750 §3), in the order they should appear. */
export interface BearerChallengeParams {
  realm?: string
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | (string & {})
  error_description?: string
  error_uri?: string
  scope?: string
  [param: string]: string | undefined
}

/**
 * Builds a `WWW-Authenticate` value for the Bearer scheme: `Bearer` and the given auth-params in
 * order, as quoted-strings with `\` and `"` escaped (RFC 7235 §2.1); `undefined` values are left
 * out. Throws `TypeError` (`ERR_INVALID_OPTIONS`) for control or non-ASCII characters.
 */
export declare function bearerChallenge(params?: BearerChallengeParams): string

/**
 * Wraps a module Worker's `fetch` handler. The returned `fetch(request, env, ctx)` verifies the
 * access token and answers itself when the request does not pass:
 *
 * - no credentials (or another scheme, e.g. `Basic`): 401, `WWW-Authenticate: Bearer realm="..."`;
 * - malformed `Authorization` header or token cookie, or two tokens: 400 `invalid_request`;
 * - a cross-site request to an unsafe method with the token from the cookie: 403 `invalid_request`;
 * - any verification failure (including device binding): 401 `invalid_token`;
 * - a missing scope: 403 `insufficient_scope`;
 * - the keys of the `verifier` option unavailable: 503 `temporarily_unavailable` (reported to `onError`);
 * - an unexpected internal failure: 500 `server_error` (reported to `onError`).
 *
 * Bodies are `{"error", "error_description"}` JSON with static text; every answer of the guard
 * carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff` (give the handler's own
 * answer the same with `secureHeaders`). Only a request that passed
 * reaches `handler(request, env, ctx, auth)`, `auth` being the verified `{ header, payload }`.
 * Errors thrown by the handler propagate. Options are validated by this call: bad options throw
 * `TypeError` (`ERR_INVALID_OPTIONS`), bad keys in an array throw `KeyInvalid`.
 */
export declare function guard<
  Env = unknown,
  Ctx = unknown,
  Custom extends object = Record<string, unknown>,
  R = Response,
>(
  handler: (request: Request, env: Env, ctx: Ctx, auth: GuardAuth<Custom>) => R | Promise<R>,
  options: GuardOptions<Env>,
): (request: Request, env: Env, ctx: Ctx) => Promise<R | Response>
/**
 * @deprecated The first order, the handler's return type first: `guard<R, Env>(…)` still
 * compiles; write `guard<Env>(…)` (or `guard<Env, Ctx, Claims, R>`).
 */
export declare function guard<R, Env = unknown, Ctx = unknown, Custom extends object = Record<string, unknown>>(
  handler: (request: Request, env: Env, ctx: Ctx, auth: GuardAuth<Custom>) => R | Promise<R>,
  options: GuardOptions<Env>,
): (request: Request, env: Env, ctx: Ctx) => Promise<R | Response>

/**
 * Gives a guarded handler's answer the headers every answer of the guard carries:
 * `Cache-Control: no-store` (an answer with personal data is never kept by a cache) and
 * `X-Content-Type-Options: nosniff`, each only when the response has not set that header itself.
 * Changes the response in place, or returns a copy when its headers are immutable (a `fetch()`
 * result): use the returned one. A non-`Response` argument is a `TypeError` (`ERR_INVALID_OPTIONS`).
 *
 * @example
 * guard((request, env, ctx, { payload }) => secureHeaders(Response.json({ sub: payload.sub })), options)
 */
export declare function secureHeaders(response: Response): Response
