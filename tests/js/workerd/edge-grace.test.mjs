// Issue 9 item 8 end to end on real workerd (through miniflare, the Durable Object store): the
// browser session (jwt-wasm/session, in Node, fake time) against authRoutes with a slow store.
// The fixture's store wrapper (passed as authRoutes' `store` option) makes the first rotations
// slow: they take STORE_SECONDS of the test's clock, which the browser model below honours by
// delivering such an answer that much later, unless the session's timeout aborted the request
// first; then the answer, and its Set-Cookie, are lost, as a browser loses them. The edge's clock
// follows the test's (`x-test-now`), so both sides share one injected time. Every default is the
// shipped one: session timeout 5 s, backoff 1, 2, 4 s, refreshDeadline 25 s; edge graceSeconds 30.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'
import { createSession } from 'jwt-wasm/session'
import { T0, fakeTime, pageEvents } from '../support/fake-env.mjs'

const BASE = 'http://localhost'
const STORE_SECONDS = 6 // longer than the session's 5 s timeout
let mf

before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'workerd-grace-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { authRoutes, durableObjectStore, RefreshFamilies } from 'jwt-wasm/edge'
export { RefreshFamilies }

// Test-only: the edge's clock is the test's (ms in x-test-now, read as each request starts).
let now = 0
// Test-only: the next \`slow\` rotations are slow; what the store answered, per status.
let slow = 0
let slowAnswer = false
let statuses = {}
const slowStore = (store) => ({
  ...store,
  async rotate(...args) {
    const result = await store.rotate(...args)
    statuses[result.status] = (statuses[result.status] ?? 0) + 1
    if (slow > 0) {
      slow--
      slowAnswer = true
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return result
  },
})
const auth = authRoutes({
  signer: (env) => ({ kid: 'at-1', alg: 'HS256', secret: env.ACCESS_SECRET }),
  verifyUser: (login, password) => (login === 'alice' && password === 'pw' ? { sub: 'u-alice' } : null),
  store: (env) => slowStore(durableObjectStore(env.FAMILIES)),
  refreshSecret: (env) => env.REFRESH_SECRET,
  clock: () => new Date(now),
})

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === '/test/slow') {
      slow = Number(url.searchParams.get('n'))
      statuses = {}
      return new Response('ok')
    }
    if (url.pathname === '/test/statuses') return Response.json(statuses)
    now = Number(request.headers.get('x-test-now'))
    slowAnswer = false
    const res = (await auth(request, env, ctx)) ?? new Response('no route', { status: 404 })
    if (!slowAnswer) return res
    const headers = new Headers(res.headers)
    headers.set('x-test-store-seconds', '${STORE_SECONDS}')
    return new Response(res.body, { status: res.status, headers })
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js'), {
    bindings: {
      ACCESS_SECRET: 'workerd-grace-access-0123456789-abcdefg',
      REFRESH_SECRET: 'workerd-grace-refresh-0123456789-abcdef',
    },
    durableObjects: { FAMILIES: 'RefreshFamilies' },
  }))
})

after(async () => {
  await mf?.dispose()
})

/**
 * A browser in front of the Worker: a cookie jar (by name; Path honoured), the Origin header, the
 * test's clock sent along; an answer a slow store held back arrives STORE_SECONDS later on the
 * fake clock, or is lost (no cookie set) when the request was aborted first.
 */
function browser() {
  let handling = 0
  const time = fakeTime(T0, { idle: () => handling === 0 })
  const jar = new Map()
  const sent = []
  const lostCookies = []
  const cookieLines = (res) => res.headers.getSetCookie()
  const apply = (lines) => {
    for (const line of lines) {
      const [pair, ...attrs] = line.split(/;\s*/)
      const eq = pair.indexOf('=')
      const maxAge = attrs.find((a) => /^max-age=/i.test(a))
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/'
      if (maxAge === 'Max-Age=0') jar.delete(pair.slice(0, eq))
      else jar.set(pair.slice(0, eq), { value: pair.slice(eq + 1), path })
    }
  }
  const fetch = async (input, init = {}) => {
    const url = new URL(String(input), BASE)
    const headers = new Headers(init.headers)
    headers.set('origin', BASE)
    headers.set('x-test-now', String(time.now))
    const cookies = [...jar]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(`${c.path.replace(/\/$/, '')}/`))
      .map(([n, c]) => `${n}=${c.value}`)
    if (cookies.length) headers.set('cookie', cookies.join('; '))
    sent.push({ path: url.pathname, at: time.now - T0, cookie: headers.get('cookie') })
    handling++
    let res
    let body
    try {
      res = await mf.dispatchFetch(url, { method: init.method ?? 'GET', headers, body: init.body })
      body = await res.text()
    } finally {
      handling--
    }
    const late = Number(res.headers.get('x-test-store-seconds') ?? 0) * 1000
    if (late) {
      const signal = init.signal
      await new Promise((resolve, reject) => {
        const timer = time.timers.setTimeout(resolve, late)
        signal?.addEventListener('abort', () => {
          time.timers.clearTimeout(timer)
          lostCookies.push(...cookieLines(res))
          reject(signal.reason)
        })
      })
    }
    apply(cookieLines(res))
    return new Response(body, { status: res.status, headers: res.headers })
  }
  const session = createSession({
    fetch,
    clock: time.clock,
    timers: time.timers,
    storage: null,
    locks: null,
    channel: null,
    events: pageEvents(),
    random: () => 0.5,
    apiOrigins: [BASE],
  })
  const log = []
  for (const type of ['change', 'refresh', 'expired', 'error']) {
    session.addEventListener(type, (e) => log.push(type === 'change' ? `change:${e.detail.reason}` : type))
  }
  const refreshes = () => sent.filter((r) => r.path.endsWith('/refresh'))
  return { time, jar, session, log, refreshes, lostCookies }
}

const slowRotations = async (n) => assert.equal(await (await mf.dispatchFetch(`${BASE}/test/slow?n=${n}`)).text(), 'ok')
const statuses = async () => (await mf.dispatchFetch(`${BASE}/test/statuses`)).json()
const REFRESH_AT = 837_500 // a 900 s access token, refreshed 60 s + 2.5 s of jitter before exp

test('item 8: a slow store and lost answers: the retries stay inside the grace window and get the same successor; the session stays logged in', async () => {
  const { time, jar, session, log, refreshes, lostCookies } = browser()
  await session.login('alice', 'pw')
  // The login sets the refresh cookie (and the known-device cookie of the login throttle).
  const name = '__Host-jwt_rt'
  assert.ok(jar.has(name), 'the refresh cookie is set')
  const first = jar.get(name).value
  await slowRotations(2)
  await time.advance(REFRESH_AT)
  await time.advance(30_000)
  // 0: rotated, its answer lost (5 s timeout); 6 s: the grace answer, lost again; 13 s: the
  // grace answer arrives. With a 10 s window the third would have been reuse: the family
  // revoked and the session expired.
  assert.deepEqual(
    refreshes().map((r) => r.at - REFRESH_AT),
    [0, 6000, 13_000],
  )
  assert.ok(
    refreshes().every((r) => r.cookie.includes(first)),
    'every attempt presented the predecessor',
  )
  assert.deepEqual(await statuses(), { rotated: 1, grace: 2 })
  const successor = jar.get(name).value
  assert.notEqual(successor, first)
  assert.equal(lostCookies.length, 2)
  for (const line of lostCookies)
    assert.ok(line.startsWith(`${name}=${successor};`), 'the lost answers carried the same successor')
  assert.deepEqual(log, ['change:login', 'change:refresh', 'refresh'], 'no error, no expiry')
  // The family lives on: the successor rotates normally.
  await session.refresh()
  assert.deepEqual(await statuses(), { rotated: 2, grace: 2 })
  assert.notEqual(jar.get(name).value, successor)
  session.close()
})

test('item 8: a store slow for the whole round: no retry goes out past the deadline, nothing is revoked, the token serves on', async () => {
  const { time, session, log, refreshes } = browser()
  await session.login('alice', 'pw')
  await slowRotations(50)
  await time.advance(REFRESH_AT)
  await time.advance(40_000)
  assert.deepEqual(
    refreshes().map((r) => r.at - REFRESH_AT),
    [0, 6000, 13_000, 22_000],
  )
  assert.deepEqual(await statuses(), { rotated: 1, grace: 3 }, 'no reuse: the family was never revoked')
  assert.ok(session.token, 'still logged in while the access token lasts')
  assert.deepEqual(log, ['change:login', 'error'])
  // The refresh token may be spent: it is never presented again; the session ends cleanly when
  // the access token runs out (5 s before its exp), with no reuse verdict at the edge.
  await time.advance(120_000)
  assert.equal(refreshes().length, 4)
  assert.equal(session.token, null)
  assert.deepEqual(log, ['change:login', 'error', 'change:expired', 'expired'])
  assert.deepEqual(await statuses(), { rotated: 1, grace: 3 })
  session.close()
})
