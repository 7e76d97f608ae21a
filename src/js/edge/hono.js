// @ts-check
/**
 * jwt-wasm/hono: the edge guard as Hono middleware. Same options, same checks and the same
 * RFC 6750 answers as `guard` from `jwt-wasm/edge`; on success the verified `{ header, payload }`
 * (deeply frozen) is set as `c.get('jwt')` and the next handler runs. Hono itself is not imported
 * at run time: the middleware only uses `c.req.raw`, `c.env` and `c.set`.
 */
import { guard } from './guard.js'

/** The outcome of a request that passed (module-private, so no handler result can forge it). */
class Passed {
  /** @param {import('./guard.js').GuardAuth} auth */
  constructor(auth) {
    this.auth = auth
  }
}

/**
 * Hono middleware that lets through only requests with a valid access token.
 *
 * @example
 * const app = new Hono()
 * app.use('/api/*', jwtGuard({ keys: [{ kid: 'k1', alg: 'HS256', secret }], algorithms: ['HS256'] }))
 * app.get('/api/me', (c) => c.json({ sub: c.get('jwt').payload.sub }))
 *
 * @template [Env=unknown]
 * @param {import('./guard.js').GuardOptions<Env>} options validated now (TypeError `ERR_INVALID_OPTIONS`)
 * @returns {import('hono').MiddlewareHandler}
 */
export function jwtGuard(options) {
  const gate = guard((_request, _env, _ctx, auth) => new Passed(auth), options)
  return async (c, next) => {
    const outcome = await gate(c.req.raw, /** @type {Env} */ (c.env), undefined)
    if (!(outcome instanceof Passed)) return outcome
    c.set('jwt', outcome.auth)
    await next()
  }
}
