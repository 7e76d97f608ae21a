// A trap is survived in Chromium (issue 8, item 10): Debian's /usr/bin/chromium, headless,
// driven by playwright-core (as tests/e2e does), loads the test-only build `jwt-wasm-trap`
// through its browser entry (streaming compilation) from a local server, and runs the shared
// trap scenario (../support/trap-scenario.mjs) in a page and in a dedicated module worker.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const pkg = dirname(fileURLToPath(import.meta.resolve('jwt-wasm-trap')))
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' }
const RUN = `import * as J from '/pkg/entry-browser.js'
await J.ready // the browser entry loads its wasm without top-level await of its own
import { runTrapScenario, UNREACHABLE, STACK } from '/scenario.mjs'
let failed
try {
  failed = runTrapScenario(J, [{ marker: UNREACHABLE, cause: 'RuntimeError' }, { marker: STACK, cause: 'RangeError' }])
} catch (e) {
  failed = ['the scenario threw: ' + e]
}`
const FILES = {
  '/': `<!doctype html><script type="module">${RUN}
globalThis.pageResult = failed
const worker = new Worker('/worker.mjs', { type: 'module' })
worker.onmessage = (e) => { globalThis.workerResult = e.data }
worker.onerror = (e) => { globalThis.workerResult = ['the worker failed: ' + e.message] }
</script>`,
  '/worker.mjs': `${RUN}\npostMessage(failed)`,
}
let server
let browser
let origin

before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    let body = FILES[path]
    let file = path
    if (body === undefined) {
      if (path === '/scenario.mjs') file = join(here, '../support/trap-scenario.mjs')
      else if (path.startsWith('/pkg/')) file = join(pkg, normalize(path.slice(5)).replace(/^(\.\.[/\\])+/, ''))
      else file = ''
      try {
        body = file && readFileSync(file)
      } catch {
        body = undefined
      }
    }
    if (!body) return res.writeHead(404).end()
    const ext = path === '/' ? '.html' : file.slice(file.lastIndexOf('.'))
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream' }).end(body)
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  origin = `http://127.0.0.1:${server.address().port}`
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    timeout: 30_000,
  })
})

after(async () => {
  await browser?.close().catch(() => {})
  server?.close()
})

test('Chromium, a page and a dedicated worker: every object answers correctly after each trap', {
  timeout: 60_000,
}, async () => {
  const page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${origin}/`)
  await page
    .waitForFunction(() => globalThis.pageResult && globalThis.workerResult, null, { timeout: 45_000 })
    .catch(() => {})
  const result = await page.evaluate(() => ({ page: globalThis.pageResult, worker: globalThis.workerResult }))
  assert.deepEqual(errors, [])
  assert.deepEqual(result, { page: [], worker: [] })
  await page.close()
})
