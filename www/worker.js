// The demo Worker: the auth API (login, refresh with rotation, logout) and a guarded API, on
// workerd, in front of the page's static assets (www/public), to which it adds the page's
// security headers (a Content-Security-Policy that forbids framing, nosniff, Referrer-Policy).
import { authRoutes, durableObjectStore, guard } from 'jwt-wasm/edge'
export { RefreshFamilies } from 'jwt-wasm/edge'

const enc = new TextEncoder()
// PBKDF2-HMAC-SHA256 at OWASP's 600,000 iterations, in one standard call. Local workerd (which
// `make demo` runs) computes it; deployed Cloudflare Workers refuse a PBKDF2 call above 100,000
// iterations (NotSupportedError), so a deployed copy must either stay at 100,000 (below OWASP)
// or hash elsewhere: the demo is local-only and keeps the recommended count.
const PBKDF2_ITERATIONS = 600_000
async function pbkdf2(password, salt) {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits'])
  const params = { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PBKDF2_ITERATIONS }
  return new Uint8Array(await crypto.subtle.deriveBits(params, key, 256))
}
// Unknown logins are checked against a dummy of the same cost, so both failures take as long.
const DUMMY = { salt: new Uint8Array(16), hash: new Uint8Array(32) }

// The users live in D1 (login, an opaque random id, salt, hash: no name, no e-mail). The demo
// user "demo" / "demo-password" is LOCAL ONLY: it is seeded (hashed once, with a fresh salt and
// a fresh random id) only when the DEMO_LOCAL_USER binding is set, which www/dev.mjs sets for
// workerd on localhost; a deployed copy of this Worker has no such binding and so no known login.
let seeded
function seed(env) {
  if (env.DEMO_LOCAL_USER !== 'demo') return Promise.resolve()
  seeded ??= (async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16))
    const hash = await pbkdf2('demo-password', salt)
    await env.DB.batch([
      env.DB.prepare(
        'CREATE TABLE IF NOT EXISTS users (login TEXT PRIMARY KEY, sub TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL)',
      ),
      env.DB.prepare('INSERT OR IGNORE INTO users VALUES (?, ?, ?, ?)').bind(
        'demo',
        crypto.randomUUID(),
        salt.buffer,
        hash.buffer,
      ),
    ])
  })().catch((e) => {
    seeded = undefined
    throw e
  })
  return seeded
}

async function verifyUser(login, password, env) {
  await seed(env)
  const row = await env.DB.prepare('SELECT sub, salt, hash FROM users WHERE login = ?')
    .bind(login)
    .first()
    .catch(() => null) // no table: nobody was seeded
  const rec = row ? { salt: new Uint8Array(row.salt), hash: new Uint8Array(row.hash) } : DUMMY
  const bits = await pbkdf2(password, rec.salt)
  let diff = bits.length ^ rec.hash.length
  for (let i = 0; i < bits.length; i++) diff |= bits[i] ^ (rec.hash[i] ?? 0)
  // The token carries the opaque id and the scope only: no personal claim.
  return row && diff === 0 ? { sub: row.sub, claims: { scope: 'profile:read' } } : null
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

const me = guard((request, env, ctx, { payload }) => Response.json({ sub: payload.sub, exp: payload.exp }), {
  keys,
  algorithms: ['HS256'],
  issuer: 'jwt-wasm-demo',
  audience: 'demo-api',
  scopes: ['profile:read'],
  realm: 'demo',
})

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
  const url = new URL(request.url)
  if (url.pathname === '/api/me') return me(request, env, ctx)
  return (await auth(request, env, ctx)) ?? env.ASSETS.fetch(request)
}

export default {
  async fetch(request, env, ctx) {
    return withPageHeaders(await route(request, env, ctx))
  },
}
