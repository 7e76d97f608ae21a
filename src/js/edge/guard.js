// @ts-check
/**
 * `guard(handler, options)`: protects a module Worker's `fetch(request, env, ctx)` with a Bearer
 * access token (RFC 6750) verified by the jwt-wasm core. This file is the wrapper; the rooms:
 *
 * - `./guard-options.js`: the options, checked once into a frozen configuration;
 * - `./guard-credentials.js`: the token from the `Authorization` header or the token cookie;
 * - `./guard-decision.js`: verification, device binding, scopes;
 * - `./guard-answers.js`: the 400/401/403/500/503 answers and their challenges (`bearerChallenge`).
 *
 * The handler runs only for a request that passed every check, as
 * `handler(request, env, ctx, auth)` with `auth = { header, payload }`, deeply frozen. Errors the
 * handler throws are the application's and propagate unchanged. Anything unexpected before it
 * (the wasm engine missing, a `keys` function that throws or returns bad keys, a clock that
 * returns garbage) is reported to `onError` and answered 500 `server_error`; a key set of the
 * `verifier` option that has no usable keys (its fetch failed, timed out or was refused, and no
 * good copy is cached) is reported too and answered 503 `temporarily_unavailable`: the token may
 * be fine, so it is not called invalid (which would make a client drop it).
 *
 * The core is imported through the package's own name so that the runtime's wasm loader (the
 * `workerd` condition under wrangler, `node` in Node) is the one the exports map picks.
 */
import { bad } from '../internal/options.js'
import { resolveGuardOptions } from './guard-options.js'
import { guardAnswers } from './guard-answers.js'
import { decide } from './guard-decision.js'

export { bearerChallenge } from './guard-answers.js'

/**
 * Wraps a module Worker's `fetch` handler: the returned `fetch(request, env, ctx)` verifies the
 * request's access token and answers 400/401/403 (RFC 6750) or 500 itself; only a request that
 * passed reaches `handler(request, env, ctx, auth)`, with `auth = { header, payload }` (deeply
 * frozen). Options are validated now: bad options throw `TypeError` (`ERR_INVALID_OPTIONS`),
 * bad keys in an array throw `KeyInvalid`.
 *
 * @example
 * export default {
 *   fetch: guard((request, env, ctx, { payload }) => new Response(`hello ${payload.sub}`), {
 *     keys: (env) => [{ kid: '2026-11', alg: 'HS256', secret: env.JWT_SECRET }],
 *     algorithms: ['HS256'], issuer: 'https://auth.example', audience: 'api', scopes: ['read'],
 *     realm: 'api',
 *   }),
 * }
 *
 * @template [Env=unknown]
 * @template [Ctx=unknown]
 * @template [R=Response]
 * @param {(request: Request, env: Env, ctx: Ctx, auth: import('./guard.js').GuardAuth) => R | Promise<R>} handler
 * @param {import('./guard.js').GuardOptions<Env>} options
 * @returns {(request: Request, env: Env, ctx: Ctx) => Promise<R | Response>}
 */
export function guard(handler, options) {
  if (typeof handler !== 'function')
    throw bad('guard(handler, options): handler must be a function (request, env, ctx, auth)')
  const config = resolveGuardOptions(/** @type {import('./guard.js').GuardOptions} */ (options))
  const answers = guardAnswers(config.realm, config.scopes)
  return async (request, env, ctx) => {
    let outcome
    try {
      outcome = await decide(config, answers, request, env)
    } catch (e) {
      try {
        config.onError(e)
      } catch {
        // A reporting failure must not change the answer.
      }
      return answers.serverError(e)
    }
    if (outcome instanceof Response) return outcome
    return handler(request, env, ctx, outcome)
  }
}
