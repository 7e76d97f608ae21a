// The demo Worker: the auth API (login, refresh with rotation, logout) and a guarded API, on
// workerd. The page and its assets are served by the platform's static assets (www/public).
import { authRoutes, durableObjectStore, guard } from 'jwt-wasm/edge'
export { RefreshFamilies } from 'jwt-wasm/edge'

const enc = new TextEncoder()
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
// One demo user, "demo" / "demo-password", as a PBKDF2-SHA256 hash (100,000 iterations).
const USERS = {
  demo: { sub: 'user-42', salt: b64('and0LXdhc20tZGVtby1zYWx0LTAwMDE='), hash: b64('KJ8iNu44UlATpmmgx2pAfXTxi+8KFRHIs7mSOM4pPno=') },
}
// Unknown logins are checked against a dummy of the same cost, so both failures take as long.
const DUMMY = { salt: new Uint8Array(16), hash: new Uint8Array(32) }

async function verifyUser(login, password) {
  const user = Object.hasOwn(USERS, login) ? USERS[login] : undefined
  const rec = user ?? DUMMY
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: rec.salt, iterations: 100_000 }, key, 256))
  let diff = 0
  for (let i = 0; i < bits.length; i++) diff |= bits[i] ^ rec.hash[i]
  return user && diff === 0 ? { sub: user.sub, claims: { scope: 'profile:read', name: 'Demo User' } } : null
}

const keys = (env) => [{ kid: 'demo-1', alg: 'HS256', secret: env.ACCESS_SECRET }]

const auth = authRoutes({
  signer: (env) => keys(env)[0],
  issuer: 'jwt-wasm-demo',
  audience: 'demo-api',
  accessTtl: 30, // short, so the page shows refreshes happen
  verifyUser,
  store: (env) => durableObjectStore(env.FAMILIES),
  refreshSecret: (env) => env.REFRESH_SECRET,
})

const me = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub, name: payload.name, exp: payload.exp }), {
  keys,
  algorithms: ['HS256'],
  issuer: 'jwt-wasm-demo',
  audience: 'demo-api',
  scopes: ['profile:read'],
  realm: 'demo',
})

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === '/api/me') return me(request, env, ctx)
    return (await auth(request, env, ctx)) ?? new Response('not found', { status: 404 })
  },
}
