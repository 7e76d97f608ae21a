/**
 * jwt-wasm/hono: the edge guard as Hono middleware (same options and answers as `guard` from
 * `jwt-wasm/edge`). On success the verified token is `c.get('jwt')`.
 */
import type { MiddlewareHandler } from 'hono'
import type { GuardAuth, GuardOptions } from './guard.js'

export type { GuardAuth, GuardOptions, GuardKeys, GuardBaseOptions } from './guard.js'

declare module 'hono' {
  interface ContextVariableMap {
    /** The verified access token, set by `jwtGuard` (deeply frozen). */
    jwt: GuardAuth
  }
}

/**
 * Hono middleware that lets through only requests with a valid access token, answering
 * 400/401/403 (RFC 6750) or 500 itself otherwise, and sets `c.get('jwt')` to the verified
 * `{ header, payload }` before calling `next()`. `keys` as a function receives `c.env`.
 * Options are validated by this call (TypeError `ERR_INVALID_OPTIONS`).
 */
export declare function jwtGuard<Env = unknown>(options: GuardOptions<Env>): MiddlewareHandler
