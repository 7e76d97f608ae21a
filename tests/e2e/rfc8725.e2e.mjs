// The RFC 8725 verifier checklist (tests/vectors/rfc8725.json) in real Chromium: a plain module
// page (tests/e2e/rfc8725-page, no bundler) imports the installed `jwt-wasm` through an import
// map that points at the package's `browser` entry (read from its exports map), which fetches
// and stream-compiles the .wasm served as application/wasm, the way browsers load it. The page
// runs every case with tests/js/support/rfc8725-run.mjs; each case is then its own test here,
// named `#row §section threat: case`. Served by a static file server on 127.0.0.1 (test only).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { dirname, extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium } from './chromium.mjs'
import { assertOutcome, loadChecklist, namedCases } from './support/rfc8725-check.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const pkgDir = dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')))
const browserEntry = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).exports['.'].browser
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' }
const ROOTS = { '/node_modules/jwt-wasm/': pkgDir, '/support/': join(here, 'support') }

const doc = loadChecklist()
const served = []
let server
let browser
let outcomes
let origin

/** Serves the page, the installed package and the shared runner; nothing outside them. */
async function serve(req, res) {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
  let file
  if (path === '/') file = join(here, 'rfc8725-page/index.html')
  for (const [prefix, root] of Object.entries(ROOTS)) {
    if (path.startsWith(prefix)) {
      const f = normalize(join(root, path.slice(prefix.length)))
      if (f.startsWith(root + sep)) file = f
    }
  }
  try {
    let body = file && (await readFile(file))
    if (!body) throw new Error('not found')
    if (path === '/')
      body = body
        .toString()
        .replace('__JWT_WASM_BROWSER_ENTRY__', `/node_modules/jwt-wasm/${browserEntry.replace(/^\.\//, '')}`)
    const type = TYPES[extname(file)] ?? 'application/octet-stream'
    served.push(`${path} ${type}`)
    res.writeHead(200, { 'content-type': type }).end(body)
  } catch {
    res.writeHead(404).end()
  }
}

before(async () => {
  server = createServer((req, res) => void serve(req, res))
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://localhost:${server.address().port}`
  browser = await launchChromium()
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(origin)
  await page
    .waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, {
      timeout: 30_000,
    })
    .catch(() => assert.fail(`the page did not load jwt-wasm: ${errors.join('; ')}`))
  outcomes = await page.evaluate((d) => window.__rfc8725(d), doc)
  assert.deepEqual(errors, [])
})

after(async () => {
  await browser?.close().catch(() => {})
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()))
})

test('Chromium loaded the package through its browser entry and fetched the .wasm as application/wasm', () => {
  assert.ok(
    served.includes(`/node_modules/jwt-wasm/${browserEntry.replace(/^\.\//, '')} text/javascript`),
    served.join(', '),
  )
  assert.ok(
    served.some((s) => s.endsWith('.wasm application/wasm')),
    served.join(', '),
  )
  assert.equal(Object.keys(outcomes).length, namedCases(doc).length, 'an outcome for every case')
})

for (const { c, title } of namedCases(doc)) {
  test(`rfc8725 chromium ${title}`, () => assertOutcome(c, outcomes[c.name]))
}
