// The browser installs, in real Chromium (playwright-core, Debian's chromium): the README's SPA
// (fixtures/browser/main.js, index.html) built by Vite 8, 6 and 5 with no target override, served
// by `vite dev` (Vite 8 bare, Vite 6 with the README's vite.config.js), and the same module in a
// plain page with the README's import map and no bundler (importmap.html; without its
// jwt-wasm/claims line the session cannot load). Each runs against the README's Hono app (its
// authRoutes and guarded API, and the static files); in each, the session logs in,
// calls the API, reads the token with inspect, comes back after a reload from sessionStorage
// without a refresh (it waits for the claims wasm itself), and logs out; the probe
// (verify-check.js) signs, verifies and refuses with the hmac artifact, jwe-check.js encrypts,
// decrypts and refuses a flipped byte with the jwe artifact, and keys-check.js verifies an ES256
// token signed by the page's WebCrypto and refuses a flipped signature byte with the keys
// artifact, once `ready` resolved, and each gets WasmNotInitialized before. Issue 12: Vite 5 and 6 failed to build ("Top-level await is not
// available in the configured target environment"), from the package's own `await ready`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { launchChromium } from './chromium.mjs'
import { startHono } from './support.mjs'

const cwd = process.cwd()
let browser
before(async () => {
  browser = await launchChromium()
})
after(() => browser?.close())

/** The whole scenario against the app served from `staticRoot` by the Hono app, or by `serve(hono)`. */
async function scenario(staticRoot, serve) {
  const server = await startHono(cwd, staticRoot)
  const front = serve ? await serve(server) : { origin: server.origin, close: async () => {} }
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
    await page.goto(`${front.origin}/`)
    await page.waitForFunction(() => globalThis.verifyCheck, null, { timeout: 10_000 })
    assert.deepEqual(await page.evaluate(() => globalThis.verifyCheck), {
      early: 'ERR_WASM_NOT_INITIALIZED',
      sub: 'probe',
      alg: 'HS256',
      tampered: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    })
    await page.waitForFunction(() => globalThis.jweCheck, null, { timeout: 10_000 })
    assert.deepEqual(await page.evaluate(() => globalThis.jweCheck), {
      early: 'ERR_WASM_NOT_INITIALIZED',
      segments: 5,
      cty: 'JWT',
      sub: 'probe',
      tampered: 'ERR_JWE_DECRYPTION_FAILED',
    })
    await page.waitForFunction(() => globalThis.keysCheck, null, { timeout: 10_000 })
    assert.deepEqual(await page.evaluate(() => globalThis.keysCheck), {
      early: 'ERR_WASM_NOT_INITIALIZED',
      alg: 'ES256',
      sub: 'probe',
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
    await front.close()
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
      ['jwt_wasm_claims.wasm', 'jwt_wasm_hmac.wasm', 'jwt_wasm_jwe.wasm', 'jwt_wasm_keys.wasm'],
      version,
    )
    await scenario(`dist-${vite}`)
  })
}

/** A directory served as the import-map page: `html` as index.html, the app, the installed packages. */
function importMapSite(name, html) {
  const dir = join(cwd, name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir)
  writeFileSync(join(dir, 'index.html'), html)
  for (const f of ['main.js', 'verify-check.js', 'jwe-check.js', 'keys-check.js'])
    cpSync(join(cwd, 'fixtures/browser', f), join(dir, f))
  symlinkSync(join(cwd, 'node_modules'), join(dir, 'node_modules'))
  return name
}
const mapPage = () => readFileSync(join(cwd, 'fixtures/browser/importmap.html'), 'utf8')

test('import map, no bundler: the README map loads jwt-wasm, jwt-wasm/claims, jwt-wasm/jwe, jwt-wasm/keys and jwt-wasm/session', async () => {
  await scenario(importMapSite('importmap', mapPage()))
})

test('import map without jwt-wasm/claims: jwt-wasm/session cannot resolve it (why the README maps it)', async () => {
  const html = mapPage().replace(/^\s*"jwt-wasm\/claims": .*\n/m, '')
  assert.notEqual(html, mapPage())
  const server = await startHono(cwd, importMapSite('importmap-partial', html))
  const page = await browser.newPage()
  try {
    const error = page.waitForEvent('pageerror', { timeout: 10_000 })
    await page.goto(`${server.origin}/`)
    assert.match((await error).message, /Failed to resolve module specifier "jwt-wasm\/claims"/)
  } finally {
    await page.close()
    await server.stop()
  }
})

// `vite dev`, its requests for /auth and /api proxied to the Hono app: Vite 8 with no
// configuration, Vite 6 with the README's vite.config.js (optimizeDeps.exclude).
for (const [vite, configFile] of [
  ['vite', false],
  ['vite6', join(cwd, 'fixtures/browser/vite.config.js')],
]) {
  test(`${vite === 'vite' ? 'Vite 8' : 'Vite 6'} dev server${configFile ? ' with the README config' : ''}: the same app runs`, async () => {
    const { createServer } = await import(vite)
    await scenario('fixtures/browser', async (hono) => {
      const dev = await createServer({
        root: join(cwd, 'fixtures/browser'),
        configFile,
        logLevel: 'error',
        // The object form keeps the Host header (the string form changes it), so authRoutes sees
        // the page's own origin.
        server: {
          host: '127.0.0.1',
          port: 0,
          proxy: { '^/(auth|api)/': { target: hono.origin, changeOrigin: false } },
        },
      })
      await dev.listen()
      return { origin: `http://localhost:${dev.httpServer.address().port}`, close: () => dev.close() }
    })
  })
}
