// The browser installs, in real Chromium (playwright-core, Debian's chromium): the README's SPA
// (fixtures/browser/main.js, index.html) built by Vite 8, 6 and 5 with no target override, and the
// same module in a plain page with the README's import map and no bundler (importmap.html). Each is
// served by the README's Hono app (its authRoutes and guarded API); in each, the session logs in,
// calls the API, reads the token with inspect, comes back after a reload from sessionStorage
// without a refresh (it waits for the claims wasm itself), and logs out; the probe
// (verify-check.js) signs, verifies and refuses with the hmac artifact once `ready` resolved and
// gets WasmNotInitialized before. Issue 12: Vite 5 and 6 failed to build ("Top-level await is not
// available in the configured target environment"), from the package's own `await ready`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { launchChromium } from './chromium.mjs'
import { startHono } from './support.mjs'

const cwd = process.cwd()
let browser
before(async () => {
  browser = await launchChromium()
})
after(() => browser?.close())

/** The whole scenario against the app served from `staticRoot`. */
async function scenario(staticRoot) {
  const server = await startHono(cwd, staticRoot)
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  const refreshes = []
  page.on('request', (r) => r.url().endsWith('/auth/refresh') && refreshes.push(r.url()))
  const wasmTypes = new Set()
  page.on('response', (r) => r.url().endsWith('.wasm') && wasmTypes.add(r.headers()['content-type']))
  const who = (text) =>
    page.waitForFunction((t) => document.getElementById('who').textContent === t, text, { timeout: 10_000 })
  try {
    await page.goto(`${server.origin}/`)
    await page.waitForFunction(() => globalThis.verifyCheck, null, { timeout: 10_000 })
    assert.deepEqual(await page.evaluate(() => globalThis.verifyCheck), {
      early: 'ERR_WASM_NOT_INITIALIZED',
      sub: 'probe',
      alg: 'HS256',
      tampered: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    await who('signed out') // resume(): no refresh cookie yet

    await page.fill('#user', 'alice')
    await page.fill('#password', 'not the password')
    await page.click('#login button')
    await who('wrong login or password')
    await page.fill('#password', server.env.APP_PASSWORD)
    await page.click('#login button')
    await who('signed in as u-1')
    await page.click('#me')
    await page.waitForFunction(() => document.getElementById('answer').textContent.startsWith('200'))
    assert.equal(await page.textContent('#answer'), '200 {"sub":"u-1"}')
    await page.click('#inspect')
    await page.waitForFunction(() => document.getElementById('answer').textContent.startsWith('{'))
    const seen = JSON.parse(await page.textContent('#answer'))
    assert.ok(seen.expiresIn > 800 && seen.expiresIn <= 900, `expiresIn ${seen.expiresIn}`)
    assert.deepEqual(seen.warnings, [])

    // A reload: the token comes back from sessionStorage once the claims wasm loaded, no refresh.
    const token = await page.evaluate(() => sessionStorage.getItem('jwt-wasm:access_token'))
    refreshes.length = 0
    await page.reload()
    await who('signed in as u-1')
    assert.deepEqual(refreshes, [])
    assert.equal(await page.evaluate(() => sessionStorage.getItem('jwt-wasm:access_token')), token)

    await page.click('#logout')
    await who('signed out')
    assert.deepEqual(errors, [])
    assert.deepEqual([...wasmTypes], ['application/wasm'])
  } finally {
    await context.close()
    await server.stop()
  }
}

for (const vite of ['vite', 'vite6', 'vite5']) {
  test(`${vite === 'vite' ? 'Vite 8' : `Vite ${vite.slice(4)}`}: builds the SPA with its defaults, which runs in Chromium`, async () => {
    const { build, version } = await import(vite)
    const outDir = join(cwd, `dist-${vite}`)
    await build({
      root: join(cwd, 'fixtures/browser'),
      configFile: false,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    })
    const assets = readdirSync(join(outDir, 'assets')).map((f) => f.replace(/-[\w-]{8}(?=\.)/, ''))
    // Each entry's own artifact, emitted by Vite from its `new URL(…, import.meta.url)`; nothing else.
    assert.deepEqual(
      assets.filter((f) => f.endsWith('.wasm')).sort(),
      ['jwt_wasm_claims.wasm', 'jwt_wasm_hmac.wasm'],
      version,
    )
    await scenario(`dist-${vite}`)
  })
}

test('import map, no bundler: the README map loads jwt-wasm, jwt-wasm/claims and jwt-wasm/session', async () => {
  const dir = join(cwd, 'importmap')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir)
  cpSync(join(cwd, 'fixtures/browser/importmap.html'), join(dir, 'index.html'))
  for (const f of ['main.js', 'verify-check.js']) cpSync(join(cwd, 'fixtures/browser', f), join(dir, f))
  symlinkSync(join(cwd, 'node_modules'), join(dir, 'node_modules'))
  await scenario('importmap')
})
