// The Worker of the browser end-to-end suite (tests/e2e/session.e2e.mjs): the real auth API of
// jwt-wasm/edge (login, refresh with rotation and reuse detection, logout) on a Durable Object
// store, a guarded API, and test-only counters. The page and its bundle are served by the
// platform's static assets (miniflare `assets`, like wrangler's `[assets]`); every other path
// reaches this Worker. Bundled like wrangler does and run on workerd by miniflare.
import { authRoutes, durableObjectStore, guard } from 'jwt-wasm/edge'
export { RefreshFamilies } from 'jwt-wasm/edge'

const ISSUER = 'https://e2e.test'
const AUDIENCE = 'e2e-api'
const keys = (env) => [{ kid: 'e2e-1', alg: 'HS256', secret: env.ACCESS_SECRET }]

// One user. Real code compares a slow password hash; plain strings keep the fixture short.
const USERS = { alice: { password: 'correct horse battery staple', sub: 'u-alice', claims: { scope: 'profile:read' } } }
async function verifyUser(login, password) {
  const user = Object.hasOwn(USERS, login) ? USERS[login] : undefined
  return user && user.password === password ? { sub: user.sub, claims: user.claims } : null
}

// Test-only counters, in this isolate (miniflare runs one): what reached the routes and what the
// store answered to `rotate`. Read (and reset) with GET /__stats.
let stats
function resetStats() {
  stats = {
    login: 0,
    refresh: 0,
    logout: 0,
    status: { login: {}, refresh: {}, logout: {} },
    // What the store answered to `rotate`: rotated | grace | reuse | unknown | expired.
    rotate: { rotated: 0, grace: 0, reuse: 0, unknown: 0, expired: 0 },
    api: { 200: 0, 401: 0, other: 0 },
    // One line per auth request, in arrival order: which tab sent it (the page's `tab` query
    // parameter, read from the Referer), when, and the answer.
    log: [],
  }
}
resetStats()

/** @param {import('jwt-wasm/edge').RefreshStore} store */
function counting(store) {
  return {
    ...store,
    async rotate(...args) {
      const result = await store.rotate(...args)
      stats.rotate[result.status] = (stats.rotate[result.status] ?? 0) + 1
      return result
    },
  }
}

let auth
const routes = (env) =>
  (auth ??= authRoutes({
    signer: (e) => keys(e)[0],
    issuer: ISSUER,
    audience: AUDIENCE,
    accessTtl: Number(env.ACCESS_TTL),
    verifyUser,
    store: (e) => counting(durableObjectStore(e.FAMILIES)),
    refreshSecret: (e) => e.REFRESH_SECRET,
    loginThrottle: false,
  }))

const me = guard(
  (request, env, ctx, { payload }) => Response.json({ sub: payload.sub, exp: payload.exp, jti: payload.jti }),
  {
    keys,
    algorithms: ['HS256'],
    issuer: ISSUER,
    audience: AUDIENCE,
    scopes: ['profile:read'],
    realm: 'e2e',
  },
)

const tabOf = (request) => {
  try {
    return new URL(request.headers.get('referer') ?? '').searchParams.get('tab') ?? '?'
  } catch {
    return '?'
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === '/__stats' && request.method === 'GET') {
      const answer = Response.json(stats, { headers: { 'cache-control': 'no-store' } })
      if (url.searchParams.has('reset')) resetStats()
      return answer
    }
    if (url.pathname === '/api/me') {
      const res = await me(request, env, ctx)
      const k = res.status === 200 || res.status === 401 ? res.status : 'other'
      stats.api[k]++
      return res
    }
    const route = { '/auth/login': 'login', '/auth/refresh': 'refresh', '/auth/logout': 'logout' }[url.pathname]
    const at = Date.now()
    const res = await routes(env)(request, env, ctx)
    if (!res) return new Response('not found', { status: 404 })
    if (route) {
      stats[route]++
      stats.status[route][res.status] = (stats.status[route][res.status] ?? 0) + 1
      stats.log.push({ route, tab: tabOf(request), at, ms: Date.now() - at, status: res.status })
    }
    return res
  },
}
