// The demo Worker (wrangler.toml): the auth API (login, refresh with rotation, logout), the
// guarded APIs, the demo-only routes of the attack cards (demo-routes.js, local only), in front of
// the page's static assets (public/), to which it adds the page's security headers (a
// Content-Security-Policy that forbids framing, nosniff, Referrer-Policy).
import { authRoutes, durableObjectStore, guard } from 'jwt-wasm/edge'
import { AUDIENCE, ISSUER, keys } from './config.js'
import { demoRoutes } from './demo-routes.js'
import { pbkdf2 } from './password.js'
export { RefreshFamilies } from 'jwt-wasm/edge'

// Unknown logins are checked against a dummy of the same cost, so both failures take as long.
const DUMMY = { salt: new Uint8Array(16), hash: new Uint8Array(32) }

// The users live in D1 (migrations/0001_users.sql; seed.mjs writes them: `make demo` seeds the
// local-only demo / demo-password on first start). A deployed copy has only the users you seed.
async function verifyUser(login, password, env) {
  const row = await env.DB.prepare('SELECT sub, salt, hash FROM users WHERE login = ?')
    .bind(login)
    .first()
    .catch(() => null) // no table yet: nobody is known
  const rec = row ? { salt: new Uint8Array(row.salt), hash: new Uint8Array(row.hash) } : DUMMY
  const bits = await pbkdf2(password, rec.salt)
  let diff = bits.length ^ rec.hash.length
  for (let i = 0; i < bits.length; i++) diff |= bits[i] ^ (rec.hash[i] ?? 0)
  // The token carries the opaque id and the scope only: no personal claim.
  return row && diff === 0 ? { sub: row.sub, claims: { scope: 'profile:read' } } : null
}

// authRoutes reads accessTtl once; it comes from the environment (ACCESS_TTL, wrangler.toml
// [vars]; the end-to-end test shortens it), so the routes are built on the first request.
let auth
const authFor = (env) =>
  (auth ??= authRoutes({
    signer: (e) => keys(e)[0],
    issuer: ISSUER,
    audience: AUDIENCE,
    accessTtl: Number(env.ACCESS_TTL ?? 30),
    verifyUser,
    store: (e) => durableObjectStore(e.FAMILIES),
    refreshSecret: (e) => e.REFRESH_SECRET,
  }))

const verify = { keys, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, realm: 'demo' }
// /api/me needs the scope every demo token has; /api/admin one it never has (the 403 card).
const me = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub, exp: payload.exp }), {
  ...verify,
  scopes: ['profile:read'],
})
const admin = guard(() => Response.json({ admin: true }), { ...verify, scopes: ['admin:write'] })

// Whether the request carries a refresh cookie at all (not whether it is valid): the page asks
// before resuming, so that a cold load without a session sends no refresh that must fail.
const hasRefreshCookie = (request) => /(?:^|;\s*)__Host-jwt_rt=/.test(request.headers.get('cookie') ?? '')

// The page's policy, as a response header (a <meta> CSP cannot forbid framing): own scripts and
// the wasm compile ('wasm-unsafe-eval'), own styles and fetches, nothing else, no framing.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}
function withPageHeaders(response) {
  const out = new Response(response.body, response)
  for (const [name, value] of Object.entries(PAGE_HEADERS)) {
    if (!out.headers.has(name)) out.headers.set(name, value)
  }
  return out
}

async function route(request, env, ctx) {
  const { pathname } = new URL(request.url)
  if (pathname === '/api/me') return me(request, env, ctx)
  if (pathname === '/api/admin') return admin(request, env, ctx)
  if (pathname === '/api/session' && request.method === 'GET')
    return Response.json({ refreshCookie: hasRefreshCookie(request) }, { headers: { 'cache-control': 'no-store' } })
  const auth = authFor(env)
  if (pathname.startsWith('/demo/')) return demoRoutes(request, env, ctx, { auth, me })
  return (await auth(request, env, ctx)) ?? env.ASSETS.fetch(request)
}

export default {
  async fetch(request, env, ctx) {
    return withPageHeaders(await route(request, env, ctx))
  },
}
