// The abusive request mixes of `make load` (issue 9 items 1, 3 and 4): the source of the `auth`
// Worker (authRoutes with its default login throttle on a Durable Object store, whose class and
// namespace count the objects started, by kind, and the stubs asked for, at GET /__counts), and
// the run against it. run.mjs bundles the Worker with the other two and calls `abuse()`.
//
// The run: a few victims log in (real families, and each browser's known-device cookie), then
// ABUSE requests go out, CONCURRENCY in flight, cycling through the mixes (each mix through every
// victim); every answer is checked against the expected decision, and each throttle budget's
// count of let-through attempts against the budget exactly; the Durable Objects started and the
// `namespace.get` calls after must be those of the victims' own logins and nothing more (nothing
// unauthenticated starts or writes anything); then every victim's family still refreshes, its
// known device still logs in, and a new device with the right password waits (429) on a login
// that others locked.
import http from 'node:http'
import { createHmac, randomBytes } from 'node:crypto'

export const ABUSE = Number(process.env.LOAD_ABUSE ?? 12_000)
export const REFRESH_SECRET = 'load-test-refresh-derivation-secret-0123456789'
const FORGER = 'load-test-forgers-refresh-secret-0123456789-xyz'
const ORIGIN = 'https://app.load.test'
const VICTIMS = 8
const PASSWORD = 'victim password'
/** authRoutes' default login throttle (src/js/edge/auth-options.js), which the auth Worker keeps. */
const THROTTLE = { perLogin: 5, perClient: 20, windowSeconds: 900 }
const KNOWN_DEVICE_COOKIE = '__Host-jwt_known'

/** The `auth` Worker: authRoutes (default login throttle) on counted Durable Objects. */
export const authWorkerSource = `import { authRoutes, durableObjectStore, RefreshFamilies as Families } from 'jwt-wasm/edge'
// Test fixture: what was started and asked for, by kind of object (a family, a user's index), so
// the load run can see that abuse changes neither and that a victim's login adds its own only.
const counts = { instances: { family: 0, user: 0 }, gets: { family: 0, user: 0 } }
const kinds = new Map()
const kind = (name) => name.slice(0, name.indexOf(':'))
export class RefreshFamilies extends Families {
  constructor(state, env) {
    super(state, env)
    counts.instances[kinds.get(state.id.toString())]++
  }
}
const counted = (ns) => ({
  idFromName(name) {
    const id = ns.idFromName(name)
    kinds.set(id.toString(), kind(name))
    return id
  },
  get(id) {
    counts.gets[kinds.get(id.toString())]++
    return ns.get(id)
  },
})
const auth = authRoutes({
  signer: (env) => ({ kid: 'at-1', alg: 'HS256', secret: env.SECRET }),
  issuer: 'https://auth.load.test',
  audience: 'api',
  verifyUser: (login, password) => (login.startsWith('victim-') && password === ${JSON.stringify(PASSWORD)} ? { sub: login } : null),
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
/** Refused for the wrong password while the budget lasts, then made to wait. */
const THROTTLED = { status: [400, 429], errors: ['invalid_grant', 'too_many_requests'] }
/** A refresh or logout request carrying this refresh-cookie value. */
const withCookie = (value) => (victim, cookieName) => ({ cookie: `${cookieName}=${value(victim)}` })
const macForged = () => {
  const id = randomId()
  return `${id}.${tagged(FORGER, id)}`
}

/**
 * A mix: its name, the route (`login`, `refresh`, `logout`), the request made for a victim
 * (`{ login, familyId, value, known, foreignKnown }`, with its refresh cookie's name and the
 * request's number) and the expected decision. A mix with a `budget` is refused 400 until that
 * throttle budget is spent and 429 after: `budget(victim)` names the budget's counter and its
 * size, and the run checks that exactly min(size, attempts) went through. `writes`: a mix whose
 * 200 is a login, which adds one family (its object and the user's index entry) to the store.
 * @typedef {{ name: string, route: string, request: (victim: any, cookieName: string, i: number) => { cookie?: string, body?: object, headers?: Record<string, string> }, want: { status: number | number[], errors: (string | undefined)[] }, budget?: (victim: any) => [string, number], writes?: boolean }} Mix
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
    // No client address: the shared "unknown client" counter of the throttle (item 1), whose
    // budget the first attempts spend; 429 after that, before verifyUser. Neither writes.
    want: THROTTLED,
    budget: () => ['the unknown client', THROTTLE.perClient],
  },
  ...[
    ['refresh, random family id', 'refresh', () => `${randomId()}.${randomSecret()}`],
    ['logout, random family id', 'logout', () => `${randomId()}.${randomSecret()}`],
    ['refresh, MAC-forged family id', 'refresh', macForged],
    ['logout, MAC-forged family id', 'logout', macForged],
  ].map(([name, route, value]) => ({ name: `item 4: ${name}`, route, request: withCookie(value), want: REFUSED })),
]

/** A client address of its own for request `i` (10.0.0.0/8, one per request). */
const freshClient = (i) => ({ 'cf-connecting-ip': `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}` })
/** An address in the sprayer's one IPv6 /64, a different one for each request: one client all the same. */
const sprayerNetwork = (i) => ({
  'cf-connecting-ip': `2001:db8:5:7:${(i & 0xffff).toString(16)}:${(i >>> 16).toString(16)}::1`,
})
const wrongPassword = (login) => ({ body: { login, password: 'not the password' } })

/** @type {Mix[]} Item 1: nobody can lock a user out, and spraying costs the sprayer. */
const LOCKOUT = [
  {
    name: "item 1: wrong password for a victim's login, a new client each (no device cookie)",
    route: 'login',
    request: (v, _, i) => ({ ...wrongPassword(v.login), headers: freshClient(i) }),
    want: THROTTLED,
    budget: (v) => [`the login ${v.login}, unknown devices`, THROTTLE.perLogin],
  },
  {
    name: "item 1: wrong password for a victim's login, a new client each, another victim's device cookie",
    route: 'login',
    request: (v, _, i) => ({
      ...wrongPassword(v.login),
      cookie: `${KNOWN_DEVICE_COOKIE}=${v.foreignKnown}`,
      headers: freshClient(i),
    }),
    want: THROTTLED,
    budget: (v) => [`the login ${v.login}, unknown devices`, THROTTLE.perLogin],
  },
  {
    name: 'item 1: the sprayer, one IPv6 /64, a new address and a new login each',
    route: 'login',
    request: (_, __, i) => ({ ...wrongPassword(`sprayed-${i}`), headers: sprayerNetwork(i) }),
    want: THROTTLED,
    budget: () => ['the sprayer', THROTTLE.perClient],
  },
  {
    name: 'item 1: wrong password, a new client and a new login each',
    route: 'login',
    request: (_, __, i) => ({ ...wrongPassword(`guessed-${i}`), headers: freshClient(i) }),
    want: REFUSED,
  },
  {
    name: "item 1: the victim, its known device, right password, from the sprayer's /64",
    route: 'login',
    request: (v, _, i) => ({
      body: { login: v.login, password: PASSWORD },
      cookie: `${KNOWN_DEVICE_COOKIE}=${v.known}`,
      headers: sprayerNetwork(i + 1),
    }),
    want: { status: 200, errors: [undefined] },
    writes: true,
  },
]

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
            resolveRequest({
              status: res.statusCode,
              body: json,
              cookies: res.headers['set-cookie'] ?? [],
              retryAfter: res.headers['retry-after'],
            })
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
  /** The refresh cookie and the known-device cookie of a login's answer. */
  const loggedIn = (res) => {
    const rt = res.cookies.find((c) => /^[^=]+_rt=/.test(c)) ?? ''
    const m = /^([^=]+)=([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43});/.exec(rt)
    const known = /^__Host-jwt_known=([A-Za-z0-9_.-]+);/.exec(
      res.cookies.find((c) => c.startsWith(KNOWN_DEVICE_COOKIE)) ?? '',
    )
    if (res.status !== 200 || !m || !known) throw new Error(`load: a victim's login failed: ${res.status}`)
    return { name: m[1], value: `${m[2]}.${m[3]}`, familyId: m[2], known: known[1] }
  }

  const victims = []
  for (let i = 0; i < VICTIMS; i++) {
    const login = `victim-${i}`
    victims.push({ login, ...loggedIn(await post('/auth/login', { body: { login, password: PASSWORD } })) })
  }
  // Each victim's login is also tried with another victim's (valid) device cookie.
  for (const [i, v] of victims.entries()) v.foreignKnown = victims[(i + 1) % VICTIMS].known
  const cookieName = victims[0].name
  // Every request of a fresh-client mix is a counter of its own: more than the throttle keeps
  // (10,000 of each kind, the oldest going first) would evict the budgets under test.
  const freshClients = Math.ceil(ABUSE / MIXES.length) * 3
  if (freshClients > 9_000) throw new Error(`load: LOAD_ABUSE=${ABUSE} would need ${freshClients} client counters`)
  const before = await counts()

  const byMix = Object.fromEntries(MIXES.map((m) => [m.name, 0]))
  const stats = { wrong: 0, fivexx: 0, examples: [], byMix, answers: {}, budgets: {}, writes: 0 }
  const wrong = (what) => {
    stats.wrong++
    if (stats.examples.length < 5) stats.examples.push(what)
  }
  const judge = (mix, res, want) => {
    const answer = `${res.status} ${res.body?.error ?? ''}`.trim()
    stats.answers[answer] = (stats.answers[answer] ?? 0) + 1
    if (res.status >= 500) stats.fivexx++
    const statuses = [want.status].flat()
    if (!statuses.includes(res.status) || !want.errors.includes(res.body?.error)) {
      wrong(`${mix}: ${res.status} ${JSON.stringify(res.body).slice(0, 80)}`)
    } else if (
      res.status === 429 &&
      !(Number(res.retryAfter) >= 1 && Number(res.retryAfter) <= THROTTLE.windowSeconds)
    ) {
      wrong(`${mix}: 429 with Retry-After ${res.retryAfter}`)
    }
  }
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < ABUSE) {
        const i = next++
        const mix = MIXES[i % MIXES.length]
        // Each mix goes through every victim in turn, whatever the number of mixes.
        const victim = victims[Math.floor(i / MIXES.length) % VICTIMS]
        const res = await post(`/auth/${mix.route}`, mix.request(victim, cookieName, i))
        stats.byMix[mix.name]++
        judge(mix.name, res, mix.want)
        if (mix.writes && res.status === 200) stats.writes++
        if (mix.budget) {
          const [name, size] = mix.budget(victim)
          stats.budgets[name] ??= { size, attempts: 0, through: 0 }
          const b = stats.budgets[name]
          b.attempts++
          if (res.status !== 429) b.through++
        }
      }
    }),
  )
  stats.seconds = (performance.now() - t0) / 1000
  stats.before = before
  stats.after = await counts()
  // Each budget let exactly its size through (or every attempt, when there were fewer).
  for (const [name, b] of Object.entries(stats.budgets)) {
    b.ok = b.through === Math.min(b.size, b.attempts)
    if (!b.ok) wrong(`${name}: ${b.through} of ${b.attempts} attempts went through, budget ${b.size}`)
  }
  /** @param {string} name @param {object} request @param {{ status: number, errors: (string | undefined)[] }} want */
  const after = async (name, route, request, want) => {
    stats.byMix[name] = (stats.byMix[name] ?? 0) + 1
    judge(name, await post(`/auth/${route}`, request), want)
  }
  for (const [k, v] of victims.entries()) {
    // Every victim's family survived: its real cookie still rotates.
    await after(
      'item 3: the victims refresh afterwards (200)',
      'refresh',
      { cookie: `${cookieName}=${v.value}` },
      {
        status: 200,
        errors: [undefined],
      },
    )
    // Its known device still gets in; a new device with the right password waits on the login
    // that the attackers locked (when they spent its budget).
    await after(
      'item 1: the victims log in afterwards from their known device (200)',
      'login',
      { body: { login: v.login, password: PASSWORD }, cookie: `${KNOWN_DEVICE_COOKIE}=${v.known}` },
      { status: 200, errors: [undefined] },
    )
    const locked = (stats.budgets[`the login ${v.login}, unknown devices`]?.attempts ?? 0) >= THROTTLE.perLogin
    await after(
      `item 1: the victims log in afterwards from a new device, right password (${locked ? '429: locked by others' : '200'})`,
      'login',
      { body: { login: v.login, password: PASSWORD }, headers: { 'cf-connecting-ip': `192.0.2.${k + 1}` } },
      locked ? { status: 429, errors: ['too_many_requests'] } : { status: 200, errors: [undefined] },
    )
  }
  // The store: the victims' own logins added their families (an object each, two stubs: the
  // user's index and the family), and nothing else started or asked for anything. A user's index
  // object that workerd shut down when idle may start again (its storage stays).
  const d = (k) => ({
    family: stats.after[k].family - before[k].family,
    user: stats.after[k].user - before[k].user,
  })
  stats.delta = { instances: d('instances'), gets: d('gets') }
  stats.unchanged =
    stats.delta.instances.family === stats.writes &&
    stats.delta.instances.user >= 0 &&
    stats.delta.instances.user <= VICTIMS &&
    stats.delta.gets.family === stats.writes &&
    stats.delta.gets.user === stats.writes
  stats.mixes = MIXES.length
  return stats
}
