// jwt-wasm/session, one tab: when a refresh happens. The refresh point in server time (skew from
// the answer's Date and the token's iat, jitter, half the lifetime at most), timers capped at 30 s,
// and a tab that slept or was throttled catching up at once (page events, the next tick,
// getToken itself). Time is injected (../support/fake-env.mjs).
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { T0, signer, TOKEN_KEY, MIN, memoryStorage, tab, world, loggedIn, exp } from './harness.mjs'

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
    assert.ok(
      seen.every((d) => d > 0 && d <= 30_000),
      `timer delays: ${seen}`,
    )
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
    assert.deepEqual(
      log.filter((l) => l.startsWith('warning')),
      ['warning:clock_skew'],
    )
    assert.equal(detail('warning')[0].skew, -600_000)
    session.close()
  })

  test('skew: Date wins when a stale iat disagrees with it; iat alone when there is no Date', async () => {
    const w = world()
    w.server.skew = 120_000
    // A token minted 10 minutes earlier than the answer (e.g. a cached answer): iat disagrees.
    w.server.login = () =>
      w.server.tokenAnswer(signer.sign({ sub: 'u1' }, { currentDate: new Date(w.server.now() - 600_000), ttl: 3600 }))
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
