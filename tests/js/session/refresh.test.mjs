// jwt-wasm/session, one tab: the refresh round. Retries with exponential backoff and bounded
// jitter, Retry-After, timeouts through the AbortSignal, offline waits, definitive 401 and 400
// invalid_grant, unusable answers; one refresh at a time for every caller; resume() on page load;
// a custom options.refresh. Time is injected (../support/fake-env.mjs).
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { SessionError } from 'jwt-wasm/session'
import { T0, ORIGIN, signer, TOKEN_KEY, MIN, json, memoryStorage, tab, world, loggedIn, exp } from './harness.mjs'

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
    const { time, server, session, log, detail } = await failing(Array(50).fill(500), {
      retry: { attempts: 5, baseDelay: 1, maxDelay: 3 },
    })
    time.sleep(20 * MIN) // expired: getToken must wait for the round
    const pending = session.getToken()
    pending.catch(() => {})
    await time.advance(9000) // attempts at 0, 1, 3, 6, 9 s
    await assert.rejects(
      pending,
      (e) =>
        e instanceof SessionError && e.code === 'ERR_SESSION_REFRESH_FAILED' && e.status === 500 && e.attempts === 5,
    )
    assert.equal(server.count('/auth/refresh'), 5)
    assert.deepEqual(gaps(server), [1000, 2000, 3000, 3000])
    assert.deepEqual(
      log.filter((l) => l === 'error'),
      ['error'],
    )
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
    const { time, server, session } = await failing([
      json(503, { error: 'temporarily_unavailable' }, { 'retry-after': '7' }),
    ])
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
    const { time, server, session } = await failing([
      new Response('<html>sign in to the Wi-Fi</html>', { status: 200 }),
      json(200, { access_token: 'not.a.jwt' }),
    ])
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
      if (locks)
        assert.equal(w.locks.grants.length - grants, 1, 'one shared promise: the lock is asked for once, not 100 times')
      session.close()
    })
  }

  test('getToken, refresh(), resume() and fetch racing share the same refresh', async () => {
    const w = world()
    w.server.delay = 500
    w.server.api = (call) => json(200, { auth: call.headers.authorization })
    const { time, server, session } = await loggedIn({ w })
    time.sleep(20 * MIN)
    const all = Promise.all([
      session.getToken(),
      session.refresh(),
      session.resume(),
      session.fetch(`${ORIGIN}/api/me`),
    ])
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
    await assert.rejects(
      resumed,
      (e) => e.code === 'ERR_SESSION_REFRESH_FAILED' && e.reason === 'network' && e.status === 0,
    )
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

// ================================================================ options.refresh

describe('options.refresh: a custom refresh function instead of refreshUrl', () => {
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

  test('a custom refresh function that throws 400 invalid_grant (as authRoutes answers) or 401 ends the session; 400 invalid_request is retried', async () => {
    for (const [thrown, dead] of [
      [{ status: 400, error: 'invalid_grant' }, true],
      [{ status: 401 }, true],
      [{ status: 400, error: 'invalid_request' }, false],
    ]) {
      const w = world()
      let calls = 0
      const t = tab(w, {
        options: {
          refresh: async () => {
            calls++
            if (calls === 2) throw Object.assign(new Error('refused'), thrown)
            return { access_token: w.server.mint(), expires_in: 900 }
          },
        },
      })
      assert.equal(await t.session.resume(), true)
      const r = t.session.refresh()
      if (dead) {
        await assert.rejects(r, (e) => e.code === 'ERR_SESSION_EXPIRED' && e.status === thrown.status)
        assert.deepEqual(t.log.slice(-2), ['change:expired', 'expired'], JSON.stringify(thrown))
        assert.equal(calls, 2, 'never retried')
      } else {
        await w.time.advance(1000)
        assert.equal(typeof (await r), 'string')
        assert.equal(calls, 3, 'retried')
      }
      t.session.close()
    }
  })
})
