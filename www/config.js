// The demo's token settings, shared by the Worker (worker.js) and its demo-only routes
// (demo-routes.js): the issuer, the audience and the access-token key ring (ACCESS_SECRET).
export const ISSUER = 'jwt-wasm-demo'
export const AUDIENCE = 'demo-api'
export const keys = (env) => [{ kid: 'demo-1', alg: 'HS256', secret: env.ACCESS_SECRET }]
