// Part of `make demo-check` (www/check.mjs): loads the demo page in headless Chromium (as tests/e2e do),
// logs in, calls the API, and fails on any CSP violation or console error; then checks that
// another origin cannot frame the page (frame-ancestors 'none').
import { createServer } from 'node:http'
import { launchChromium } from '../tests/e2e/chromium.mjs'

const ok = (cond, what) => {
  if (!cond) throw new Error(`demo page check failed: ${what}`)
}

export async function checkPage(url) {
  const origin = url.origin.replace('127.0.0.1', 'localhost')
  const browser = await launchChromium()
  let framing = ''
  try {
    const page = await browser.newPage()
    const problems = []
    // HTTP statuses (the favicon's 404, resume's 400 invalid_grant without a cookie) are logged as errors too:
    // they are answers, not policy; a blocked load would log "Refused to …" and fire the event.
    page.on('console', (m) => {
      const status = m.text().startsWith('Failed to load resource: the server responded with a status')
      if ((m.type() === 'error' || m.type() === 'warning') && !status) problems.push(`${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
      })
    })
    // A wait that times out reports what the page logged (a blocked wasm compile, say).
    const until = (fn, what) =>
      page.waitForFunction(fn, undefined, { timeout: 10_000 }).catch(() => {
        throw new Error(`demo page check failed: ${what} (${problems.join('; ') || 'nothing logged'})`)
      })
    await page.goto(`${origin}/`)
    await until(() => document.getElementById('status')?.textContent === 'Not logged in.', 'the page starts')
    await page.fill('input[name=login]', 'demo')
    await page.fill('input[name=password]', 'demo-password')
    await page.click('#login button')
    await until(() => document.getElementById('status')?.textContent === 'Logged in as demo.', 'the page logs in')
    await page.click('#call')
    await until(() => document.getElementById('api')?.textContent.startsWith('200'), 'the page calls the API')
    const anatomy = JSON.parse(await page.textContent('#anatomy'))
    ok(anatomy.personalData?.length === 0, `inspect finds no personal data (${JSON.stringify(anatomy.personalData)})`)
    ok(problems.length === 0, `no CSP violation or console error (${problems.join('; ')})`)

    // Another origin, a local server of its own (127.0.0.1, another port) frames the page: the
    // browser must refuse (it shows its error page in the frame instead of the demo).
    const framer = createServer((req, res) => {
      res.setHeader('content-type', 'text/html')
      res.end(`<iframe src="${origin}/"></iframe>`)
    })
    await new Promise((resolve) => framer.listen(0, '127.0.0.1', resolve))
    try {
      const outer = await browser.newPage()
      await outer.goto(`http://127.0.0.1:${framer.address().port}/`)
      const frame = outer.frames().find((f) => f !== outer.mainFrame())
      await frame?.waitForLoadState('load')
      const text = await frame?.evaluate(() => document.body?.textContent ?? '').catch((e) => `(${e.message})`)
      framing = `the framed document is ${frame?.url()}`
      ok(frame && !String(text).includes('jwt-wasm'), `another origin cannot frame the page (${framing})`)
    } finally {
      framer.close()
    }
    return framing
  } finally {
    await browser.close()
  }
}
