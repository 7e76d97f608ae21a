// jwt-wasm/session end to end, in real Chromium against the real auth API on real workerd.
//
// The server: tests/e2e/worker.js (authRoutes of jwt-wasm/edge on a Durable Object store,
// rotation with reuse detection and the 10 s grace window, a guarded GET /api/me, test-only
// counters at GET /__stats) bundled like wrangler and run by miniflare on 127.0.0.1; the page
// (tests/e2e/page, bundled with esbuild's `browser` condition, the core's .wasm beside it) is
// served by the platform's static assets. Access tokens live ACCESS_TTL = 8 s, so they expire
// during the test; the page's sessions refresh 3 s (jitter 1 s) before expiry.
//
// The browser: Debian's Chromium, headless, driven by playwright-core. Each scenario gets a
// fresh browser context (its own cookie jar, storage, BroadcastChannels and Web Locks); the
// tabs of one scenario are pages of that context at http://localhost:<port> (a secure
// context, so the `Secure` refresh cookie is stored and navigator.locks exists).
//
// Every scenario asserts the server's counters: how many refresh requests reached the server,
// what the store answered (rotated / grace / reuse), and that every tab ends with a token the
// guarded API accepts.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { launchChromium } from './chromium.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const ACCESS_TTL = 8
const USER = { login: 'alice', password: 'correct horse battery staple' }
const TOKEN_KEY = 'jwt-wasm:access_token'

let mf
let browser
let origin
let buildDir

before(async () => {
  buildDir = mkdtempSync(join(here, 'e2e-build-'))
  const pub = join(buildDir, 'public')
  const out = join(buildDir, 'worker')
  mkdirSync(pub, { recursive: true })
  copyFileSync(join(here, 'page/index.html'), join(pub, 'index.html'))
  const common = { bundle: true, format: 'esm', logLevel: 'warning', absWorkingDir: here }
  // The page: `jwt-wasm/session` through the exports map (browser condition). The core's
  // browser entry fetches `new URL('./wasm/jwt_wasm_bg.wasm', import.meta.url)`, which esbuild
  // leaves as it is: so the package's .wasm (its `jwt-wasm/core.wasm` export) is copied to
  // wasm/ beside the bundle, where that URL points.
  await build({
    ...common,
    entryPoints: [join(here, 'page/app.js')],
    outdir: join(pub, 'dist'),
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser'],
  })
  mkdirSync(join(pub, 'dist/wasm'))
  copyFileSync(fileURLToPath(import.meta.resolve('jwt-wasm/core.wasm')), join(pub, 'dist/wasm/jwt_wasm_bg.wasm'))
  // The Worker: as wrangler bundles it (workerd condition, the .wasm kept as a module).
  await build({
    ...common,
    entryPoints: [join(here, 'worker.js')],
    outdir: out,
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    loader: { '.wasm': 'copy' },
  })
  mf = new Miniflare({
    modules: true,
    scriptPath: join(out, 'worker.js'),
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    // has_user_worker: what wrangler sets when a Worker sits behind the assets; without it
    // every path that is not a file answers 404 from the asset server.
    assets: { directory: pub, routerConfig: { has_user_worker: true } },
    durableObjects: { FAMILIES: 'RefreshFamilies' },
    bindings: {
      ACCESS_SECRET: randomBytes(32).toString('base64url'),
      REFRESH_SECRET: randomBytes(32).toString('base64url'),
      ACCESS_TTL: String(ACCESS_TTL),
    },
    host: '127.0.0.1',
    port: 0,
  })
  const url = await mf.ready
  // localhost, not 127.0.0.1: both are secure contexts in Chromium; the page, the Origin
  // header and the cookie all use this one origin.
  origin = `http://localhost:${url.port}`
  browser = await launchChromium()
})

after(async () => {
  await browser?.close().catch(() => {})
  await mf?.dispose().catch(() => {})
  if (buildDir) rmSync(buildDir, { recursive: true, force: true })
})

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Polls `probe` until it returns a truthy value; fails with `what` after `timeout` ms, and with
 * what the server saw meanwhile (its counters are not reset).
 */
async function waitFor(what, probe, { timeout = 10_000, interval = 50 } = {}) {
  const end = Date.now() + timeout
  let last
  for (;;) {
    last = await probe()
    if (last) return last
    if (Date.now() > end) {
      const s = await stats().catch(() => null)
      const seen = s && JSON.stringify({ refresh: s.refresh, status: s.status, rotate: s.rotate, log: s.log })
      throw new assert.AssertionError({
        message: `timed out after ${timeout} ms waiting for ${what}; the server saw ${seen}`,
      })
    }
    await sleep(interval)
  }
}

/** The server's counters; `reset` starts new ones after reading. */
async function stats(reset = false) {
  const res = await fetch(`${origin.replace('localhost', '127.0.0.1')}/__stats${reset ? '?reset' : ''}`)
  assert.equal(res.status, 200)
  return res.json()
}

/** The payload of a JWT (not verified: the server's /api/me verifies). */
function claims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))
}

/** Every page's uncaught errors, reported with the failing assertion. */
const pageErrors = []

/**
 * Opens a tab (a page of `context`) on the test page and waits until its session resumed.
 * @returns {Promise<import('playwright-core').Page>}
 */
async function openTab(context, tab, { query = '' } = {}) {
  const page = await context.newPage()
  watch(page, tab)
  await page.goto(`${origin}/?tab=${tab}${query}`)
  await ready(page)
  return page
}

/**
 * The first tab of a scenario: it loads with no session (its resume() finds none: one refresh
 * request answered 401, by design), then the counters start from zero.
 */
async function firstTab(context, options) {
  const page = await openTab(context, 'A', options)
  assert.equal(await page.evaluate(() => window.__e2e.resumed), false, 'a fresh context has no session')
  await stats(true)
  return page
}

function watch(page, tab) {
  page.on('pageerror', (e) => pageErrors.push(`${tab}: ${e.message}`))
  // Script errors only: Chromium also logs every 4xx answer ("Failed to load resource"), and
  // 401s are expected here (a tab that resumes with no session, the API after logout).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      pageErrors.push(`${tab}: console.error: ${m.text()}`)
  })
}

async function ready(page) {
  await page.waitForFunction(() => window.__e2e !== undefined, null, { timeout: 10_000 })
  return page.evaluate(() => window.__e2e.resumed)
}

const token = (page) => page.evaluate(() => window.session.token ?? null)
const stored = (page) => page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY)
/** The types of the tab's session events, from the `from`-th on. */
const events = (page, from = 0) => page.evaluate((n) => window.__e2e.log.slice(n).map((e) => e.type), from)
const eventCount = (page) => page.evaluate(() => window.__e2e.log.length)
const login = (page) =>
  page.evaluate(({ login, password }) => window.session.login(login, password).then(() => true), USER)

/** GET /api/me with the tab's stored token, by a plain fetch (not session.fetch, which could refresh). */
const apiMe = (page) =>
  page.evaluate(async (k) => {
    const t = sessionStorage.getItem(k)
    const res = await fetch('/api/me', { headers: t ? { authorization: `Bearer ${t}` } : {} })
    return { status: res.status, body: await res.json().catch(() => null) }
  }, TOKEN_KEY)

/** Every tab holds one and the same token (in memory and in its sessionStorage), or null. */
async function sharedToken(pages) {
  const all = await Promise.all(pages.map(async (p) => [await token(p), await stored(p)]))
  const first = all[0][0]
  return first && all.every(([t, s]) => t === first && s === first) ? first : null
}

/**
 * Every tab holds a token (the same in memory and in storage) and all expire in the same
 * second: that `exp`, or null. (Two tokens minted in the same second are equally fresh, and a
 * tab keeps its own rather than adopt an equal one, so the strings may differ.)
 */
async function commonExpiry(pages) {
  const all = await Promise.all(pages.map(async (p) => [await token(p), await stored(p)]))
  if (!all.every(([t, s]) => t && t === s)) return null
  const exps = new Set(all.map(([t]) => claims(t).exp))
  return exps.size === 1 ? [...exps][0] : null
}

/** Waits until every tab holds a token that expires after `exp` (all in one same second). */
function nextExpiry(what, pages, exp, slack = 5_000) {
  return waitFor(
    what,
    async () => {
      const next = await commonExpiry(pages)
      return next && next > exp ? next : null
    },
    { timeout: Math.max(0, exp * 1000 - Date.now()) + slack },
  )
}

/** Every tab holds one and the same token (soon): it. */
const oneToken = (pages) =>
  waitFor('every tab to hold one and the same token', () => sharedToken(pages), { timeout: 1_000 })

/**
 * The tabs' traces (page/app.js: refresh lock asked/granted/released, channel messages posted
 * and received) merged in time order from `since` (ms), one line per entry, for failure messages.
 */
async function crossTabTrace(pages, since) {
  const all = []
  for (const p of pages) {
    const { tab, trace } = await p.evaluate(() => ({ tab: window.__e2e.tab, trace: window.__e2e.trace }))
    for (const e of trace) if (e.at >= since) all.push({ ...e, tab })
  }
  all.sort((x, y) => x.at - y.at)
  return all.map((e) => `\n  +${e.at - since} ms ${e.tab}: ${e.what}`).join('')
}

/** Exactly one refresh request in `s`, or a failure that shows the server's log and the tabs' trace. */
async function assertOneRefresh(s, what, pages, since) {
  if (s.refresh === 1) return
  const trace = await crossTabTrace(pages, since)
  assert.fail(`${what}: ${s.refresh} refresh requests, expected 1: ${JSON.stringify(s.log)}\nthe tabs' trace:${trace}`)
}

/** Each tab's token is accepted by the guarded API. */
async function assertAllValid(pages) {
  for (const p of pages) {
    const me = await apiMe(p)
    assert.equal(me.status, 200, `${p.url()}: GET /api/me answered ${me.status} ${JSON.stringify(me.body)}`)
    assert.equal(me.body.sub, 'u-alice')
  }
}

/** No refresh was taken for theft, no refresh failed, no tab saw an error. */
function assertNoAlarm(s, what) {
  const detail = `${what}: ${JSON.stringify({ refresh: s.refresh, status: s.status, rotate: s.rotate, log: s.log })}`
  assert.equal(s.rotate.reuse, 0, `reuse detected (${detail})`)
  assert.equal(s.rotate.unknown, 0, `a refresh token the store did not know (${detail})`)
  assert.equal(s.rotate.expired, 0, detail)
  for (const [code, n] of Object.entries(s.status.refresh))
    assert.equal(code, '200', `${n} refresh answer(s) ${code} (${detail})`)
}

async function assertNoPageErrors() {
  const errors = pageErrors.splice(0)
  assert.deepEqual(errors, [], 'page errors')
}

/** A scenario in a fresh browser context, closed afterwards whatever happens. */
function scenario(name, timeout, body) {
  test(name, { timeout }, async (t) => {
    pageErrors.length = 0
    scenarioStart = Date.now()
    const context = await browser.newContext()
    try {
      await stats(true)
      await body(context, t)
      await assertNoPageErrors()
    } finally {
      await context.close()
    }
  })
}

let scenarioStart = 0

/** A line for the report: what the server saw (and when, from the scenario's start). */
function note(t, what, s) {
  const tabs = s.log.filter((l) => l.route === 'refresh').map((l) => `${l.tab}:${l.status}`)
  t.diagnostic(
    `+${((Date.now() - scenarioStart) / 1000).toFixed(1)} s ${what}: login ${s.login}, refresh ${s.refresh} [${tabs.join(' ')}], logout ${s.logout}; rotate ${JSON.stringify(s.rotate)}`,
  )
}

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
