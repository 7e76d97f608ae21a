// jwt-wasm/session against the edge's grace window (issue 9 item 8): once a refresh attempt went
// unanswered (timed out: the edge may have rotated and the answer been lost), no retry goes out
// later than `refreshDeadline` (default 25 s, within the edge's 30 s `graceSeconds` less 5 s of
// transit) after it, the last wait shortened to fit; a round that ends so leaves the refresh token
// possibly spent, which is never presented again: the access token serves while usable, then the
// session ends (`expired`, reason `unanswered`). Options that could never retry in time throw.
// Time is injected (../support/fake-env.mjs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createSession, SessionError } from 'jwt-wasm/session'
import { T0, TOKEN_KEY, json, loggedIn, tab, world } from './harness.mjs'

/** Logged in; the refresh endpoint answers `answers` in turn ('hang': never), then tokens. */
async function refreshing(answers, options = {}) {
  const ctx = await loggedIn({ options })
  let n = 0
  ctx.server.refresh = () => {
    const a = answers[n++]
    if (a === undefined) return ctx.server.rotate()
    if (a === 'hang') return new Promise(() => {})
    return json(a, { error: 'temporarily_unavailable' })
  }
  const sent = () => ctx.server.calls.filter((c) => c.path === '/auth/refresh').map((c) => c.at - T0)
  return { ...ctx, sent }
}

const REFRESH_AT = 837_500 // exp − 60 s − 2.5 s of jitter (random 0.5) after a login at T0

test('item 8: options: refreshDeadline is positive seconds; a timeout that leaves no retry inside it throws', () => {
  const make = (o) => createSession({ channel: null, events: null, storage: null, ...o })
  for (const bad of [
    { refreshDeadline: 0 },
    { refreshDeadline: -1 },
    { refreshDeadline: '25' },
    { timeout: 25 }, // the default deadline is 25 s
    { timeout: 10, refreshDeadline: 10 },
  ]) {
    assert.throws(
      () => make(bad),
      (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS',
      JSON.stringify(bad),
    )
  }
  assert.throws(() => make({ timeout: 30 }), /graceSeconds/, 'the error names the edge option to raise with it')
  make({ timeout: 30, retry: { attempts: 1 } }).close() // no retry asked for: nothing contradicts
  make({ timeout: 10, refreshDeadline: 55 }).close()
})

test('item 8: a slow edge: after a timed-out attempt the retries go out within 25 s of it (0, 6, 13, 22 s), then no more', async () => {
  const { time, session, sent, log, detail } = await refreshing(Array(50).fill('hang'))
  await time.advance(REFRESH_AT)
  await time.advance(40_000)
  // timeout 5 s, backoff 1, 2, 4 s; the fifth would go out at 35 s, past 0 + 25 s.
  assert.deepEqual(
    sent().map((t) => t - REFRESH_AT),
    [0, 6000, 13_000, 22_000],
  )
  const [{ error, attempts }] = detail('error')
  assert.equal(attempts, 4)
  assert.equal(error.code, 'ERR_SESSION_REFRESH_FAILED')
  assert.equal(error.reason, 'timeout')
  assert.ok(session.token, 'no logout: the access token is still valid')
  assert.equal(await session.getToken(), session.token)
  assert.deepEqual(log, ['change:login', 'error'])
})

test('item 8: the refresh token of such a round is never presented again; when the access token runs out the session ends cleanly', async () => {
  const { time, session, sent, log, detail, events } = await refreshing(Array(50).fill('hang'))
  await time.advance(REFRESH_AT + 40_000)
  assert.equal(sent().length, 4)
  // Later rounds (after maxDelay, on `online`, asked for) would present a possibly spent token
  // past the edge's grace window: reuse, the family revoked. None goes out.
  events.dispatchEvent(new Event('online'))
  await time.advance(10_000)
  await assert.rejects(session.refresh(), (e) => e instanceof SessionError && e.code === 'ERR_SESSION_REFRESH_FAILED')
  assert.equal(sent().length, 4)
  assert.ok(session.token)
  // At expiresAt − 5 s (900 − 5 s after login) the session ends by itself.
  await time.advance(895_000 - (time.now - T0) - 1)
  assert.ok(session.token)
  await time.advance(1)
  assert.equal(session.token, null)
  assert.equal(sent().length, 4, 'still never presented again')
  assert.deepEqual(log.slice(-2), ['change:expired', 'expired'])
  const [{ reason, error }] = detail('expired')
  assert.equal(reason, 'unanswered')
  assert.equal(error.code, 'ERR_SESSION_EXPIRED')
  assert.equal(await session.getToken(), null)
  session.close()
})

test('item 8: the last wait is shortened to the deadline (refreshDeadline 10: 0 timed out, 6, 8, then 10 instead of 12)', async () => {
  const { time, session, sent, log } = await refreshing(['hang', 503, 503], { refreshDeadline: 10 })
  await time.advance(REFRESH_AT)
  await time.advance(20_000)
  assert.deepEqual(
    sent().map((t) => t - REFRESH_AT),
    [0, 6000, 8000, 10_000],
  )
  assert.deepEqual(log, ['change:login', 'change:refresh', 'refresh'], 'the retry at 10 s got the token')
  session.close()
})

test('item 8: without an unanswered attempt (5xx, network errors) no deadline applies and the next round comes as usual', async () => {
  const { time, session, sent } = await refreshing([503, 503, 503, 503, 503], { timeout: 1, refreshDeadline: 2 })
  await time.advance(REFRESH_AT + 15_000)
  assert.deepEqual(
    sent().map((t) => t - REFRESH_AT),
    [0, 1000, 3000, 7000, 15_000],
  )
  await time.advance(60_000)
  assert.equal(sent().length, 6, 'a new round maxDelay after the failed one')
  session.close()
})

test('item 8: a reload of the tab keeps the mark: the restored token serves, its refresh token is still never presented', async () => {
  const ctx = await refreshing(Array(50).fill('hang'))
  await ctx.time.advance(REFRESH_AT + 40_000)
  assert.equal(ctx.sent().length, 4)
  const token = ctx.session.token
  assert.equal(ctx.storage.getItem(`${TOKEN_KEY}:unanswered`), `${token} ${T0 + REFRESH_AT}`)
  ctx.session.close()
  const reloaded = tab(ctx, { storage: ctx.storage })
  assert.equal(await reloaded.session.resume(), true)
  assert.equal(reloaded.session.token, token)
  await ctx.time.advance(895_000 - (ctx.time.now - T0))
  assert.equal(ctx.sent().length, 4, 'not presented after the reload either')
  assert.equal(reloaded.session.token, null)
  assert.deepEqual(reloaded.log, ['change:expired', 'expired'])
  assert.equal(ctx.storage.getItem(`${TOKEN_KEY}:unanswered`), null, 'the mark goes with the token')
  reloaded.session.close()
})

test('item 8: a new token (a login, another tab) clears the mark', async () => {
  const ctx = await refreshing(Array(4).fill('hang'))
  await ctx.time.advance(REFRESH_AT + 40_000)
  assert.ok(ctx.storage.getItem(`${TOKEN_KEY}:unanswered`))
  await ctx.session.login('alice', 'pw')
  assert.equal(ctx.storage.getItem(`${TOKEN_KEY}:unanswered`), null)
  await ctx.session.refresh()
  assert.equal(ctx.sent().length, 5, 'refreshes again')
  ctx.session.close()
})

test('item 8: tabs share the deadline (they share the refresh cookie): no tab sends past 25 s after the first unanswered attempt', async () => {
  const w = world({ bus: true })
  const a = tab(w, { name: 'A' })
  const b = tab(w, { name: 'B', options: { random: () => 0.9 } }) // refreshes 2 s before A
  await a.session.login('alice', 'pw')
  await w.time.flush()
  assert.equal(b.session.token, a.session.token)
  w.server.refresh = () => new Promise(() => {}) // a slow store: nothing answers in time
  const sent = () => w.server.calls.filter((c) => c.path === '/auth/refresh')
  await w.time.advance(900_000 - 2 * 60_000)
  await w.time.advance(2 * 60_000 - 6000)
  const first = sent()[0].at
  assert.ok(sent().length >= 2)
  assert.ok(new Set(sent().map((c) => c.tab)).size === 2, 'both tabs tried')
  assert.ok(
    sent().every((c) => c.at <= first + 25_000),
    `every attempt within 25 s of the first: ${sent().map((c) => `${c.tab}@${c.at - first}`)}`,
  )
  const n = sent().length
  await w.time.advance(6000) // both tokens run out
  assert.equal(sent().length, n, 'never presented again, by either tab')
  assert.equal(a.session.token, null)
  assert.equal(b.session.token, null)
  assert.equal(a.detail('expired')[0]?.reason ?? b.detail('expired')[0]?.reason, 'unanswered')
  a.session.close()
  b.session.close()
})
