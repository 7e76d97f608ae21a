// The abusive request mixes of `make load` (issue 9 items 3 and 4; item 1's lockout mix has its
// place below): the source of the `auth` Worker (authRoutes on a Durable Object store, whose
// class and namespace count the objects started and the stubs asked for, at GET /__counts), and
// the run against it. run.mjs bundles the Worker with the other two and calls `abuse()`.
//
// The run: a few victims log in (real families), then ABUSE requests go out, CONCURRENCY in
// flight, cycling through the mixes; every answer is checked against the expected decision; the
// counts of Durable Objects started and of `namespace.get` calls must be the same after as before
// (nothing unauthenticated starts or writes anything); then every victim's family still refreshes.
import http from 'node:http'
import { createHmac, randomBytes } from 'node:crypto'

export const ABUSE = Number(process.env.LOAD_ABUSE ?? 12_000)
export const REFRESH_SECRET = 'load-test-refresh-derivation-secret-0123456789'
const FORGER = 'load-test-forgers-refresh-secret-0123456789-xyz'
const ORIGIN = 'https://app.load.test'
const VICTIMS = 8

/** The `auth` Worker: authRoutes on counted Durable Objects. */
export const authWorkerSource = `import { authRoutes, durableObjectStore, RefreshFamilies as Families } from 'jwt-wasm/edge'
// Test fixture: what was started and asked for, so the load run can see that abuse changes neither.
const counts = { instances: 0, gets: 0 }
export class RefreshFamilies extends Families {
  constructor(state, env) {
    super(state, env)
    counts.instances++
  }
}
const counted = (ns) => ({
  idFromName: (name) => ns.idFromName(name),
  get(id) {
    counts.gets++
    return ns.get(id)
  },
})
const auth = authRoutes({
  signer: (env) => ({ kid: 'at-1', alg: 'HS256', secret: env.SECRET }),
  issuer: 'https://auth.load.test',
  audience: 'api',
  verifyUser: (login, password) => (login.startsWith('victim-') && password === 'victim password' ? { sub: login } : null),
  store: (env) => durableObjectStore(counted(env.FAMILIES)),
  refreshSecret: (env) => env.REFRESH_SECRET,
  allowedOrigins: [${JSON.stringify(ORIGIN)}],
})
export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === '/__counts') return Response.json(counts)
    return (await auth(request, env, ctx)) ?? new Response('no route', { status: 404 })
  },
}
`

const b64 = (bytes) => Buffer.from(bytes).toString('base64url')
/** A secret in authRoutes' format (21-character chain, 22-character tag) tagged under `key`. */
const tagged = (key, familyId) => {
  const chain = b64(randomBytes(16)).slice(0, 21)
  return chain + createHmac('sha256', key).update(`rt-tag\0${familyId}.${chain}`).digest('base64url').slice(0, 22)
}
const randomId = () => b64(randomBytes(16))
const randomSecret = () => b64(randomBytes(33)).slice(0, 43)

const REFUSED = { status: 400, errors: ['invalid_grant'] }
/** A refresh or logout request carrying this refresh-cookie value. */
const withCookie = (value) => (victim, cookieName) => ({ cookie: `${cookieName}=${value(victim)}` })
const macForged = () => {
  const id = randomId()
  return `${id}.${tagged(FORGER, id)}`
}

/**
 * A mix: its name, the route (`login`, `refresh`, `logout`), the request made for a victim
 * (`{ login, familyId, value }`, with its refresh cookie's name) and the expected decision.
 * @typedef {{ name: string, route: string, request: (victim: any, cookieName: string) => { cookie?: string, body?: object, headers?: Record<string, string> }, want: { status: number | number[], errors: (string | undefined)[] } }} Mix
 */

/** @type {Mix[]} A real family id with a secret it never issued: refused, nothing revoked. */
const ITEM_3 = [
  ['refresh, victim family id + random secret', 'refresh', (v) => `${v.familyId}.${randomSecret()}`],
  ['logout, victim family id + random secret', 'logout', (v) => `${v.familyId}.${randomSecret()}`],
  [
    'refresh, victim family id + secret tagged under another key',
    'refresh',
    (v) => `${v.familyId}.${tagged(FORGER, v.familyId)}`,
  ],
  [
    'logout, victim family id + secret tagged under another key',
    'logout',
    (v) => `${v.familyId}.${tagged(FORGER, v.familyId)}`,
  ],
].map(([name, route, value]) => ({ name: `item 3: ${name}`, route, request: withCookie(value), want: REFUSED }))

/** @type {Mix[]} Unauthenticated requests write nothing and start nothing. */
const ITEM_4 = [
  {
    name: 'item 4: login, random login name',
    route: 'login',
    request: () => ({ body: { login: `user-${b64(randomBytes(9))}`, password: 'guess' } }),
    // 429: a throttle (item 1) may refuse the client before verifyUser; both refuse, neither writes.
    want: { status: [400, 429], errors: ['invalid_grant', 'too_many_requests'] },
  },
  ...[
    ['refresh, random family id', 'refresh', () => `${randomId()}.${randomSecret()}`],
    ['logout, random family id', 'logout', () => `${randomId()}.${randomSecret()}`],
    ['refresh, MAC-forged family id', 'refresh', macForged],
    ['logout, MAC-forged family id', 'logout', macForged],
  ].map(([name, route, value]) => ({ name: `item 4: ${name}`, route, request: withCookie(value), want: REFUSED })),
]

/**
 * @type {Mix[]} Item 1, the lockout attempt mix: the login throttle's helper fills it in, e.g.
 * wrong passwords for a victim's login (`victim.login`) from many clients (`headers`); the check
 * that each victim's own login still answers 200 afterwards goes beside the victims' refresh at
 * the end of `abuse()`.
 */
const LOCKOUT = []

const MIXES = [...ITEM_3, ...ITEM_4, ...LOCKOUT]

/**
 * @param {{ port: number, agent: http.Agent, concurrency: number, timeoutMs: number }} o
 */
export async function abuse(o) {
  const post = (path, { cookie, body, headers: more } = {}) =>
    new Promise((resolveRequest, reject) => {
      const headers = { origin: ORIGIN, 'x-requested-with': 'load', host: 'auth.load.test', ...more }
      if (cookie) headers.cookie = cookie
      if (body) headers['content-type'] = 'application/json'
      const req = http.request(
        { host: '127.0.0.1', port: o.port, path, method: 'POST', headers, agent: o.agent, timeout: o.timeoutMs },
        (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString()
            let json
            try {
              json = text ? JSON.parse(text) : null
            } catch {
              json = undefined
            }
            resolveRequest({ status: res.statusCode, body: json, cookies: res.headers['set-cookie'] ?? [] })
          })
          res.on('error', reject)
        },
      )
      req.on('timeout', () => req.destroy(new Error('request timed out')))
      req.on('error', reject)
      req.end(body ? JSON.stringify(body) : undefined)
    })
  const counts = () =>
    new Promise((resolveCounts, reject) => {
      http
        .get({ host: '127.0.0.1', port: o.port, path: '/__counts', agent: o.agent }, (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => resolveCounts(JSON.parse(Buffer.concat(chunks).toString())))
        })
        .on('error', reject)
    })
  /** The refresh cookie of an answer: `{ name, value, familyId }`. */
  const refreshCookie = (res) => {
    const m = /^([^=]+)=([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43});/.exec(res.cookies[0] ?? '')
    if (res.status !== 200 || !m) throw new Error(`load: a victim's login or refresh failed: ${res.status}`)
    return { name: m[1], value: `${m[2]}.${m[3]}`, familyId: m[2] }
  }

  const victims = []
  for (let i = 0; i < VICTIMS; i++) {
    const login = `victim-${i}`
    victims.push({
      login,
      ...refreshCookie(await post('/auth/login', { body: { login, password: 'victim password' } })),
    })
  }
  const cookieName = victims[0].name
  const before = await counts()

  const byMix = Object.fromEntries(MIXES.map((m) => [m.name, 0]))
  const stats = { wrong: 0, fivexx: 0, examples: [], byMix, answers: {} }
  const judge = (mix, res, want) => {
    const answer = `${res.status} ${res.body?.error ?? ''}`.trim()
    stats.answers[answer] = (stats.answers[answer] ?? 0) + 1
    if (res.status >= 500) stats.fivexx++
    const statuses = [want.status].flat()
    if (!statuses.includes(res.status) || !want.errors.includes(res.body?.error)) {
      stats.wrong++
      if (stats.examples.length < 5)
        stats.examples.push(`${mix}: ${res.status} ${JSON.stringify(res.body).slice(0, 80)}`)
    }
  }
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < ABUSE) {
        const i = next++
        const mix = MIXES[i % MIXES.length]
        const res = await post(`/auth/${mix.route}`, mix.request(victims[i % victims.length], cookieName))
        stats.byMix[mix.name]++
        judge(mix.name, res, mix.want)
      }
    }),
  )
  stats.seconds = (performance.now() - t0) / 1000
  stats.before = before
  stats.after = await counts()
  // Every victim's family survived: its real cookie still rotates.
  const survivors = 'item 3: the victims refresh afterwards (200)'
  stats.byMix[survivors] = 0
  for (const v of victims) {
    const res = await post('/auth/refresh', { cookie: `${cookieName}=${v.value}` })
    stats.byMix[survivors]++
    judge(survivors, res, { status: 200, errors: [undefined] })
  }
  stats.unchanged = stats.after.instances === before.instances && stats.after.gets === before.gets
  stats.mixes = MIXES.length
  return stats
}
