// @ts-check
/**
 * jwt-wasm/edge: the server half of the login flow for Cloudflare-style Workers.
 * `guard` protects a `fetch(request, env, ctx)` handler with RFC 6750 answers; `authRoutes`
 * serves login, refresh (rotating refresh tokens with reuse detection) and logout; the stores
 * keep refresh-token families (memory for tests, a Durable Object in production, KV with a
 * documented caveat). The core API is imported through the package's own name, so the
 * runtime's wasm loader (the `workerd` condition under wrangler) is the one used.
 */
export { guard, bearerChallenge } from './guard.js'
export { authRoutes } from './auth-routes.js'
export { secureHeaders } from './http.js'
export { memoryStore, kvStore, durableObjectStore, RefreshFamilies } from './stores.js'
