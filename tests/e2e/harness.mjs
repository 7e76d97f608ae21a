// The harness of the session's end-to-end tests: builds the page and the Worker (as wrangler
// bundles it), serves both on workerd (miniflare, 127.0.0.1), launches Debian's Chromium with
// playwright-core, and gives the scenarios their helpers (tabs, waiting, the server's counters,
// the common assertions). Importing it registers the suite's before/after hooks.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { launchChromium } from './chromium.mjs'

export const here = dirname(fileURLToPath(import.meta.url))
export const ACCESS_TTL = 8
export const USER = { login: 'alice', password: 'correct horse battery staple' }
export const TOKEN_KEY = 'jwt-wasm:access_token'
export let mf
export let browser
export let origin
export let buildDir

before(async () => {
  buildDir = mkdtempSync(join(here, 'e2e-build-'))
  const pub = join(buildDir, 'public')
  const out = join(buildDir, 'worker')
  mkdirSync(pub, { recursive: true })
  copyFileSync(join(here, 'page/index.html'), join(pub, 'index.html'))
  const common = { bundle: true, format: 'esm', logLevel: 'warning', absWorkingDir: here }
  // The page: `jwt-wasm/session` through the exports map (browser condition). Its reader's
  // browser entry fetches `new URL('./wasm/jwt_wasm_claims.wasm', import.meta.url)` (the root
  // entry, `jwt_wasm_hmac.wasm`), which esbuild leaves as it is: so the package's artifacts (its
  // `jwt-wasm/claims.wasm` and `jwt-wasm/hmac.wasm` exports) are copied to wasm/ beside the
  // bundle, where those URLs point.
  await build({
    ...common,
    entryPoints: [join(here, 'page/app.js')],
    outdir: join(pub, 'dist'),
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser'],
  })
  mkdirSync(join(pub, 'dist/wasm'))
  for (const name of ['claims', 'hmac'])
    copyFileSync(
      fileURLToPath(import.meta.resolve(`jwt-wasm/${name}.wasm`)),
      join(pub, `dist/wasm/jwt_wasm_${name}.wasm`),
    )
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

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Polls `probe` until it returns a truthy value; fails with `what` after `timeout` ms, and with
 * what the server saw meanwhile (its counters are not reset).
 */
export async function waitFor(what, probe, { timeout = 10_000, interval = 50 } = {}) {
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
export async function stats(reset = false) {
  const res = await fetch(`${origin.replace('localhost', '127.0.0.1')}/__stats${reset ? '?reset' : ''}`)
  assert.equal(res.status, 200)
  return res.json()
}

/** The payload of a JWT (not verified: the server's /api/me verifies). */
export function claims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))
}

/** Every page's uncaught errors, reported with the failing assertion. */
export const pageErrors = []

/**
 * Opens a tab (a page of `context`) on the test page and waits until its session resumed.
 * @returns {Promise<import('playwright-core').Page>}
 */
export async function openTab(context, tab, { query = '' } = {}) {
  const page = await context.newPage()
  watch(page, tab)
  await page.goto(`${origin}/?tab=${tab}${query}`)
  await ready(page)
  return page
}

/**
 * The first tab of a scenario: it loads with no session (its resume() finds none: one refresh
 * request answered 400 `invalid_grant`, by design), then the counters start from zero.
 */
export async function firstTab(context, options) {
  const page = await openTab(context, 'A', options)
  assert.equal(await page.evaluate(() => window.__e2e.resumed), false, 'a fresh context has no session')
  await stats(true)
  return page
}

export function watch(page, tab) {
  page.on('pageerror', (e) => pageErrors.push(`${tab}: ${e.message}`))
  // Script errors only: Chromium also logs every 4xx answer ("Failed to load resource"), and
  // 400s and 401s are expected here (a tab that resumes with no session, the API after logout).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
      pageErrors.push(`${tab}: console.error: ${m.text()}`)
  })
}

export async function ready(page) {
  await page.waitForFunction(() => window.__e2e !== undefined, null, { timeout: 10_000 })
  return page.evaluate(() => window.__e2e.resumed)
}

export const token = (page) => page.evaluate(() => window.session.token ?? null)
export const stored = (page) => page.evaluate((k) => sessionStorage.getItem(k), TOKEN_KEY)
/** The types of the tab's session events, from the `from`-th on. */
export const events = (page, from = 0) => page.evaluate((n) => window.__e2e.log.slice(n).map((e) => e.type), from)
export const eventCount = (page) => page.evaluate(() => window.__e2e.log.length)
export const login = (page) =>
  page.evaluate(({ login, password }) => window.session.login(login, password).then(() => true), USER)

/** GET /api/me with the tab's stored token, by a plain fetch (not session.fetch, which could refresh). */
export const apiMe = (page) =>
  page.evaluate(async (k) => {
    const t = sessionStorage.getItem(k)
    const res = await fetch('/api/me', { headers: t ? { authorization: `Bearer ${t}` } : {} })
    return { status: res.status, body: await res.json().catch(() => null) }
  }, TOKEN_KEY)

/** Every tab holds one and the same token (in memory and in its sessionStorage), or null. */
export async function sharedToken(pages) {
  const all = await Promise.all(pages.map(async (p) => [await token(p), await stored(p)]))
  const first = all[0][0]
  return first && all.every(([t, s]) => t === first && s === first) ? first : null
}

/**
 * Every tab holds a token (the same in memory and in storage) and all expire in the same
 * second: that `exp`, or null. (Two tokens minted in the same second are equally fresh, and a
 * tab keeps its own rather than adopt an equal one, so the strings may differ.)
 */
export async function commonExpiry(pages) {
  const all = await Promise.all(pages.map(async (p) => [await token(p), await stored(p)]))
  if (!all.every(([t, s]) => t && t === s)) return null
  const exps = new Set(all.map(([t]) => claims(t).exp))
  return exps.size === 1 ? [...exps][0] : null
}

/** Waits until every tab holds a token that expires after `exp` (all in one same second). */
export function nextExpiry(what, pages, exp, slack = 5_000) {
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
export const oneToken = (pages) =>
  waitFor('every tab to hold one and the same token', () => sharedToken(pages), { timeout: 1_000 })

/**
 * The tabs' traces (page/app.js: refresh lock asked/granted/released, channel messages posted
 * and received) merged in time order from `since` (ms), one line per entry, for failure messages.
 */
export async function crossTabTrace(pages, since) {
  const all = []
  for (const p of pages) {
    const { tab, trace } = await p.evaluate(() => ({ tab: window.__e2e.tab, trace: window.__e2e.trace }))
    for (const e of trace) if (e.at >= since) all.push({ ...e, tab })
  }
  all.sort((x, y) => x.at - y.at)
  return all.map((e) => `\n  +${e.at - since} ms ${e.tab}: ${e.what}`).join('')
}

/** Exactly one refresh request in `s`, or a failure that shows the server's log and the tabs' trace. */
export async function assertOneRefresh(s, what, pages, since) {
  if (s.refresh === 1) return
  const trace = await crossTabTrace(pages, since)
  assert.fail(`${what}: ${s.refresh} refresh requests, expected 1: ${JSON.stringify(s.log)}\nthe tabs' trace:${trace}`)
}

/** Each tab's token is accepted by the guarded API. */
export async function assertAllValid(pages) {
  for (const p of pages) {
    const me = await apiMe(p)
    assert.equal(me.status, 200, `${p.url()}: GET /api/me answered ${me.status} ${JSON.stringify(me.body)}`)
    assert.equal(me.body.sub, 'u-alice')
  }
}

/** No refresh was taken for theft, no refresh failed, no tab saw an error. */
export function assertNoAlarm(s, what) {
  const detail = `${what}: ${JSON.stringify({ refresh: s.refresh, status: s.status, rotate: s.rotate, log: s.log })}`
  assert.equal(s.rotate.reuse, 0, `reuse detected (${detail})`)
  assert.equal(s.rotate.unknown, 0, `a refresh token the store did not know (${detail})`)
  assert.equal(s.rotate.expired, 0, detail)
  for (const [code, n] of Object.entries(s.status.refresh))
    assert.equal(code, '200', `${n} refresh answer(s) ${code} (${detail})`)
}

export async function assertNoPageErrors() {
  const errors = pageErrors.splice(0)
  assert.deepEqual(errors, [], 'page errors')
}

/** A scenario in a fresh browser context, closed afterwards whatever happens. */
export function scenario(name, timeout, body) {
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

export let scenarioStart = 0

/** A line for the report: what the server saw (and when, from the scenario's start). */
export function note(t, what, s) {
  const tabs = s.log.filter((l) => l.route === 'refresh').map((l) => `${l.tab}:${l.status}`)
  t.diagnostic(
    `+${((Date.now() - scenarioStart) / 1000).toFixed(1)} s ${what}: login ${s.login}, refresh ${s.refresh} [${tabs.join(' ')}], logout ${s.logout}; rotate ${JSON.stringify(s.rotate)}`,
  )
}
