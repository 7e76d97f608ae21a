// jwt-wasm/session end to end, in real Chromium against the real auth API on real workerd.
//
// The server: tests/e2e/worker.js (authRoutes of jwt-wasm/edge on a Durable Object store,
// rotation with reuse detection and the 30 s grace window, a guarded GET /api/me, test-only
// counters at GET /__stats) bundled like wrangler and run by miniflare on 127.0.0.1; the page
// (tests/e2e/page, bundled with esbuild's `browser` condition, the core's .wasm beside it) is
// served by the platform's static assets. Access tokens live ACCESS_TTL = 8 s, so they expire
// during the test; the page's sessions refresh 3 s (jitter 1 s) before expiry.
//
// The browser: Debian's Chromium, headless, driven by playwright-core. Each scenario gets a
// fresh browser context (its own cookie jar, storage, BroadcastChannels and Web Locks); the
// tabs of one scenario are pages of that context at http://localhost:<port> (a secure
// context, so the `Secure` refresh cookie, `__Host-jwt_rt` with Path=/, is stored and
// navigator.locks exists).
//
// Every scenario asserts the server's counters: how many refresh requests reached the server,
// what the store answered (rotated / grace / reuse), and that every tab ends with a token the
// guarded API accepts.
import assert from 'node:assert/strict'
import {
  TOKEN_KEY,
  sleep,
  waitFor,
  stats,
  claims,
  openTab,
  firstTab,
  watch,
  ready,
  token,
  stored,
  events,
  eventCount,
  login,
  apiMe,
  commonExpiry,
  nextExpiry,
  oneToken,
  assertOneRefresh,
  assertAllValid,
  assertNoAlarm,
  scenario,
  note,
} from './harness.mjs'
// ---------------------------------------------------------------------------------------------
// Scenarios

scenario(
  'three tabs whose tokens expire together: exactly one refresh request, no reuse, every tab ends with the same valid token',
  40_000,
  async (context, t) => {
    // No jitter: the three refresh points fall as close together as the tabs' skew estimates allow.
    const query = '&jitter=0'
    const a = await firstTab(context, { query })
    assert.equal(await login(a), true)
    const b = await openTab(context, 'B', { query })
    const c = await openTab(context, 'C', { query })
    const tabs = [a, b, c]
    const exp = await waitFor('the three tabs to hold tokens that expire together', () => commonExpiry(tabs))
    const setup = await stats(true)
    const since = Date.now()
    const seen = await Promise.all(tabs.map(eventCount))
    note(t, 'setup (login in A, B and C resume)', setup)
    assertNoAlarm(setup, 'setup')
    assert.equal(setup.login, 1)

    // One expiry for all three: the next token is the one refresh of this cycle.
    await nextExpiry('the three tabs to hold the next token', tabs, exp)
    await sleep(500) // a racing second refresh would be on the server's log by now
    const cycle = await stats(true)
    note(t, 'one expiry', cycle)
    assertNoAlarm(cycle, 'one expiry')
    await assertOneRefresh(cycle, 'one expiry of three tabs', tabs, since)
    const t1 = await oneToken(tabs)
    assert.equal(cycle.rotate.rotated, 1)
    assert.ok(claims(t1).exp > exp)
    await assertAllValid(tabs)
    for (const [i, p] of tabs.entries()) {
      const types = await events(p, seen[i])
      assert.ok(
        !types.includes('expired') && !types.includes('logout') && !types.includes('error'),
        `${p.url()}: events since the setup: ${types}`,
      )
    }
  },
)

scenario(
  'three background tabs past expiry come back at the same moment: exactly one refresh request, no reuse',
  40_000,
  async (context, t) => {
    const a = await firstTab(context)
    assert.equal(await login(a), true)
    const b = await openTab(context, 'B')
    const c = await openTab(context, 'C')
    const tabs = [a, b, c]
    const exp = await waitFor('the three tabs to hold tokens that expire together', () => commonExpiry(tabs))
    note(t, 'setup', await stats(true))
    for (const p of tabs) await p.evaluate(() => (window.__e2e.setHidden(true), window.__e2e.throttle()))
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 1_000)
    const hidden = await stats(true)
    assert.equal(hidden.refresh, 0, 'the held timers did not fire')
    // All three at once: each one sees an expired token.
    const since = Date.now()
    await Promise.all(tabs.map((p) => p.evaluate(() => (window.__e2e.unthrottle(), window.__e2e.setHidden(false)))))
    await nextExpiry('the three tabs to hold the next token', tabs, exp)
    await sleep(500) // a racing second refresh would be on the server's log by now
    const back = await stats(true)
    note(t, 'all three visible again', back)
    assertNoAlarm(back, 'all three visible again')
    await assertOneRefresh(back, 'three tabs back together', tabs, since)
    const t1 = await oneToken(tabs)
    assert.ok(claims(t1).exp * 1000 > Date.now())
    await assertAllValid(tabs)
  },
)

scenario(
  'a duplicated tab (window.open copies sessionStorage) does not race its parent: no reuse, both end valid',
  30_000,
  async (context, t) => {
    const a = await firstTab(context)
    assert.equal(await login(a), true)
    const t0 = await token(a)
    assert.ok(t0)
    const [dup] = await Promise.all([context.waitForEvent('page'), a.evaluate(() => void window.open('/?tab=A-dup'))])
    watch(dup, 'A-dup')
    assert.equal(await ready(dup), true, 'the duplicate resumed')
    const copied = await dup.evaluate(() => window.__e2e.initialStorage)
    assert.equal(copied[TOKEN_KEY], t0, "the duplicate started with a copy of its parent's sessionStorage")
    // Recognised as a copy (it found its parent's tab id, and the parent is alive): it takes a new id.
    const parent = await a.evaluate(() => window.session.tab)
    const copy = await waitFor(
      'the duplicate to recognise itself as a copy',
      () => dup.evaluate(() => (window.session.tab.duplicateOf ? window.session.tab : null)),
      { timeout: 3_000 },
    )
    assert.equal(copy.duplicateOf, parent.id)
    assert.notEqual(copy.id, parent.id)
    assert.equal(parent.duplicateOf, null)
    const opened = await stats(true)
    const since = Date.now()
    note(t, 'duplicate opened', opened)
    assertNoAlarm(opened, 'duplicate opened')
    assert.equal(opened.refresh, 0, 'the duplicate had a valid token and needed no refresh')

    await nextExpiry('both tabs to hold the next token', [a, dup], claims(t0).exp)
    await sleep(500) // a racing second refresh would be on the server's log by now
    const cycle = await stats(true)
    note(t, 'one expiry', cycle)
    assertNoAlarm(cycle, 'one expiry')
    await assertOneRefresh(cycle, 'one expiry of a tab and its duplicate', [a, dup], since)
    await oneToken([a, dup])
    await assertAllValid([a, dup])
  },
)

scenario(
  'a tab duplicated after its token expired (its timers held): one refresh for both, no reuse',
  30_000,
  async (context, t) => {
    const a = await firstTab(context)
    assert.equal(await login(a), true)
    const t0 = await token(a)
    const { exp } = claims(t0)
    await a.evaluate(() => window.__e2e.throttle())
    await sleep(Math.max(0, exp * 1000 - Date.now()) + 500)
    const hidden = await stats(true)
    assert.equal(hidden.refresh, 0, 'the held timer did not fire')
    const since = Date.now()
    const [dup] = await Promise.all([context.waitForEvent('page'), a.evaluate(() => void window.open('/?tab=A-dup'))])
    watch(dup, 'A-dup')
    await dup.waitForFunction(() => window.__e2e !== undefined, null, { timeout: 10_000 })
    assert.equal(
      (await dup.evaluate(() => window.__e2e.initialStorage))[TOKEN_KEY],
      t0,
      'the duplicate started with the expired token',
    )
    assert.equal(await ready(dup), true, 'the duplicate resumed')
    await nextExpiry('both tabs to hold the next token', [a, dup], exp, 3_000)
    await sleep(500) // a racing second refresh would be on the server's log by now
    const s = await stats(true)
    note(t, 'duplicate of an expired tab opened', s)
    assertNoAlarm(s, 'duplicate of an expired tab')
    await assertOneRefresh(s, 'a duplicate of an expired tab', [a, dup], since)
    const t1 = await oneToken([a, dup])
    assert.notEqual((await dup.evaluate(() => window.session.tab)).duplicateOf, null, 'recognised as a copy')
    assert.ok(claims(t1).exp * 1000 > Date.now())
    await assertAllValid([a, dup])
    await a.evaluate(() => window.__e2e.releaseHeld())
  },
)

scenario('logout in one tab logs out every tab', 30_000, async (context, t) => {
  const a = await firstTab(context)
  assert.equal(await login(a), true)
  const b = await openTab(context, 'B')
  const c = await openTab(context, 'C')
  const tabs = [a, b, c]
  await waitFor('the three tabs to hold tokens', () => commonExpiry(tabs))
  await stats(true)

  await b.evaluate(() => window.session.logout())
  for (const p of tabs) {
    await waitFor(`${p.url()} to be logged out`, async () => (await token(p)) === null && (await stored(p)) === null, {
      timeout: 5_000,
    })
  }
  for (const p of tabs) {
    const types = await events(p)
    assert.ok(types.includes('logout'), `${p.url()}: no logout event (${types})`)
  }
  const out = await stats(true)
  note(t, 'logout in B', out)
  assert.equal(out.logout, 1)
  assert.deepEqual(out.status.logout, { 204: 1 })
  assert.equal(out.refresh, 0, `no tab refreshed after the logout: ${JSON.stringify(out.log)}`)
  for (const p of tabs) assert.equal((await apiMe(p)).status, 401)

  // The server ended the family and the cookie is gone: a new tab cannot resume.
  const d = await openTab(context, 'D')
  assert.equal(await d.evaluate(() => window.__e2e.resumed), false)
  const after = await stats(true)
  note(t, 'a new tab after logout', after)
  assert.equal(after.rotate.rotated + after.rotate.grace, 0)
  assert.equal(after.rotate.reuse, 0)
})

scenario(
  'a reload keeps the session (sessionStorage survives it; no new login, no refresh while the token is valid)',
  20_000,
  async (context, t) => {
    const a = await firstTab(context)
    assert.equal(await login(a), true)
    const t0 = await token(a)
    assert.ok(claims(t0).exp - Date.now() / 1000 > 3.5, 'the token has time left')
    await stats(true)
    await a.reload()
    assert.equal(await ready(a), true, 'resume() after the reload')
    assert.equal(await token(a), t0)
    const s = await stats(true)
    note(t, 'reload', s)
    assert.equal(s.login, 0)
    assert.equal(s.refresh, 0)
    await assertAllValid([a])
  },
)

scenario(
  'Chromium keeps the __Host- refresh cookie on http://localhost (Secure, HttpOnly, SameSite=Strict, Path=/, no Domain) and a new tab resumes with it',
  20_000,
  async (context) => {
    const a = await firstTab(context)
    assert.equal(await login(a), true)
    const jar = await context.cookies()
    assert.deepEqual(
      jar.map(({ name, path, secure, httpOnly, sameSite }) => ({ name, path, secure, httpOnly, sameSite })),
      [{ name: '__Host-jwt_rt', path: '/', secure: true, httpOnly: true, sameSite: 'Strict' }],
    )
    assert.equal(jar[0].domain, 'localhost', 'a host-only cookie')
    await a.close()
    await stats(true)
    // No other tab to ask: the new tab's only way back is the cookie.
    const b = await openTab(context, 'B')
    assert.equal(await b.evaluate(() => window.__e2e.resumed), true, 'resumed through the cookie')
    assert.equal((await stats(true)).refresh, 1)
    await assertAllValid([b])
  },
)

/**
 * A background tab whose timers are held (see page/app.js): its refresh timer never fires, the
 * token expires; when the tab comes back, the session must refresh at once by itself.
 * `hide`/`show` make the tab background/foreground; the held timer stays held throughout, so
 * the refresh that happens is the session's reaction to the tab coming back.
 */
async function backgroundTab(context, t, { hide, show, what }) {
  const a = await firstTab(context)
  assert.equal(await login(a), true)
  const t0 = await token(a)
  const { exp } = claims(t0)
  await stats(true)
  await hide(a)
  await a.evaluate(() => window.__e2e.throttle())
  assert.ok((await a.evaluate(() => window.__e2e.held())) >= 1, 'the session had a timer pending (its refresh)')

  // The token expires while the tab is in the background: nothing refreshes.
  await sleep(Math.max(0, exp * 1000 - Date.now()) + 1_000)
  const hidden = await stats(true)
  note(t, `${what}: in the background past expiry`, hidden)
  assert.equal(hidden.refresh, 0, 'the held timer did not fire')
  assert.equal(await stored(a), t0)

  // Back in the foreground: one refresh, promptly, with the old timer still held.
  await a.evaluate(() => window.__e2e.unthrottle())
  const shown = Date.now()
  await show(a)
  const t1 = await waitFor(
    'a refresh after the tab came back',
    async () => {
      const s = await stored(a)
      return s && s !== t0 ? s : null
    },
    { timeout: 4_000 },
  )
  const latency = Date.now() - shown
  const back = await stats(true)
  note(t, `${what}: back in the foreground (new token after ${latency} ms)`, back)
  assertNoAlarm(back, 'back in the foreground')
  assert.equal(back.refresh, 1)
  assert.ok(claims(t1).exp * 1000 > Date.now())
  await assertAllValid([a])

  // The late timer finally fires: the token is fresh, so it must not refresh again.
  await a.evaluate(() => window.__e2e.releaseHeld())
  await sleep(500)
  const late = await stats(true)
  note(t, `${what}: the held timer released`, late)
  assert.equal(late.refresh, 0)
  assert.equal(await stored(a), t1)
}

scenario(
  'a background tab whose timers were throttled refreshes when it becomes visible (visibilitychange)',
  30_000,
  async (context, t) => {
    await backgroundTab(context, t, {
      what: 'visibilitychange',
      hide: (p) => p.evaluate(() => window.__e2e.setHidden(true)),
      show: (p) => p.evaluate(() => window.__e2e.setHidden(false)),
    })
  },
)

scenario(
  'a background tab whose timers were throttled refreshes when it gets the focus back (real Chromium focus)',
  30_000,
  async (context, t) => {
    let other
    await backgroundTab(context, t, {
      what: 'focus',
      // Playwright emulates focus on every page; turned off, bringing another page to the front
      // really blurs this one, and bringing it back really fires `focus` (Chromium's own events).
      hide: async (p) => {
        await (await context.newCDPSession(p)).send('Emulation.setFocusEmulationEnabled', { enabled: false })
        other = await context.newPage()
        await (await context.newCDPSession(other)).send('Emulation.setFocusEmulationEnabled', { enabled: false })
        await other.goto('about:blank')
        await other.bringToFront()
        await waitFor('the tab to lose the focus', () => p.evaluate(() => !document.hasFocus()), { timeout: 3_000 })
      },
      show: async (p) => {
        await p.bringToFront()
      },
    })
  },
)
