// @ts-check
/**
 * `authRoutes(options)`: login, refresh and logout for a Worker, with rotating refresh tokens in
 * an HttpOnly cookie and reuse detection (RFC 9700 §4.14, OAuth 2.1 §4.3.1). This file is the
 * router; the rooms around it:
 *
 * - `./auth-options.js`: the options, checked once into a frozen configuration;
 * - `./auth-handlers.js`: the `login`, `refresh` and `logout` handlers over it;
 * - `./refresh-token.js`: the token format `<familyId>.<secret>` and the successor derivation
 *   `base64url(HMAC-SHA256(refreshSecret, familyId + '.' + predecessorSecret))`;
 * - `./http.js`: answers, body reading and the origin (CSRF) check; `./cookies.js`: cookies.
 *
 * Routes: `POST <basePath>/login` `{ login, password }` (JSON or form-encoded), throttled per
 * login; `POST <basePath>/refresh` rotates the refresh token (a spent one revokes its family,
 * except the immediate predecessor inside the grace window); `POST <basePath>/logout`. Cookies
 * authenticate refresh and logout, so both accept only requests whose `Origin` is allowed and
 * that carry the `csrfHeader` (which a cross-site form cannot send); login checks the `Origin`
 * too (login CSRF). All randomness and WebCrypto happen inside the handlers, never at module
 * scope (workerd forbids randomness there).
 */
import { resolveAuthOptions } from './auth-options.js'
import { login, refresh, logout } from './auth-handlers.js'
import { onlyPost, refuseCrossSite, serverError } from './http.js'

/**
 * @typedef {import('./auth-routes.js').AuthRoutesOptions<any>} AuthRoutesOptions
 * @typedef {import('./auth-options.js').AuthConfig} AuthConfig
 * @typedef {(config: Readonly<AuthConfig>, request: Request, env: any) => Promise<Response>} Handler
 */

/**
 * Serves `POST <basePath>/login`, `/refresh` and `/logout`. Returns the handler
 * `(request, env, ctx) => Promise<Response | null>`: `null` for any other path, so an
 * application can chain it before its own routes; `handler.revokeUser(sub, env)` ends every
 * family of one user. Throws `TypeError` (code
 * `ERR_INVALID_OPTIONS`) for unknown or invalid options.
 * @param {AuthRoutesOptions} options
 * @returns {((request: Request, env?: any, ctx?: any) => Promise<Response | null>) & { revokeUser(sub: string, env?: any): Promise<void> }}
 */
export function authRoutes(options) {
  const config = resolveAuthOptions(options)
  /** Path → handler; login needs no CSRF header (it carries no cookie that authenticates). */
  const routes = new Map(
    /** @type {[string, { name: import('./auth-options.js').Route, handler: Handler, csrf: boolean }][]} */ ([
      [`${config.basePath}/login`, { name: 'login', handler: login, csrf: false }],
      [`${config.basePath}/refresh`, { name: 'refresh', handler: refresh, csrf: true }],
      [`${config.basePath}/logout`, { name: 'logout', handler: logout, csrf: true }],
    ]),
  )

  /** @type {any} */
  const handler = async function authRoutesHandler(
    /** @type {Request} */ request,
    /** @type {any} */ env,
    /** @type {any} */ ctx,
  ) {
    void ctx
    const url = new URL(request.url)
    const route = routes.get(url.pathname)
    if (!route) return null
    if (request.method !== 'POST') return onlyPost()
    const refused = refuseCrossSite(request, config.allowedOrigins, route.csrf ? config.csrfHeader : undefined)
    if (refused) return refused
    try {
      return await route.handler(config, request, env)
    } catch (e) {
      // Unexpected (a signer whose key from env is bad, ...): a 500 with the safe headers, reported.
      try {
        config.onError(e, { route: route.name, request })
      } catch {
        // A reporting failure must not change the answer.
      }
      return serverError()
    }
  }
  /** Ends every family of `sub` in the store for `env`. */
  handler.revokeUser = async (/** @type {string} */ sub, /** @type {any} */ env) => {
    if (typeof sub !== 'string' || sub === '') throw new TypeError('revokeUser needs a non-empty sub')
    await config.store(env).revokeUser(sub)
  }
  return handler
}
