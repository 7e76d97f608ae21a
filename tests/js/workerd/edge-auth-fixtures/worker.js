// The Worker of tests/js/workerd/edge-auth.test.mjs: authRoutes on Durable Objects (both storage
// backends), on KV, with refreshClaims, and on a Durable Object that always fails; a guarded API. Bundled like
// wrangler does (workerd condition, .wasm as a module) and run on workerd by miniflare.
// Nothing at module scope is random or async: workerd forbids randomness there.
import { authRoutes, durableObjectStore, kvStore, guard, RefreshFamilies as Families } from 'jwt-wasm/edge'

// Test-only: what the stores were asked to start or write, so the tests can see that
// unauthenticated requests start no Durable Object and write nothing (/test/counts).
const counts = { instances: 0, gets: 0, kvPuts: 0 }

// The Durable Object classes must be exported from the main module. This one counts its
// instances (the runtime constructs one per object it starts).
export class RefreshFamilies extends Families {
  constructor(state, env) {
    super(state, env)
    counts.instances++
  }
}
/** The same class on SQLite-backed storage (bound with `useSQLite`, `new_sqlite_classes` in wrangler). */
export class RefreshFamiliesSql extends RefreshFamilies {}
/** A Durable Object that is down: every call throws. */
export class BrokenFamilies {
  async fetch() {
    throw new Error('overloaded')
  }
}

const ISSUER = 'https://auth.test'
const AUDIENCE = 'api'

// Test-only: the tests move the clock with /test/clock?skew=<seconds>.
let skew = 0
const clock = () => new Date(Date.now() + skew * 1000)

// The application's user check. Real code compares a PBKDF2 hash (with a dummy hash for
// unknown logins, so both failures cost the same); plain strings keep this fixture short.
const USERS = { alice: { password: 'correct horse battery staple', sub: 'u-alice', claims: { role: 'admin' } } }
async function verifyUser(login, password) {
  const user = USERS[login]
  return user && user.password === password ? { sub: user.sub, claims: user.claims } : null
}

// Test-only: counts what the stores answered to `rotate`, per status, so the tests can see that
// of 50 concurrent refreshes exactly one rotated (the final state alone would not show a race:
// successors are derived, so racing rotations of one token would all write the same thing).
const statuses = {}
/** @param {import('jwt-wasm/edge').RefreshStore} store */
function counting(store) {
  return {
    ...store,
    async rotate(...args) {
      const result = await store.rotate(...args)
      statuses[result.status] = (statuses[result.status] ?? 0) + 1
      return result
    },
  }
}

/** The namespace, counting `get` (a stub for an object, which starts it on first call). */
const countedNamespace = (ns) => ({
  idFromName: (name) => ns.idFromName(name),
  get(id) {
    counts.gets++
    return ns.get(id)
  },
})
/** The KV binding, counting writes. */
const countedKv = (kv) => ({
  get: (...args) => kv.get(...args),
  delete: (...args) => kv.delete(...args),
  put(...args) {
    counts.kvPuts++
    return kv.put(...args)
  },
})

const common = {
  signer: (env) => ({ kid: 'at-1', alg: 'HS256', secret: env.ACCESS_SECRET }),
  issuer: ISSUER,
  audience: AUDIENCE,
  verifyUser,
  refreshSecret: (env) => env.REFRESH_SECRET,
  clock,
}
// Test-only: the application's current view of its users, for refreshClaims (/test/user).
const current = new Map()
const refreshClaims = async ({ sub, claims }) => (current.has(sub) ? current.get(sub) : claims)

const routes = [
  authRoutes({ ...common, store: (env) => counting(durableObjectStore(countedNamespace(env.FAMILIES))) }),
  authRoutes({ ...common, basePath: '/sql/auth', store: (env) => counting(durableObjectStore(env.FAMILIES_SQL)) }),
  authRoutes({ ...common, basePath: '/kv/auth', store: (env) => kvStore(countedKv(env.KV)) }),
  authRoutes({ ...common, basePath: '/claims/auth', refreshClaims, store: (env) => durableObjectStore(env.FAMILIES) }),
  authRoutes({
    ...common,
    basePath: '/broken/auth',
    store: (env) => durableObjectStore(env.BROKEN),
    onError: () => {},
  }),
]

const api = guard((request, env, ctx, auth) => Response.json({ sub: auth.payload.sub, role: auth.payload.role }), {
  keys: (env) => [{ kid: 'at-1', alg: 'HS256', secret: env.ACCESS_SECRET }],
  algorithms: ['HS256'],
  issuer: ISSUER,
  audience: AUDIENCE,
  clock,
})

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === '/test/clock') {
      skew = Number(url.searchParams.get('skew'))
      return new Response('ok')
    }
    if (url.pathname === '/test/statuses') {
      const answer = Response.json(statuses)
      for (const k of Object.keys(statuses)) delete statuses[k]
      return answer
    }
    if (url.pathname === '/test/user') {
      const sub = url.searchParams.get('sub')
      const role = url.searchParams.get('role')
      if (role === null) current.delete(sub)
      else current.set(sub, role === '' ? null : { role })
      return new Response('ok')
    }
    if (url.pathname === '/test/revoke-user') {
      const which = url.searchParams.get('store')
      await routes[which === 'kv' ? 2 : which === 'sql' ? 1 : 0].revokeUser(url.searchParams.get('sub'), env)
      return new Response('ok')
    }
    if (url.pathname === '/test/counts') {
      const kvKeys = (await env.KV.list()).keys.length
      return Response.json({ ...counts, kvKeys })
    }
    if (url.pathname === '/test/family') {
      const which = url.searchParams.get('store')
      const store =
        which === 'kv' ? kvStore(env.KV) : durableObjectStore(which === 'sql' ? env.FAMILIES_SQL : env.FAMILIES)
      return Response.json(await store.read(url.searchParams.get('id')))
    }
    for (const route of routes) {
      const res = await route(request, env, ctx)
      if (res) return res
    }
    if (url.pathname === '/api/me') return api(request, env, ctx)
    return new Response('not found', { status: 404 })
  },
}
