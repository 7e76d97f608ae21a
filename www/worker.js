// The demo Worker (wrangler.toml): the auth API (login, refresh with rotation, logout), the
// guarded APIs, the same two with encrypted access tokens (/auth-jwe/*, /api-jwe/*: JWE), the
// demo-only routes of the attack cards (demo-routes.js, local only), in front of the page's
// static assets (public/), to which it adds the page's security headers (a
// Content-Security-Policy that forbids framing, nosniff, Referrer-Policy).
import { authRoutes, durableObjectStore, guard } from 'jwt-wasm/edge'
import { Decrypter, Encrypter } from 'jwt-wasm/jwe'
import { AUDIENCE, ISSUER, jweKey, keys } from './config.js'
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
const authOptions = (env) => ({
  signer: (e) => keys(e)[0],
  issuer: ISSUER,
  audience: AUDIENCE,
  accessTtl: Number(env.ACCESS_TTL ?? 30),
  verifyUser,
  store: (e) => durableObjectStore(e.FAMILIES),
  refreshSecret: (e) => e.REFRESH_SECRET,
})
let auth
const authFor = (env) => (auth ??= authRoutes(authOptions(env)))
// The page's switch "encrypt access tokens" logs in here instead: the same users, Durable Object
// binding and signed token, which an Encrypter then wraps (A256KW + A256GCM, nested: cty JWT).
// Its refresh cookie has a name of its own, so each login keeps the kind of token it chose, and
// its families live under a namespace of their own (every object name prefixed `jwe:`): a refresh
// token of one kind presented on the other's route (its tag is good, REFRESH_SECRET is shared)
// names a family that store has never seen, so it is refused and its own family is untouched.
const JWE_FAMILIES = 'jwe:'
/** A Durable Object namespace whose object names all carry `prefix`. */
const prefixed = (namespace, prefix) => ({
  idFromName: (name) => namespace.idFromName(prefix + name),
  get: (id) => namespace.get(id),
})
let authJwe
const authJweFor = (env) =>
  (authJwe ??= authRoutes({
    ...authOptions(env),
    basePath: '/auth-jwe',
    cookieName: '__Host-jwt_rt_jwe',
    store: (e) => durableObjectStore(prefixed(e.FAMILIES, JWE_FAMILIES)),
    encrypt: (e) => new Encrypter({ key: jweKey(e), enc: 'A256GCM' }),
  }))

const verify = { keys, algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, realm: 'demo' }
// /api/me needs the scope every demo token has; /api/admin one it never has (the 403 card).
const me = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub, exp: payload.exp }), {
  ...verify,
  scopes: ['profile:read'],
})
const admin = guard(() => Response.json({ admin: true }), { ...verify, scopes: ['admin:write'] })
// /api-jwe/me takes encrypted tokens only: the Decrypter is its whole policy (the inner token is
// verified as /api/me verifies it, typ at+jwt); a plain JWS gets 401, so encryption cannot be dropped.
const meJwe = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub, exp: payload.exp }), {
  decrypt: (e) =>
    new Decrypter({
      keys: [jweKey(e)],
      algorithms: ['A256KW'],
      encryptions: ['A256GCM'],
      verifier: { keys: keys(e), algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt' },
    }),
  scopes: ['profile:read'],
  realm: 'demo',
})

// Whether the request carries a refresh cookie of each kind (not whether it is valid): the page
// asks before resuming, so that a cold load without a session sends no refresh that must fail.
const hasCookie = (request, name) => new RegExp(`(?:^|;\\s*)${name}=`).test(request.headers.get('cookie') ?? '')

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
  if (pathname === '/api-jwe/me') return meJwe(request, env, ctx)
  if (pathname === '/api/session' && request.method === 'GET') {
    const refreshCookie = hasCookie(request, '__Host-jwt_rt')
    const jweRefreshCookie = hasCookie(request, '__Host-jwt_rt_jwe')
    return Response.json({ refreshCookie, jweRefreshCookie }, { headers: { 'cache-control': 'no-store' } })
  }
  if (pathname.startsWith('/auth-jwe/')) return (await authJweFor(env)(request, env, ctx)) ?? env.ASSETS.fetch(request)
  const auth = authFor(env)
  if (pathname.startsWith('/demo/')) return demoRoutes(request, env, ctx, { auth, me })
  return (await auth(request, env, ctx)) ?? env.ASSETS.fetch(request)
}

export default {
  async fetch(request, env, ctx) {
    return withPageHeaders(await route(request, env, ctx))
  },
}
