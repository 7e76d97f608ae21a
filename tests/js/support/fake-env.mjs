// The one fake browser environment of the session tests: a wall clock and timers that only move
// when told, Web Storage, Web Locks, a BroadcastChannel bus, page events, and an auth server
// answering `fetch` in process. Everything is injected through createSession's options; no
// global is patched.
import assert from 'node:assert/strict'

/** 2026-01-01T00:00:00Z, ms: where every fake clock starts unless told otherwise. */
export const T0 = 1_767_225_600_000

// ---------------------------------------------------------------- clock and timers

/**
 * A wall clock and timers that only move when told. `advance(ms)` runs due timers in order
 * (moving the clock to each one) and drains promises between them; `sleep(ms)` is a machine
 * that slept: the wall clock jumps and pending timers are pushed back by as much (monotonic
 * timers do not run during sleep), so nothing fires by itself.
 *
 * `idle()`: when the code under test does real asynchronous work (the edge's WebCrypto runs on
 * the thread pool), time only moves once it says nothing is being handled, so a fake timeout
 * never fires because real work was slow.
 * @param {number} [start]
 * @param {{ idle?: () => boolean }} [options]
 */
export function fakeTime(start = T0, { idle = () => true } = {}) {
  let now = start
  let seq = 0
  const timers = new Map()
  const flush = async () => {
    for (let i = 0; i < 12 || !idle(); i++) {
      if (i > 100_000) throw new Error('the code under test never became idle')
      await new Promise((resolve) => setImmediate(resolve))
    }
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
        for (const t of timers.values())
          if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t
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

// ---------------------------------------------------------------- storage, locks, channel, page

/** Web Storage over a Map (`map` is exposed to look inside). */
export function memoryStorage(entries) {
  const map = new Map(entries)
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
  }
}

/** navigator.locks-like: one FIFO exclusive lock per name; `grants` lists every lock granted. */
export function fakeLocks() {
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

/**
 * BroadcastChannel-like objects on one bus: a message reaches every other open member of the
 * same name, asynchronously, as a structured clone. `lag` ({ types, ms, timers }): messages of
 * these types travel `ms` slower (on the fake timers) than a lock grant, as they may in a browser.
 * `sent` lists every message posted.
 */
export function channelBus(lag) {
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

/** What `options.events` listens to (`visibilitychange`, `pageshow`, `focus`, `online`): fire with dispatchEvent. */
export const pageEvents = () => new EventTarget()

// ---------------------------------------------------------------- fetch: an auth server

/** A JSON answer (`body` null: no body). */
export const json = (status, body, headers = {}) =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

/**
 * The server side, in process, as `fetch` functions: `/auth/login`, `/auth/refresh` (a rotating
 * refresh token in a cookie jar shared by every tab; a rotated one presented again is reuse:
 * 400 `invalid_grant`, as authRoutes answers), `/auth/logout`, and `/api/*` through `api`. `skew` is how far the server clock is ahead
 * of the client's; `delay` (ms, on the fake timers) delays refresh answers; `refresh`, `login`,
 * `logout` and `api` (set to a function of the call) override a route. Tokens are minted with
 * `signer` (a jwt-wasm Signer); relative URLs resolve against `origin`.
 */
export function fakeAuthServer(time, { signer, origin }) {
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
  s.tokenAnswer = (token = s.mint()) =>
    json(200, { access_token: token, token_type: 'Bearer', expires_in: s.ttl }, s.dateHeader())
  s.count = (path, tab) => s.calls.filter((c) => c.path === path && (tab === undefined || c.tab === tab)).length
  s.wait = (ms) => new Promise((resolve) => time.timers.setTimeout(resolve, ms))
  s.rotate = async () => {
    const presented = s.jar.rt // the cookie the browser sends with this request
    if (s.delay) await s.wait(s.delay)
    if (presented !== s.current) {
      s.reuse++
      return json(400, { error: 'invalid_grant' })
    }
    s.current = `rt-${++s.generation}`
    s.jar.rt = s.current // Set-Cookie, stored before the response reaches the page
    return s.tokenAnswer()
  }
  s.fetchFor = (tab) => async (input, init) => {
    const req = input instanceof Request ? input : new Request(new URL(String(input), origin), init)
    const path = new URL(req.url).pathname
    const call = {
      tab,
      path,
      method: req.method,
      at: time.now,
      headers: Object.fromEntries(req.headers),
      body: await req.text(),
      signal: init?.signal ?? req.signal,
    }
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
