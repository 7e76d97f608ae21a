// jwt-wasm/session in Node, with everything injected (clock, timers, storage, fetch, locks,
// channel, page events); no global is patched. One tab: schedule arithmetic with skew and
// jitter, clock jumps (sleep), backoff, timeouts, 401, single flight, storage fallbacks, body
// replay, untouched 401/403, events in order. Several tabs (fake Web Locks + fake
// BroadcastChannel, a server whose refresh token rotates and that flags reuse): one refresh,
// logout and expiry everywhere, the BroadcastChannel lease fallback, duplicated tabs.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { Signer } from 'jwt-wasm'
import { createSession, SessionError } from 'jwt-wasm/session'

const T0 = 1_767_225_600_000 // 2026-01-01T00:00:00Z, ms
const ORIGIN = 'https://app.example'
const KEY = { kid: 'at-1', alg: 'HS256', secret: 'session-test-secret-0123456789-abcdef' }
const signer = new Signer({ key: KEY, jti: true }) // like the edge: two tokens minted in one second differ
const TOKEN_KEY = 'jwt-wasm:access_token'
const TAB_KEY = 'jwt-wasm:tab'
const MIN = 60_000

// ---------------------------------------------------------------- injected time

/**
 * A wall clock and timers that only move when told. `advance(ms)` runs due timers in order
 * (moving the clock to each one) and drains promises between them; `sleep(ms)` is a machine
 * that slept: the wall clock jumps and pending timers are pushed back by as much (monotonic
 * timers do not run during sleep), so nothing fires by itself.
 */
function fakeTime(start = T0) {
  let now = start
  let seq = 0
  const timers = new Map()
  const flush = async () => {
    for (let i = 0; i < 12; i++) await new Promise((resolve) => setImmediate(resolve))
  }
  return {
    clock: () => now,
    timers: {
      setTimeout: (fn, ms) => {
        const id = ++seq
        timers.set(id, { at: now + Math.max(0, ms), fn, id })
        return id
      },
      clearTimeout: (id) => void timers.delete(id),
    },
    get now() {
      return now
    },
    /** Delays of the pending timers, ms. */
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    async advance(ms) {
      const target = now + ms
      await flush()
      for (;;) {
        let next
        for (const t of timers.values()) if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t
        if (!next) break
        timers.delete(next.id)
        now = Math.max(now, next.at)
        next.fn()
        await flush()
      }
      now = target
      await flush()
    },
    sleep(ms) {
      now += ms
      for (const t of timers.values()) t.at += ms
    },
    flush,
  }
}

// ---------------------------------------------------------------- injected storage, locks, channel

function memoryStorage(entries) {
  const map = new Map(entries)
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
  }
}

/** navigator.locks-like: one FIFO exclusive lock per name. */
function fakeLocks() {
  const tails = new Map()
  const grants = []
  return {
    grants,
    request(name, options, callback) {
      assert.deepEqual(options, { mode: 'exclusive' })
      const previous = tails.get(name) ?? Promise.resolve()
      const run = previous.then(() => {
        grants.push(name)
        return callback({ name, mode: 'exclusive' })
      })
      tails.set(
        name,
        run.then(
          () => {},
          () => {},
        ),
      )
      return run
    },
  }
}

/** BroadcastChannel-like objects on one bus: a message reaches every other open member of the same name, asynchronously, as a structured clone. */
function channelBus(lag) {
  const members = new Set()
  const sent = []
  const open = (name) => {
    const ch = new EventTarget()
    ch.channelName = name
    ch.closed = false
    ch.postMessage = (data) => {
      if (ch.closed) throw new Error('InvalidStateError: closed')
      sent.push(data)
      for (const m of members) {
        if (m === ch || m.channelName !== name) continue
        const copy = structuredClone(data)
        const deliver = () => {
          if (!m.closed) m.dispatchEvent(new MessageEvent('message', { data: copy }))
        }
        // `lag`: these types travel slower than a lock grant, as they may in a browser.
        if (lag?.types.includes(data.type)) lag.timers.setTimeout(deliver, lag.ms)
        else queueMicrotask(deliver)
      }
    }
    ch.close = () => {
      ch.closed = true
      members.delete(ch)
    }
    members.add(ch)
    return ch
  }
  return { open, sent, types: () => sent.map((m) => m.type) }
}

// ---------------------------------------------------------------- a fake server

const json = (status, body, headers = {}) =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

/**
 * The server side, in process: `/auth/login`, `/auth/refresh` (a rotating refresh token in a
 * cookie jar shared by every tab; a rotated one presented again is reuse: 401), `/auth/logout`,
 * and `/api/*` through `api`. `skew` is how far the server clock is ahead of the client's;
 * `delay` (ms, on the fake timers) delays refresh answers; handlers override any route.
 */
function fakeServer(time) {
  const s = {
    skew: 0,
    ttl: 900,
    delay: 0,
    sendDate: true,
    calls: [],
    jar: { rt: 'rt-0' },
    current: 'rt-0',
    generation: 0,
    reuse: 0,
    refresh: null,
    login: null,
    logout: null,
    api: null,
  }
  s.now = () => time.now + s.skew
  s.mint = (ttl = s.ttl, extra = {}) => signer.sign({ sub: 'u1', ...extra }, { currentDate: new Date(s.now()), ttl })
  s.dateHeader = () => (s.sendDate ? { date: new Date(s.now()).toUTCString() } : {})
  s.tokenAnswer = (token = s.mint()) => json(200, { access_token: token, token_type: 'Bearer', expires_in: s.ttl }, s.dateHeader())
  s.count = (path, tab) => s.calls.filter((c) => c.path === path && (tab === undefined || c.tab === tab)).length
  s.wait = (ms) => new Promise((resolve) => time.timers.setTimeout(resolve, ms))
  s.rotate = async () => {
    const presented = s.jar.rt // the cookie the browser sends with this request
    if (s.delay) await s.wait(s.delay)
    if (presented !== s.current) {
      s.reuse++
      return json(401, { error: 'invalid_grant' })
    }
    s.current = `rt-${++s.generation}`
    s.jar.rt = s.current // Set-Cookie, stored before the response reaches the page
    return s.tokenAnswer()
  }
  s.fetchFor = (tab) => async (input, init) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), ORIGIN), init)
    const path = new URL(req.url).pathname
    const call = { tab, path, method: req.method, at: time.now, headers: Object.fromEntries(req.headers), body: await req.text(), signal: init?.signal ?? req.signal }
    s.calls.push(call)
    if (path === '/auth/refresh') return s.refresh ? s.refresh(call) : s.rotate()
    if (path === '/auth/login') return s.login ? s.login(call) : s.tokenAnswer()
    if (path === '/auth/logout') return s.logout ? s.logout(call) : new Response(null, { status: 204 })
    if (path.startsWith('/api/') && s.api) return s.api(call)
    return json(404, { error: 'not_found' })
  }
  s.fetch = s.fetchFor('A')
  return s
}

// ---------------------------------------------------------------- harness

const EVENTS = ['change', 'refresh', 'expired', 'logout', 'error', 'warning']

/** One tab: a session with its own storage and page events, sharing time/server/locks/bus. */
function tab(shared, { name = 'A', storage, options = {} } = {}) {
  const events = new EventTarget()
  const store = storage ?? memoryStorage()
  const log = []
  const details = []
  const session = createSession({
    clock: shared.time.clock,
    timers: shared.time.timers,
    fetch: shared.server.fetchFor(name),
    storage: store,
    locks: shared.locks,
    channel: shared.bus ? shared.bus.open : null,
    events,
    random: () => 0.5,
    apiOrigins: [ORIGIN],
    ...options,
  })
  for (const type of EVENTS) {
    session.addEventListener(type, (e) => {
      log.push(type === 'change' ? `change:${e.detail.reason}` : type === 'warning' ? `warning:${e.detail.code}` : type)
      details.push({ type, detail: e.detail })
    })
  }
  return { name, session, storage: store, events, log, details, detail: (type) => details.filter((d) => d.type === type).map((d) => d.detail) }
}

function world({ locks = true, bus = false, lag } = {}) {
  const time = fakeTime()
  const server = fakeServer(time)
  return { time, server, locks: locks ? fakeLocks() : null, bus: bus ? channelBus(lag && { ...lag, timers: time.timers }) : null }
}

/** One tab in its own world, logged in at T0 (server clock = client clock unless `skew`). */
async function loggedIn({ skew = 0, options = {}, storage, w = world() } = {}) {
  w.server.skew = skew
  const t = tab(w, { options, storage })
  await t.session.login('alice', 'pw')
  return { ...w, ...t }
}

const exp = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp

// ================================================================ schedule

describe('schedule: exp − refreshBefore − random(0..jitter), in server time', () => {
  test('refreshes exactly at the refresh point, not a millisecond before', async () => {
    const { time, server, session, log } = await loggedIn()
    const t1 = session.token
    // 900 s token, lead = 60 + 0.5 × 5 = 62.5 s
    assert.deepEqual(session.timing, { expiresAt: T0 + 900_000, refreshAt: T0 + 837_500, skew: 0 })
    await time.advance(837_499)
    assert.equal(server.count('/auth/refresh'), 0)
    assert.equal(await session.getToken(), t1, 'not due: the same token, no network')
    await time.advance(1)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.notEqual(session.token, t1)
    assert.deepEqual(log, ['change:login', 'change:refresh', 'refresh'])
    session.close()
  })

  test('jitter: random() = 0 gives exactly refreshBefore, random() → 1 up to refreshBefore + jitter', async () => {
    for (const [r, lead] of [
      [0, 60_000],
      [0.999, 64_995],
    ]) {
      const { session } = await loggedIn({ options: { random: () => r, refreshBefore: 60, jitter: 5 } })
      assert.equal(session.timing.refreshAt, T0 + 900_000 - lead)
      session.close()
    }
  })

  test('no timer is ever set more than 30 s ahead (the wall clock is compared again at each tick)', async () => {
    const { time, session } = await loggedIn()
    const seen = []
    for (let i = 0; i < 10; i++) {
      seen.push(...time.pending())
      await time.advance(30_000)
    }
    assert.ok(seen.length >= 10)
    assert.ok(seen.every((d) => d > 0 && d <= 30_000), `timer delays: ${seen}`)
    session.close()
  })

  test('skew: a server 2 min ahead (Date header and iat agree) moves the schedule onto server time', async () => {
    const { time, server, session } = await loggedIn({ skew: 120_000 })
    const token = session.token
    // The token says exp = server T0 + 120 s + 900 s; on the client clock it expires at T0 + 900 s.
    assert.equal(exp(token) * 1000, T0 + 120_000 + 900_000)
    assert.deepEqual(session.timing, { expiresAt: T0 + 900_000, refreshAt: T0 + 837_500, skew: 120_000 })
    await time.advance(837_499)
    assert.equal(server.count('/auth/refresh'), 0)
    await time.advance(1)
    assert.equal(server.count('/auth/refresh'), 1)
    session.close()
  })

  test('skew: a client clock 10 min fast is measured and reported once (warning clock_skew)', async () => {
    const { session, log, detail } = await loggedIn({ skew: -600_000 })
    await new Promise((r) => setImmediate(r))
    assert.equal(session.timing.skew, -600_000)
    assert.equal(session.timing.expiresAt, T0 + 900_000)
    assert.deepEqual(log.filter((l) => l.startsWith('warning')), ['warning:clock_skew'])
    assert.equal(detail('warning')[0].skew, -600_000)
    session.close()
  })

  test('skew: Date wins when a stale iat disagrees with it; iat alone when there is no Date', async () => {
    const w = world()
    w.server.skew = 120_000
    // A token minted 10 minutes earlier than the answer (e.g. a cached answer): iat disagrees.
    w.server.login = () => w.server.tokenAnswer(signer.sign({ sub: 'u1' }, { currentDate: new Date(w.server.now() - 600_000), ttl: 3600 }))
    const a = tab(w)
    await a.session.login('alice', 'pw')
    assert.equal(a.session.timing.skew, 120_000)
    a.session.close()

    const w2 = world()
    w2.server.skew = -30_000
    w2.server.sendDate = false
    const b = tab(w2)
    await b.session.login('alice', 'pw')
    assert.equal(b.session.timing.skew, -30_000)
    b.session.close()
  })

  test('a short-lived token is refreshed at half its lifetime, not in a loop', async () => {
    const w = world()
    w.server.ttl = 30
    const { time, server, session } = await loggedIn({ w })
    assert.equal(session.timing.refreshAt, T0 + 15_000)
    await time.advance(60_000)
    assert.equal(server.count('/auth/refresh'), 4) // at 15, 30, 45, 60 s
    session.close()
  })

  test('a token read from storage (a reload) is scheduled with skew 0 until the next answer', async () => {
    const w = world()
    const token = signer.sign({ sub: 'u1' }, { currentDate: new Date(T0 - 100_000), ttl: 900 })
    const t = tab(w, { storage: memoryStorage([[TOKEN_KEY, token]]) })
    assert.equal(t.session.token, token)
    assert.deepEqual(t.session.timing, { expiresAt: T0 + 800_000, refreshAt: T0 + 737_500, skew: 0 })
    assert.equal(await t.session.resume(), true)
    assert.equal(w.server.count('/auth/refresh'), 0)
    t.session.close()
  })
})

// ================================================================ sleep

describe('sleep-proof: a tab that slept or was throttled refreshes as soon as it wakes', () => {
  for (const type of ['visibilitychange', 'pageshow', 'focus', 'online']) {
    test(`clock jumps 20 min (timers frozen), then '${type}' → immediate refresh`, async () => {
      const { time, server, session, events, log } = await loggedIn()
      const t1 = session.token
      time.sleep(20 * MIN)
      await time.flush()
      assert.equal(server.count('/auth/refresh'), 0, 'nothing fires by itself while timers are frozen')
      assert.equal(session.token, t1)
      events.dispatchEvent(new Event(type))
      await time.flush()
      assert.equal(server.count('/auth/refresh'), 1)
      assert.notEqual(session.token, t1)
      assert.equal(server.calls.at(-1).at, T0 + 20 * MIN, 'at the moment of waking, no timer involved')
      assert.deepEqual(log, ['change:login', 'change:refresh', 'refresh'])
      session.close()
    })
  }

  test('without any page event, the next capped tick (≤ 30 s) catches up', async () => {
    const { time, server, session } = await loggedIn()
    time.sleep(20 * MIN)
    await time.advance(30_000)
    assert.equal(server.count('/auth/refresh'), 1)
    session.close()
  })

  test('getToken() after the sleep checks expiry itself: the expired token is never handed out', async () => {
    const { time, server, session } = await loggedIn()
    const t1 = session.token
    time.sleep(20 * MIN)
    const t2 = await session.getToken()
    assert.notEqual(t2, t1)
    assert.equal(t2, session.token)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.ok(exp(t2) * 1000 > time.now)
    session.close()
  })

  test('a due token with time left is returned at once while the refresh runs in the background', async () => {
    const w = world()
    w.server.delay = 1000
    const { time, server, session } = await loggedIn({ w })
    const t1 = session.token
    await time.advance(837_500) // due, 62.5 s left
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(await session.getToken(), t1, 'still valid: no waiting')
    await time.advance(1000)
    assert.notEqual(await session.getToken(), t1)
    assert.equal(server.count('/auth/refresh'), 1)
    session.close()
  })
})

// ================================================================ backoff

describe('retries: exponential backoff with bounded jitter; 401 is never retried', () => {
  /** Logged in, with the refresh endpoint answering `answers` in turn, then tokens. */
  async function failing(answers, options = {}) {
    const ctx = await loggedIn({ options })
    let n = 0
    ctx.server.refresh = () => {
      const a = answers[n++]
      if (a === undefined) return ctx.server.rotate()
      if (a === 'network') throw new TypeError('fetch failed')
      if (a === 'hang') return new Promise(() => {})
      return typeof a === 'number' ? json(a, { error: a === 503 ? 'temporarily_unavailable' : 'server_error' }) : a
    }
    return ctx
  }
  const gaps = (server) => {
    const at = server.calls.filter((c) => c.path === '/auth/refresh').map((c) => c.at)
    return at.slice(1).map((t, i) => t - at[i])
  }

  test('500, 500, 500, then 200: retried after 1, 2, 4 s (random 0.5: no jitter), then success', async () => {
    const { time, server, session, log } = await failing([500, 500, 500])
    await time.advance(837_500)
    await time.advance(20_000)
    assert.equal(server.count('/auth/refresh'), 4)
    assert.deepEqual(gaps(server), [1000, 2000, 4000])
    assert.deepEqual(log, ['change:login', 'change:refresh', 'refresh'], 'no error event: the round succeeded')
    session.close()
  })

  test('jitter stays within [0.8, 1.2) of each delay', async () => {
    for (const [r, expected] of [
      [0, [800, 1600, 3200]],
      [0.75, [1100, 2200, 4400]],
      [0.999999, [1200, 2400, 4800]],
    ]) {
      const { time, server, session } = await failing([500, 502, 504], { random: () => r })
      await time.advance(session.timing.refreshAt - time.now)
      await time.advance(20_000)
      assert.deepEqual(
        gaps(server).map((g) => Math.round(g / 100) * 100),
        expected,
      )
      session.close()
    }
  })

  test('maxDelay caps the delays; after `attempts` the round gives up with one error event', async () => {
    const { time, server, session, log, detail } = await failing(Array(50).fill(500), { retry: { attempts: 5, baseDelay: 1, maxDelay: 3 } })
    time.sleep(20 * MIN) // expired: getToken must wait for the round
    const pending = session.getToken()
    pending.catch(() => {})
    await time.advance(9000) // attempts at 0, 1, 3, 6, 9 s
    await assert.rejects(pending, (e) => e instanceof SessionError && e.code === 'ERR_SESSION_REFRESH_FAILED' && e.status === 500 && e.attempts === 5)
    assert.equal(server.count('/auth/refresh'), 5)
    assert.deepEqual(gaps(server), [1000, 2000, 3000, 3000])
    assert.deepEqual(log.filter((l) => l === 'error'), ['error'])
    assert.equal(detail('error')[0].attempts, 5)
    assert.ok(session.token, 'a failed round does not end the session')
    session.close()
  })

  test('after a failed round the background tries again after maxDelay, not in a loop', async () => {
    const { time, server, session } = await failing(Array(5).fill(500))
    await time.advance(837_500)
    await time.advance(15_000) // 5 attempts: 0, 1, 3, 7, 15 s
    assert.equal(server.count('/auth/refresh'), 5)
    await time.advance(59_999)
    assert.equal(server.count('/auth/refresh'), 5)
    await time.advance(1)
    assert.equal(server.count('/auth/refresh'), 6, 'a new round 60 s after the last failure')
    assert.notEqual(session.token, null)
    session.close()
  })

  test('Retry-After raises the delay (503 temporarily_unavailable)', async () => {
    const { time, server, session } = await failing([json(503, { error: 'temporarily_unavailable' }, { 'retry-after': '7' })])
    await time.advance(837_500)
    await time.advance(10_000)
    assert.deepEqual(gaps(server), [7000])
    session.close()
  })

  test('timeout: an unanswered refresh is aborted through its AbortSignal after `timeout`, then retried', async () => {
    const { time, server, session, log } = await failing(['hang'], { timeout: 2 })
    const t1 = session.token
    await time.advance(837_500)
    const first = server.calls.find((c) => c.path === '/auth/refresh')
    assert.equal(first.signal.aborted, false)
    await time.advance(2000)
    assert.equal(first.signal.aborted, true)
    assert.equal(first.signal.reason.code, 'ERR_SESSION_REFRESH_FAILED')
    assert.equal(first.signal.reason.reason, 'timeout')
    await time.advance(1000)
    assert.equal(server.count('/auth/refresh'), 2)
    assert.deepEqual(gaps(server), [3000], 'timeout 2 s + backoff 1 s')
    assert.notEqual(session.token, t1)
    assert.deepEqual(log, ['change:login', 'change:refresh', 'refresh'])
    session.close()
  })

  test('network errors are retried; offline, the next attempt waits for `online`', async () => {
    let online = true
    const { time, server, session, events } = await failing(['network', 'network'], { isOnline: () => online })
    await time.advance(837_500)
    assert.equal(server.count('/auth/refresh'), 1)
    online = false
    await time.advance(1000) // 2nd attempt (the backoff was chosen while online)
    assert.equal(server.count('/auth/refresh'), 2)
    await time.advance(30_000)
    assert.equal(server.count('/auth/refresh'), 2, 'offline: no attempts burnt')
    online = true
    events.dispatchEvent(new Event('online'))
    await time.flush()
    assert.equal(server.count('/auth/refresh'), 3, 'retried the moment the network is back')
    assert.equal(server.calls.at(-1).at, T0 + 837_500 + 31_000)
    session.close()
  })

  test('a 403 (e.g. a missing CSRF header) fails the round at once: no retry, one error event', async () => {
    const { time, server, session, detail } = await failing([json(403, { error: 'invalid_request' })])
    await time.advance(837_500)
    await time.advance(10_000)
    assert.equal(server.count('/auth/refresh'), 1)
    const [{ error, attempts }] = detail('error')
    assert.equal(error.code, 'ERR_SESSION_REFRESH_FAILED')
    assert.equal(error.status, 403)
    assert.equal(attempts, 1)
    session.close()
  })

  for (const [status, body] of [
    [401, { error: 'invalid_grant' }],
    [400, { error: 'invalid_grant' }],
  ]) {
    test(`${status} invalid_grant: never retried; the session ends with 'expired' and storage is cleared`, async () => {
      const { time, server, session, storage, log, detail } = await failing([json(status, body)])
      assert.ok(storage.map.has(TOKEN_KEY))
      await time.advance(837_500)
      await time.advance(10 * MIN)
      assert.equal(server.count('/auth/refresh'), 1)
      assert.equal(session.token, null)
      assert.equal(session.claims, null)
      assert.equal(storage.map.has(TOKEN_KEY), false)
      assert.deepEqual(log, ['change:login', 'change:expired', 'expired'])
      const [{ reason, error }] = detail('expired')
      assert.equal(reason, 'invalid_grant')
      assert.equal(error.code, 'ERR_SESSION_EXPIRED')
      assert.equal(error.status, status)
      assert.equal(await session.getToken(), null)
      session.close()
    })
  }

  test('a 200 without a usable token is retried (bad_response), like a captive portal page', async () => {
    const { time, server, session } = await failing([new Response('<html>sign in to the Wi-Fi</html>', { status: 200 }), json(200, { access_token: 'not.a.jwt' })])
    await time.advance(837_500)
    await time.advance(3000)
    assert.equal(server.count('/auth/refresh'), 3)
    assert.equal(exp(session.token), Math.floor((T0 + 840_500) / 1000) + 900, 'the third answer (at +3 s)')
    session.close()
  })
})

// ================================================================ single flight

describe('one refresh at a time within a tab', () => {
  for (const locks of [true, false]) {
    test(`100 concurrent getToken() on an expired token → exactly 1 refresh call, 100 × the same token (${locks ? 'Web Locks' : 'no locks'})`, async () => {
      const w = world({ locks })
      w.server.delay = 500
      const { time, server, session } = await loggedIn({ w, options: locks ? {} : { locks: null } })
      const t1 = session.token
      const grants = w.locks?.grants.length
      time.sleep(20 * MIN)
      const all = Promise.all(Array.from({ length: 100 }, () => session.getToken()))
      await time.advance(500)
      const tokens = await all
      assert.equal(server.count('/auth/refresh'), 1)
      assert.equal(new Set(tokens).size, 1)
      assert.notEqual(tokens[0], t1)
      assert.equal(tokens[0], session.token)
      if (locks) assert.equal(w.locks.grants.length - grants, 1, 'one shared promise: the lock is asked for once, not 100 times')
      session.close()
    })
  }

  test('getToken, refresh(), resume() and fetch racing share the same refresh', async () => {
    const w = world()
    w.server.delay = 500
    w.server.api = (call) => json(200, { auth: call.headers.authorization })
    const { time, server, session } = await loggedIn({ w })
    time.sleep(20 * MIN)
    const all = Promise.all([session.getToken(), session.refresh(), session.resume(), session.fetch(`${ORIGIN}/api/me`)])
    await time.advance(500)
    const [a, b, c, res] = await all
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(a, b)
    assert.equal(c, true)
    assert.deepEqual(await res.json(), { auth: `Bearer ${a}` })
    session.close()
  })

  test('100 getToken() on a fresh token: no network at all', async () => {
    const { server, session } = await loggedIn()
    const tokens = await Promise.all(Array.from({ length: 100 }, () => session.getToken()))
    assert.equal(new Set(tokens).size, 1)
    assert.equal(server.count('/auth/refresh'), 0)
    session.close()
  })
})

// ================================================================ storage

describe('storage: the access token only; memory with one warning when storage fails', () => {
  test('sessionStorage holds the access token under the prefixed key, and a tab id; nothing else', async () => {
    const { session, storage } = await loggedIn({ options: { keyPrefix: 'app1:' } })
    assert.deepEqual([...storage.map.keys()].sort(), ['app1:access_token', 'app1:tab'])
    assert.equal(storage.map.get('app1:access_token'), session.token)
    assert.match(storage.map.get('app1:tab'), /^[0-9a-f]{32}$/)
    assert.equal(session.mode.storage, 'storage')
    session.close()
  })

  test('getItem/setItem/removeItem all throw (sandboxed iframe): memory, exactly one warning', async () => {
    const denied = () => {
      throw new DOMException('The document is sandboxed', 'SecurityError')
    }
    const storage = { getItem: denied, setItem: denied, removeItem: denied }
    const w = world()
    const t = tab(w, { storage })
    await t.session.login('alice', 'pw')
    await w.time.advance(837_500)
    await t.session.logout()
    await t.session.login('alice', 'pw')
    assert.equal(t.session.mode.storage, 'memory')
    assert.ok(t.session.token)
    assert.deepEqual(t.log.filter((l) => l.startsWith('warning')), ['warning:storage_unavailable'])
    assert.equal(t.detail('warning')[0].cause.name, 'SecurityError')
    t.session.close()
  })

  test('a storage that starts refusing writes (quota): the token moves to memory, one warning', async () => {
    const storage = memoryStorage()
    const setItem = storage.setItem
    storage.setItem = (k, v) => {
      if (k === TOKEN_KEY) throw new DOMException('quota', 'QuotaExceededError')
      setItem(k, v)
    }
    const w = world()
    const t = tab(w, { storage })
    assert.equal(t.session.mode.storage, 'storage')
    await t.session.login('alice', 'pw')
    assert.equal(t.session.mode.storage, 'memory')
    const t1 = t.session.token
    assert.ok(t1)
    assert.equal(await t.session.getToken(), t1)
    await w.time.advance(837_500)
    assert.notEqual(t.session.token, t1)
    await w.time.flush()
    assert.deepEqual(t.log.filter((l) => l.startsWith('warning')), ['warning:storage_unavailable'])
    t.session.close()
  })

  test('no sessionStorage at all (Node, a worker): the default falls back to memory with a warning', async () => {
    const w = world()
    const events = []
    const session = createSession({ clock: w.time.clock, timers: w.time.timers, fetch: w.server.fetch, locks: fakeLocks(), channel: null, events: null, random: () => 0.5 })
    session.addEventListener('warning', (e) => events.push(e.detail.code))
    await w.time.flush()
    assert.deepEqual(events, ['storage_unavailable'])
    assert.equal(session.mode.storage, 'memory')
    session.close()
  })

  test('storage: null is memory on purpose: no warning', async () => {
    const { session, log } = await loggedIn({ options: { storage: null } })
    await new Promise((r) => setImmediate(r))
    assert.equal(session.mode.storage, 'memory')
    assert.deepEqual(log, ['change:login'])
    session.close()
  })
})

// ================================================================ resume

describe('resume(): back in by one refresh, without a new login', () => {
  test('no access token in storage, a live refresh cookie: one refresh, true', async () => {
    const w = world()
    const t = tab(w)
    assert.equal(t.session.token, null)
    assert.equal(await t.session.getToken(), null, 'getToken never refreshes without a session')
    assert.equal(w.server.count('/auth/refresh'), 0)
    assert.equal(await t.session.resume(), true)
    assert.equal(w.server.count('/auth/refresh'), 1)
    assert.equal(t.storage.map.get(TOKEN_KEY), t.session.token)
    assert.deepEqual(t.log, ['change:refresh', 'refresh'])
    t.session.close()
  })

  test('no session (401): false, quietly (nothing was held, so nothing expired)', async () => {
    const w = world()
    w.server.refresh = () => json(401, { error: 'invalid_grant' })
    const t = tab(w)
    assert.equal(await t.session.resume(), false)
    assert.deepEqual(t.log, [])
    t.session.close()
  })

  test('the refresh endpoint unreachable: rejects ERR_SESSION_REFRESH_FAILED after the retries', async () => {
    const w = world()
    w.server.refresh = () => {
      throw new TypeError('fetch failed')
    }
    const t = tab(w, { options: { retry: { attempts: 2 } } })
    const resumed = t.session.resume()
    resumed.catch(() => {})
    await w.time.advance(2000)
    await assert.rejects(resumed, (e) => e.code === 'ERR_SESSION_REFRESH_FAILED' && e.reason === 'network' && e.status === 0)
    t.session.close()
  })

  test('an expired token in storage: refreshed; a token with time left: no network', async () => {
    const w = world()
    const old = signer.sign({ sub: 'u1' }, { currentDate: new Date(T0 - 3600_000), ttl: 900 })
    const t = tab(w, { storage: memoryStorage([[TOKEN_KEY, old]]) })
    assert.equal(await t.session.resume(), true)
    assert.equal(w.server.count('/auth/refresh'), 1)
    assert.notEqual(t.session.token, old)
    t.session.close()
  })
})

// ================================================================ fetch

describe('session.fetch: Bearer, one shared refresh and one retry on invalid_token only', () => {
  const INVALID = 'Bearer realm="api", error="invalid_token", error_description="The access token expired"'

  async function api(handler) {
    const ctx = await loggedIn()
    ctx.server.api = handler
    return ctx
  }

  test('a POST with a JSON body retried after 401 invalid_token sends the same body twice, with the new token', async () => {
    let n = 0
    const { server, session } = await api(() => (n++ === 0 ? json(401, { error: 'invalid_token' }, { 'www-authenticate': INVALID }) : json(201, { ok: true })))
    const t1 = session.token
    const body = JSON.stringify({ item: 'book', qty: 2, note: 'ünïcödé' })
    const res = await session.fetch(`${ORIGIN}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    assert.equal(res.status, 201)
    const calls = server.calls.filter((c) => c.path === '/api/orders')
    assert.equal(calls.length, 2)
    assert.deepEqual(
      calls.map((c) => c.body),
      [body, body],
    )
    assert.deepEqual(
      calls.map((c) => c.headers['content-type']),
      ['application/json', 'application/json'],
    )
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(calls[0].headers.authorization, `Bearer ${t1}`)
    assert.equal(calls[1].headers.authorization, `Bearer ${session.token}`)
    assert.notEqual(session.token, t1)
    session.close()
  })

  test('a streamed body is replayed too (the clone is taken before the first send)', async () => {
    let n = 0
    const { server, session } = await api(() => (n++ === 0 ? json(401, null, { 'www-authenticate': INVALID }) : json(200, {})))
    const enc = new TextEncoder()
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(enc.encode('part-1;'))
        c.enqueue(enc.encode('part-2'))
        c.close()
      },
    })
    const res = await session.fetch(`${ORIGIN}/api/upload`, { method: 'PUT', body: stream, duplex: 'half' })
    assert.equal(res.status, 200)
    assert.deepEqual(
      server.calls.filter((c) => c.path === '/api/upload').map((c) => c.body),
      ['part-1;part-2', 'part-1;part-2'],
    )
    session.close()
  })

  for (const [what, status, challenge] of [
    ['401 without an error (no credentials accepted)', 401, 'Bearer realm="api"'],
    ['401 with another scheme', 401, 'Basic realm="x", error="invalid_token"'],
    ['401 without WWW-Authenticate', 401, null],
    ['403 insufficient_scope', 403, 'Bearer error="insufficient_scope", scope="admin"'],
  ]) {
    test(`${what}: returned untouched, no refresh, no retry`, async () => {
      const answer = json(status, { error: 'nope' }, challenge ? { 'www-authenticate': challenge } : {})
      const { server, session } = await api(() => answer)
      const res = await session.fetch(`${ORIGIN}/api/admin`, { method: 'POST', body: 'x' })
      assert.equal(res, answer, 'the very same Response object')
      assert.equal(server.count('/api/admin'), 1)
      assert.equal(server.count('/auth/refresh'), 0)
      session.close()
    })
  }

  test('invalid_token again after the retry: the second 401 is returned (one retry only)', async () => {
    const { server, session } = await api(() => json(401, null, { 'www-authenticate': 'Bearer error=invalid_token' }))
    const res = await session.fetch(`${ORIGIN}/api/x`)
    assert.equal(res.status, 401)
    assert.equal(server.count('/api/x'), 2)
    assert.equal(server.count('/auth/refresh'), 1)
    session.close()
  })

  test('two requests rejected at once share one refresh', async () => {
    const { server, session } = await api((call) => (call.headers.authorization === `Bearer ${first}` ? json(401, null, { 'www-authenticate': INVALID }) : json(200, {})))
    const first = session.token
    const [a, b] = await Promise.all([session.fetch(`${ORIGIN}/api/a`), session.fetch(`${ORIGIN}/api/b`, { method: 'POST', body: 'b' })])
    assert.equal(a.status, 200)
    assert.equal(b.status, 200)
    assert.equal(server.count('/auth/refresh'), 1)
    session.close()
  })

  test('the refresh says the session is over: the original 401 comes back, and `expired` fires', async () => {
    const ctx = await api(() => json(401, null, { 'www-authenticate': INVALID }))
    ctx.server.refresh = () => json(401, { error: 'invalid_grant' })
    const res = await ctx.session.fetch(`${ORIGIN}/api/x`)
    assert.equal(res.status, 401)
    assert.equal(ctx.server.count('/api/x'), 1)
    assert.deepEqual(ctx.log, ['change:login', 'change:expired', 'expired'])
    ctx.session.close()
  })

  test('the token is only sent to apiOrigins', async () => {
    const { server, session } = await api((call) => json(200, { auth: call.headers.authorization ?? null }))
    const res = await session.fetch('https://third-party.example/api/track')
    assert.deepEqual(await res.json(), { auth: null })
    const own = await session.fetch(`${ORIGIN}/api/me`)
    assert.deepEqual(await own.json(), { auth: `Bearer ${session.token}` })
    session.close()
  })
})

// ================================================================ login, logout, events

describe('login, logout and the order of events', () => {
  test('login → refresh → logout: change:login, change:refresh, refresh, change:logout, logout', async () => {
    const w = world()
    const t = tab(w)
    const claims = await t.session.login('alice', 'correct horse')
    assert.equal(claims.sub, 'u1')
    assert.deepEqual(t.session.claims, claims)
    await w.time.advance(837_500)
    const result = await t.session.logout()
    assert.deepEqual(result, { revoked: true })
    assert.deepEqual(t.log, ['change:login', 'change:refresh', 'refresh', 'change:logout', 'logout'])
    assert.deepEqual(
      t.details.map((d) => d.detail.token === undefined ? d.type : typeof d.detail.token),
      ['string', 'string', 'string', 'object', 'logout'],
    )
    assert.deepEqual(t.detail('logout'), [{ source: 'local', revoked: true }])
    assert.equal(t.session.token, null)
    assert.equal(t.storage.map.has(TOKEN_KEY), false)
    t.session.close()
  })

  test('the login request: JSON { login, password }, the CSRF header; refresh and logout: POST, the CSRF header, no body', async () => {
    const w = world()
    const t = tab(w)
    await t.session.login('alice', 'pw')
    await t.session.refresh()
    await t.session.logout()
    const [login, refresh, logout] = w.server.calls
    assert.equal(login.method, 'POST')
    assert.equal(login.headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(login.body), { login: 'alice', password: 'pw' })
    for (const c of [login, refresh, logout]) assert.equal(c.headers['x-requested-with'], 'jwt-wasm')
    assert.deepEqual([refresh.method, refresh.body, logout.method, logout.body], ['POST', '', 'POST', ''])
    t.session.close()
  })

  test('login refused (401), throttled (429), unreachable: SessionError ERR_SESSION_LOGIN_FAILED with status', async () => {
    const w = world()
    const t = tab(w)
    w.server.login = () => json(401, { error: 'invalid_grant' })
    await assert.rejects(t.session.login('alice', 'wrong'), (e) => e instanceof SessionError && e.code === 'ERR_SESSION_LOGIN_FAILED' && e.status === 401 && e.error === 'invalid_grant')
    w.server.login = () => json(429, { error: 'too_many_requests' }, { 'retry-after': '900' })
    await assert.rejects(t.session.login('alice', 'wrong'), (e) => e.status === 429 && e.retryAfter === 900)
    w.server.login = () => {
      throw new TypeError('fetch failed')
    }
    await assert.rejects(t.session.login('alice', 'pw'), (e) => e.code === 'ERR_SESSION_LOGIN_FAILED' && e.status === 0 && e.reason === 'network')
    assert.equal(t.session.token, null)
    assert.deepEqual(t.log, [])
    t.session.close()
  })

  test('logout when the endpoint fails: the local session ends anyway; revoked false and an error event', async () => {
    const { server, session, log, detail } = await loggedIn()
    server.logout = () => json(503, { error: 'temporarily_unavailable' })
    assert.deepEqual(await session.logout(), { revoked: false })
    assert.equal(session.token, null)
    assert.deepEqual(log, ['change:login', 'change:logout', 'logout', 'error'])
    assert.equal(detail('error')[0].error.code, 'ERR_SESSION_LOGOUT_FAILED')
    assert.equal(detail('error')[0].error.status, 503)
    assert.equal(await session.resume(), false, 'no silent log-in again after a logout')
    session.close()
  })

  test('a custom refresh function: its result is used; null ends the session; other throws are retried', async () => {
    const w = world()
    let mode = 'ok'
    let calls = 0
    const t = tab(w, {
      options: {
        refresh: async ({ signal }) => {
          calls++
          assert.ok(signal instanceof AbortSignal)
          if (mode === 'throw' && calls === 1) throw new Error('boom')
          if (mode === 'gone') return null
          return { access_token: w.server.mint(), expires_in: 900 }
        },
      },
    })
    assert.equal(await t.session.resume(), true)
    mode = 'throw'
    calls = 0
    const r = t.session.refresh()
    await w.time.advance(1000)
    assert.equal(typeof (await r), 'string')
    assert.equal(calls, 2)
    mode = 'gone'
    await assert.rejects(t.session.refresh(), (e) => e.code === 'ERR_SESSION_EXPIRED')
    assert.deepEqual(t.log.slice(-2), ['change:expired', 'expired'])
    t.session.close()
  })

  test('options are checked: unknown names and bad values throw TypeError ERR_INVALID_OPTIONS', () => {
    for (const bad of [
      { refreshBefor: 60 },
      { refresh: () => null, refreshUrl: '/x' },
      { refreshBefore: -1 },
      { retry: { attempts: 0 } },
      { retry: { tries: 3 } },
      { timeout: 0 },
      { csrfHeader: { name: 'bad header', value: 'x' } },
      { apiOrigins: ['https://a.example/path'] },
      { storage: {} },
      { locks: {} },
    ]) {
      assert.throws(
        () => createSession({ channel: null, events: null, storage: null, ...bad }),
        (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS',
        JSON.stringify(bad),
      )
    }
  })

  test('importing jwt-wasm/session touches no browser global (SSR-safe)', () => {
    const code = `
      for (const name of ['sessionStorage', 'localStorage', 'navigator', 'window', 'document', 'location', 'BroadcastChannel']) {
        Object.defineProperty(globalThis, name, { configurable: true, get() { throw new Error('touched ' + name) } })
      }
      const m = await import('jwt-wasm/session')
      console.log(typeof m.createSession, typeof m.SessionError)`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: process.cwd(), encoding: 'utf8' })
    assert.equal(out.trim(), 'function function')
  })
})

// ================================================================ tabs

describe('tabs: one refresh across tabs, a rotated refresh token never presented twice', () => {
  /** Two tabs of one origin, both holding the token A logged in with. */
  async function twoTabs({ locks = true, delay = 200, lag } = {}) {
    const w = world({ locks, bus: true, lag })
    w.server.delay = delay
    const a = tab(w, { name: 'A' })
    const b = tab(w, { name: 'B' })
    const login = a.session.login('alice', 'pw')
    await w.time.advance(delay)
    await login
    await w.time.flush()
    return { ...w, a, b }
  }

  test('a login in one tab reaches the other (change:broadcast), which stores it in its own storage', async () => {
    const { a, b } = await twoTabs()
    assert.equal(b.session.token, a.session.token)
    assert.equal(b.storage.map.get(TOKEN_KEY), a.session.token)
    assert.deepEqual(b.log, ['change:broadcast'])
    assert.equal(a.session.mode.coordination, 'locks')
    a.session.close()
    b.session.close()
  })

  test('both tabs due at the same instant: one refresh; the waiting tab re-checks inside the lock and adopts', async () => {
    const { time, server, locks, a, b } = await twoTabs()
    assert.equal(a.session.timing.refreshAt, b.session.timing.refreshAt)
    await time.advance(837_500 - 200)
    await time.advance(1000)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    assert.equal(a.session.token, b.session.token)
    assert.ok(locks.grants.length >= 2, 'both took the lock')
    assert.deepEqual(a.log, ['change:login', 'change:refresh', 'refresh'])
    assert.deepEqual(b.log, ['change:broadcast', 'change:broadcast'])
    a.session.close()
    b.session.close()
  })

  test('the lock is granted before the new token arrives on the channel: the waiting tab waits for it, one refresh', async () => {
    // Seen in Chromium: the lock grant and the BroadcastChannel message travel separately, so
    // the next holder may get the lock first. The holder announced `refreshing`; the next one
    // waits (bounded) for its `refreshed` before the double check.
    const { time, server, a, b } = await twoTabs({ lag: { types: ['token', 'refreshed'], ms: 20 } })
    await time.advance(837_500 - 200)
    await time.advance(1000)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    assert.equal(a.session.token, b.session.token)
    a.session.close()
    b.session.close()
  })

  test('100 getToken() in each of two tabs after a sleep: one refresh', async () => {
    const { time, server, a, b } = await twoTabs()
    time.sleep(20 * MIN)
    const all = Promise.all([...Array.from({ length: 100 }, () => a.session.getToken()), ...Array.from({ length: 100 }, () => b.session.getToken())])
    await time.advance(1000)
    const tokens = await all
    assert.equal(new Set(tokens).size, 1)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    a.session.close()
    b.session.close()
  })

  test('control: with no coordination at all, the same race presents a rotated refresh token twice', async () => {
    const w = world({ locks: false, bus: false })
    w.server.delay = 200
    const a = tab(w, { name: 'A' })
    const b = tab(w, { name: 'B' })
    const resumed = a.session.resume() // one refresh: rt-0 → rt-1
    await w.time.advance(200)
    assert.equal(await resumed, true)
    const resumedB = b.session.resume() // rt-1 → rt-2, one after the other: fine
    await w.time.advance(200)
    assert.equal(await resumedB, true)
    w.time.sleep(20 * MIN)
    const both = Promise.all([a.session.refresh().catch((e) => e.code), b.session.refresh().catch((e) => e.code)])
    await w.time.advance(200)
    const results = await both
    assert.equal(w.server.reuse, 1, 'the server saw the same refresh token twice')
    assert.ok(results.includes('ERR_SESSION_EXPIRED'))
    assert.equal(a.session.mode.coordination, 'none')
    a.session.close()
    b.session.close()
  })

  test('logout in one tab clears every tab', async () => {
    const { server, a, b } = await twoTabs({ delay: 0 })
    await a.session.logout()
    await new Promise((r) => setImmediate(r))
    assert.equal(b.session.token, null)
    assert.equal(b.storage.map.has(TOKEN_KEY), false)
    assert.deepEqual(b.log, ['change:broadcast', 'change:logout', 'logout'])
    assert.deepEqual(b.detail('logout'), [{ source: 'broadcast', revoked: null }])
    assert.equal(server.count('/auth/logout'), 1, 'only the tab that logged out calls the endpoint')
    a.session.close()
    b.session.close()
  })

  test('after a logout, only a login (not a stray refresh) brings the other tab back', async () => {
    const { bus, server, a, b } = await twoTabs({ delay: 0 })
    await a.session.logout()
    await new Promise((r) => setImmediate(r))
    const stray = bus.open('jwt-wasm')
    stray.postMessage({ v: 1, type: 'token', from: 'someone', tab: 'x', token: server.mint(), skew: 0, reason: 'refresh' })
    await new Promise((r) => setImmediate(r))
    assert.equal(b.session.token, null)
    await a.session.login('alice', 'pw')
    await new Promise((r) => setImmediate(r))
    assert.equal(b.session.token, a.session.token)
    stray.close()
    a.session.close()
    b.session.close()
  })

  test('a refresh token found dead in one tab ends the session in every tab holding that token', async () => {
    const { time, server, a, b } = await twoTabs({ delay: 0 })
    server.refresh = () => json(401, { error: 'invalid_grant' })
    await time.advance(837_500)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(a.session.token, null)
    assert.equal(b.session.token, null)
    assert.deepEqual(b.log, ['change:broadcast', 'change:expired', 'expired'])
    assert.equal(b.detail('expired')[0].reason, 'broadcast')
    a.session.close()
    b.session.close()
  })

  test('no Web Locks: a BroadcastChannel lease serialises the tabs (and a warning says so)', async () => {
    const { time, server, a, b } = await twoTabs({ locks: false })
    assert.equal(a.session.mode.coordination, 'broadcast-lease')
    const warnings = a.detail('warning')
    assert.equal(warnings.length, 1)
    assert.equal(warnings[0].code, 'locks_unavailable')
    assert.equal(warnings[0].coordination, 'broadcast-lease')
    // Both start a refresh in the same tick: their lease announcements cross; one backs off.
    const both = Promise.all([a.session.refresh(), b.session.refresh()])
    await time.advance(2000)
    const [ta, tb] = await both
    assert.equal(ta, tb)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    a.session.close()
    b.session.close()
  })
})

// ================================================================ duplicated tabs

describe('a duplicated tab (sessionStorage copied) is recognised and does not race its parent', () => {
  test('the copy finds its id alive in another tab: it takes a new id and remembers its parent', async () => {
    const w = world({ bus: true })
    const a = tab(w, { name: 'A' })
    await a.session.login('alice', 'pw')
    const parentId = a.session.tab.id
    w.time.sleep(-5000) // the wall clock steps back (NTP): the copy even looks older than its parent
    const copy = memoryStorage(a.storage.map) // what window.open / "Duplicate tab" does
    const b = tab(w, { name: 'B', storage: copy })
    assert.equal(b.session.tab.id, parentId, 'starts with the copied id')
    await w.time.flush()
    assert.equal(b.session.tab.duplicateOf, parentId)
    assert.notEqual(b.session.tab.id, parentId)
    assert.equal(copy.map.get(TAB_KEY), b.session.tab.id)
    assert.equal(a.storage.map.get(TAB_KEY), parentId, 'the parent keeps its id')
    assert.equal(a.session.tab.duplicateOf, null)
    assert.equal(b.session.token, a.session.token)
    a.session.close()
    b.session.close()
  })

  test('two tabs restored at once with the same id (neither established): the one that started first keeps it', async () => {
    const w = world({ bus: true })
    const shared = [[TAB_KEY, 'e'.repeat(32)]]
    const first = tab(w, { name: 'A', storage: memoryStorage(shared) })
    await w.time.advance(10)
    const second = tab(w, { name: 'B', storage: memoryStorage(shared) })
    await w.time.advance(200)
    assert.deepEqual(first.session.tab, { id: 'e'.repeat(32), duplicateOf: null })
    assert.equal(second.session.tab.duplicateOf, 'e'.repeat(32))
    assert.notEqual(second.session.tab.id, 'e'.repeat(32))
    first.session.close()
    second.session.close()
  })

  test('a parent that answers late (after the copy finished its handshake) still makes it a copy', async () => {
    const w = world({ bus: true })
    const a = tab(w, { name: 'A' })
    await a.session.login('alice', 'pw')
    const parentId = a.session.tab.id
    await w.time.advance(1000) // the duplicate opens a second later
    // The parent is busy: B's hello reaches it late.
    const channels = w.bus
    const late = []
    const b = tab({ ...w, bus: { open: (name) => {
      const ch = channels.open(name)
      const post = ch.postMessage
      ch.postMessage = (m) => (m.type === 'hello' ? late.push(() => post(m)) : post(m))
      return ch
    } } }, { name: 'B', storage: memoryStorage(a.storage.map) })
    await w.time.advance(200) // the handshake times out: B believes it owns the id
    assert.equal(b.session.tab.duplicateOf, null)
    late.forEach((send) => send()) // the parent finally hears B's hello and answers
    await w.time.flush()
    assert.equal(b.session.tab.duplicateOf, parentId)
    assert.notEqual(b.session.tab.id, parentId)
    assert.equal(a.session.tab.id, parentId)
    a.session.close()
    b.session.close()
  })

  test('a reload (the id found, nobody else has it) keeps its id', async () => {
    const w = world({ bus: true })
    const storage = memoryStorage([[TAB_KEY, 'f'.repeat(32)]])
    const t = tab(w, { storage })
    await w.time.advance(200)
    assert.deepEqual(t.session.tab, { id: 'f'.repeat(32), duplicateOf: null })
    t.session.close()
  })

  test('a copy with a due token waits for its parent to refresh and adopts the result: one refresh, by the parent', async () => {
    const w = world({ bus: true })
    w.server.delay = 300
    const a = tab(w, { name: 'A' })
    const login = a.session.login('alice', 'pw')
    await w.time.advance(300)
    await login
    w.time.sleep(20 * MIN) // the parent is asleep in the background; its token expired
    const b = tab(w, { name: 'B', storage: memoryStorage(a.storage.map) })
    const resumed = b.session.resume()
    await w.time.advance(1000)
    assert.equal(await resumed, true)
    assert.equal(w.server.count('/auth/refresh'), 1)
    assert.equal(w.server.count('/auth/refresh', 'A'), 1, 'the parent refreshed, the copy did not')
    assert.equal(b.session.token, a.session.token)
    assert.equal(w.server.reuse, 0)
    a.session.close()
    b.session.close()
  })
})
