// The demo Worker: the auth API (login, refresh with rotation, logout) and a guarded API, on
// workerd. The page and its assets are served by the platform's static assets (www/public).
import { authRoutes, durableObjectStore, guard } from 'jwt-wasm/edge'
export { RefreshFamilies } from 'jwt-wasm/edge'

const enc = new TextEncoder()
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0))
// Unknown logins are checked against a dummy of the same cost, so both failures take as long.
const DUMMY = { salt: new Uint8Array(16), hash: new Uint8Array(32) }

// The users live in D1 as PBKDF2-SHA256 hashes (100,000 iterations). The demo seeds one user,
// "demo" / "demo-password", on first use.
let seeded
function seed(db) {
  seeded ??= db
    .batch([
      db.prepare(
        'CREATE TABLE IF NOT EXISTS users (login TEXT PRIMARY KEY, sub TEXT NOT NULL, name TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL)',
      ),
      db
        .prepare('INSERT OR IGNORE INTO users VALUES (?, ?, ?, ?, ?)')
        .bind(
          'demo',
          'user-42',
          'Demo User',
          'and0LXdhc20tZGVtby1zYWx0LTAwMDE=',
          'KJ8iNu44UlATpmmgx2pAfXTxi+8KFRHIs7mSOM4pPno=',
        ),
    ])
    .catch((e) => {
      seeded = undefined
      throw e
    })
  return seeded
}

async function verifyUser(login, password, env) {
  await seed(env.DB)
  const row = await env.DB.prepare('SELECT sub, name, salt, hash FROM users WHERE login = ?').bind(login).first()
  const rec = row ? { salt: b64(row.salt), hash: b64(row.hash) } : DUMMY
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: rec.salt, iterations: 100_000 }, key, 256),
  )
  let diff = 0
  for (let i = 0; i < bits.length; i++) diff |= bits[i] ^ rec.hash[i]
  return row && diff === 0 ? { sub: row.sub, claims: { scope: 'profile:read', name: row.name } } : null
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

const me = guard(
  (request, env, ctx, { payload }) => Response.json({ sub: payload.sub, name: payload.name, exp: payload.exp }),
  {
    keys,
    algorithms: ['HS256'],
    issuer: 'jwt-wasm-demo',
    audience: 'demo-api',
    scopes: ['profile:read'],
    realm: 'demo',
  },
)

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === '/api/me') return me(request, env, ctx)
    return (await auth(request, env, ctx)) ?? new Response('not found', { status: 404 })
  },
}
