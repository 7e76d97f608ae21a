// Part of `make demo-check` (www/check.mjs): the demo's end-to-end test in headless Chromium (as
// tests/e2e do) against the demo's Worker under wrangler dev: a cold load logs nothing; a wrong
// password reads as words; login → /api/me → a refresh without user action (ACCESS_TTL is short
// here, by configuration) → every attack card gets its expected answer → screenshots at
// 1280×800 and 390×844, the page no wider than either → a second tab shares the session → the
// replay card logs both tabs out → login, logout → 401 → the switch "encrypt access tokens":
// login, the anatomy shows the JWE's five segments and protected header and no claims,
// /api-jwe/me, a refresh without user action, the JWE cards (a flipped ciphertext byte → 401),
// 390 px, logout → 401. Fails on any CSP violation or page error; then checks that another
// origin cannot frame the page (frame-ancestors 'none').
import { createServer } from 'node:http'
import { join } from 'node:path'
import { launchChromium } from '../tests/e2e/chromium.mjs'

// What the edge must answer to each card, written here independently of the page's own
// expectations (page/attacks.js), which must agree with it.
const SIG = 'The access token signature is invalid'
const EXPECTED = {
  payload: [401, 'invalid_token', SIG],
  signature: [401, 'invalid_token', SIG],
  none: [401, 'invalid_token', 'The access token algorithm is not allowed'],
  relabel: [401, 'invalid_token', 'The access token algorithm is not allowed'],
  kid: [401, 'invalid_token', 'No key matches the access token'],
  jwk: [401, 'invalid_token', SIG],
  duplicate: [401, 'invalid_token', 'The access token claims are malformed'],
  padding: [401, 'invalid_token', 'The access token is malformed'],
  expired: [401, 'invalid_token', 'The access token expired'],
  audience: [401, 'invalid_token', 'The access token audience is not accepted'],
  scope: [403, 'insufficient_scope', 'The access token lacks a required scope'],
  missing: [401, '', ''],
  replay: [400, 'invalid_grant', 'the whole family is revoked'],
}
// The cards of an encrypted token, on /api-jwe/me.
const NOT_DECRYPTED = [401, 'invalid_token', 'The access token could not be decrypted']
const EXPECTED_JWE = {
  'jwe-ciphertext': NOT_DECRYPTED,
  'jwe-header': NOT_DECRYPTED,
  'jwe-downgrade': [401, 'invalid_token', 'The access token is not a valid encrypted token'],
}
const expected = (id) => {
  const [status, error, description] = EXPECTED[id] ?? EXPECTED_JWE[id] ?? []
  return JSON.stringify({ status, error, description })
}

// The README's copy, as a 256-colour palette PNG (sharp comes with wrangler's miniflare).
async function smallPng(from, to) {
  const { default: sharp } = await import('sharp')
  await sharp(from).png({ palette: true, colours: 256, compressionLevel: 9 }).toFile(to)
}

const ok = (cond, what) => {
  if (!cond) throw new Error(`demo page check failed: ${what}`)
}

function watch(page, problems) {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
}

/**
 * @param {URL} url the demo's origin
 * @param {{ shots: string, screenshotOut?: string }} o where screenshots go; `screenshotOut`: a
 *   copy of the 1280×800 one (the README's)
 */
export async function checkPage(url, o) {
  const origin = url.origin.replace('127.0.0.1', 'localhost')
  const browser = await launchChromium()
  let framing = ''
  const report = {}
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)
      })
    })
    const page = await context.newPage()
    const problems = []
    watch(page, problems)
    // A wait that times out reports what the page logged (a blocked wasm compile, say).
    const until = (p, fn, what, arg, timeout = 10_000) =>
      p.waitForFunction(fn, arg, { timeout }).catch(() => {
        throw new Error(`demo page check failed: ${what} (${problems.join('; ') || 'nothing logged'})`)
      })
    const statusIs = (p, text, what) =>
      until(p, (t) => document.getElementById('status')?.textContent === t, what, text)

    await page.goto(`${origin}/`)
    await statusIs(page, 'Not logged in.', 'the page starts')
    await page.waitForLoadState('networkidle')
    ok(problems.length === 0, `a cold load logs no error (${problems.join('; ')})`)

    await page.fill('input[name=login]', 'demo')
    await page.fill('input[name=password]', 'wrong')
    await page.click('#login button')
    await until(page, () => document.getElementById('login-error')?.textContent !== '', 'a wrong password is told')
    const wrong = await page.textContent('#login-error')
    ok(wrong === 'Wrong login or password.', `a wrong password reads as words (${wrong})`)

    await page.fill('input[name=password]', 'demo-password')
    await page.click('#login button')
    await statusIs(page, 'Logged in as demo.', 'the page logs in')
    await page.click('#call')
    await until(page, () => document.getElementById('api')?.textContent.startsWith('200'), 'the page calls /api/me')
    const segments = await page.$$eval('#encoded span', (s) => s.map((e) => [e.className, getComputedStyle(e).color]))
    ok(segments.length === 3 && new Set(segments.map((s) => s[1])).size === 3, `three coloured segments (${segments})`)
    const times = await page.$$eval('#times tr', (rows) => rows.map((r) => r.textContent))
    ok(
      times.length >= 2 && times.some((t) => /^exp.*in \d+ s$/.test(t)),
      `iat and exp as dates and "in n s" (${times})`,
    )

    const refreshStarted = performance.now()
    const timeline = () => JSON.parse(sessionStorage.getItem('jwt-wasm-demo:timeline') ?? '[]')
    const refreshed = () =>
      JSON.parse(sessionStorage.getItem('jwt-wasm-demo:timeline') ?? '[]').some((e) => e.kind === 'refresh')
    await until(page, refreshed, 'a refresh without user action', undefined, 30_000)
    report.refresh = performance.now() - refreshStarted
    ok(await page.isVisible('#timeline rect'), 'the timeline shows the tokens')

    // Each card of `list` gets its expected answer; every expected card is there.
    const playCards = async (list, want) => {
      const cards = await page.$$eval(`#${list} [data-attack]`, (cs) => cs.map((c) => c.dataset.attack))
      ok(await page.isVisible(`#${list}`), `the cards of ${list} are shown`)
      for (const id of cards.filter((c) => c !== 'replay')) {
        const card = page.locator(`[data-attack="${id}"]`)
        await card.locator('button').click()
        await until(page, (i) => document.querySelector(`[data-attack="${i}"]`)?.dataset.got, `card ${id} answers`, id)
        const { expect, got } = await card.evaluate((c) => ({ expect: c.dataset.expect, got: c.dataset.got }))
        ok(
          expect === expected(id) && got === expect,
          `card ${id}: expected ${expected(id)}, page ${expect}, got ${got}`,
        )
      }
      ok(cards.sort().join() === Object.keys(want).sort().join(), `every card is there (${cards})`)
      return cards.length
    }
    report.cards = await playCards('cards', EXPECTED)

    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height })
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      ok(wide <= width, `the page fits ${width} px (it is ${wide} px wide)`)
      await page.evaluate(() => window.scrollTo(0, 0))
      const file = join(o.shots, `demo-${width}x${height}.png`)
      await page.screenshot({ path: file })
      if (width === 1280 && o.screenshotOut) await smallPng(file, o.screenshotOut)
    }
    await page.setViewportSize({ width: 1280, height: 800 })

    // A second tab shares the session; the replay revokes the family and ends it in both.
    const second = await context.newPage()
    watch(second, problems)
    await second.goto(`${origin}/`)
    await statusIs(second, 'Logged in as demo.', 'a second tab resumes the session')
    // Both tabs share one refresh: the next token is one tab's "refresh" and the other's "other tab".
    const newest = () => JSON.parse(sessionStorage.getItem('jwt-wasm-demo:timeline') ?? '[]').findLast((e) => e.iat)
    const base = (await second.evaluate(newest)).iat
    let shared
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      const [a, b] = [await page.evaluate(newest), await second.evaluate(newest)]
      if (a.iat > base && a.iat === b.iat && a.exp === b.exp) {
        shared = [a.kind, b.kind].sort().join(' + ')
        break
      }
    }
    ok(shared === 'other tab + refresh', `one refresh shared by both tabs (${shared})`)
    report.shared = shared
    const replay = page.locator('[data-attack="replay"]')
    await replay.locator('button').click()
    await until(page, () => document.querySelector('[data-attack="replay"]')?.dataset.got, 'the replay card answers')
    const r = await replay.evaluate((c) => ({ expect: c.dataset.expect, got: c.dataset.got }))
    ok(r.expect === expected('replay') && r.got === r.expect, `replay: expected ${expected('replay')}, got ${r.got}`)
    await statusIs(page, 'Not logged in.', 'the replay logs this tab out')
    await statusIs(second, 'Not logged in.', 'the replay logs the other tab out')
    ok(
      (await page.evaluate(timeline)).some((e) => e.kind === 'expired'),
      'the timeline keeps the end',
    )

    await page.fill('input[name=login]', 'demo')
    await page.fill('input[name=password]', 'demo-password')
    await page.click('#login button')
    await statusIs(page, 'Logged in as demo.', 'the page logs in again')
    await page.click('#logout')
    await statusIs(page, 'Not logged in.', 'the page logs out')
    const after = await page.evaluate(async () => {
      const me = await fetch('/api/me')
      const refresh = await fetch('/auth/refresh', { method: 'POST', headers: { 'x-requested-with': 'fetch' } })
      return [me.status, refresh.status]
    })
    ok(after[0] === 401 && after[1] === 400, `after logout: /api/me 401, a refresh 400 (${after})`)
    await page.reload()
    await statusIs(page, 'Not logged in.', 'a reload after logout stays logged out')
    ok(await page.isVisible('#timeline rect'), 'the timeline survives logout and reload')

    // Encrypted access tokens: the switch logs in through /auth-jwe/*. The page shows the JWE and
    // cannot read its claims; the session still refreshes on time, from expires_in.
    await page.check('#encrypt')
    await page.fill('input[name=login]', 'demo')
    await page.fill('input[name=password]', 'demo-password')
    const jweLogin = await page.evaluate(() => Date.now())
    await page.click('#login button')
    await statusIs(page, 'Logged in as demo.', 'the page logs in with encrypted tokens')
    const kind = await page.textContent('#token-kind')
    ok(
      kind?.includes('encrypted') && kind.includes('cannot read'),
      `the session says its tokens are encrypted (${kind})`,
    )
    const held = await page.evaluate(() => sessionStorage.getItem('jwt-wasm-jwe:access_token') ?? '')
    ok(held.split('.').length === 5, `the session holds a compact JWE (${held.slice(0, 40)}…)`)
    const jweSegments = await page.$$eval('#encoded span', (s) =>
      s.map((e) => [e.textContent, getComputedStyle(e).color]),
    )
    ok(
      jweSegments.length === 5 &&
        new Set(jweSegments.map((s) => s[1])).size === 5 &&
        jweSegments.map((s) => s[0]).join('.') === held,
      `five segments of the JWE in five colours (${jweSegments.map((s) => s[1])})`,
    )
    const protectedHeader = JSON.parse((await page.textContent('#header-json')) ?? '{}')
    ok(
      JSON.stringify(protectedHeader, Object.keys(protectedHeader).sort()) ===
        JSON.stringify({ alg: 'A256KW', cty: 'JWT', enc: 'A256GCM', kid: 'demo-jwe-1' }),
      `the decoded protected header (${JSON.stringify(protectedHeader)})`,
    )
    const claims = (await page.textContent('#payload-json')) ?? ''
    ok(claims.includes('cannot read') && !/"(sub|exp|scope)"/.test(claims), `no claims, and says why (${claims})`)
    const said = (await page.textContent('#warnings')) ?? ''
    ok(said.includes('encrypted: true'), `inspect's encrypted: true in words (${said})`)
    const jweTimes = await page.$$eval('#times tr', (rows) => rows.map((r) => r.textContent))
    ok(
      jweTimes.length === 1 && /^exp.*in \d+ s$/.test(jweTimes[0]),
      `exp from expires_in, as a date and "in n s" (${jweTimes})`,
    )
    ok((await page.textContent('#api')) === '–', 'no answer of the earlier login is on show')
    await page.click('#call')
    await until(
      page,
      () => /^200: you are [0-9a-f-]{36}$/.test(document.getElementById('api')?.textContent ?? ''),
      'the page calls /api-jwe/me with the JWE',
    )
    const jweRefreshed = (since) =>
      JSON.parse(sessionStorage.getItem('jwt-wasm-demo:timeline') ?? '[]').some(
        (e) => e.kind === 'refresh' && e.enc && e.at > since,
      )
    const jweRefreshStarted = performance.now()
    await until(page, jweRefreshed, 'a refresh of the encrypted token without user action', jweLogin, 30_000)
    report.jweRefresh = performance.now() - jweRefreshStarted
    const rotated = await page.evaluate(() => sessionStorage.getItem('jwt-wasm-jwe:access_token') ?? '')
    ok(rotated !== held && rotated.split('.').length === 5, 'the refresh brought a new JWE')
    ok(!(await page.isVisible('#cards')), 'the signed-token cards are hidden')
    report.jweCards = await playCards('jwe-cards', EXPECTED_JWE)
    await page.$eval('#api', (e) => {
      e.textContent = '' // so that only a new answer counts
    })
    await page.click('#call')
    await until(
      page,
      () => document.getElementById('api')?.textContent.startsWith('200'),
      '/api-jwe/me after the refresh',
    )
    await page.setViewportSize({ width: 390, height: 844 })
    const jweWide = await page.evaluate(() => document.documentElement.scrollWidth)
    ok(jweWide <= 390, `the page with a JWE fits 390 px (it is ${jweWide} px wide)`)
    await page.screenshot({ path: join(o.shots, 'demo-jwe-390x844.png'), fullPage: true })
    await page.setViewportSize({ width: 1280, height: 800 })
    // A reload keeps the encrypted session: the token and its times (from storage), no claims.
    await page.reload()
    await statusIs(page, 'Logged in as demo.', 'a reload resumes the encrypted session')
    await until(
      page,
      () =>
        document.querySelectorAll('#encoded span').length === 5 &&
        /^exp.*in \d+ s$/.test(document.querySelector('#times tr')?.textContent ?? ''),
      'after a reload the anatomy shows the JWE and its expiry',
    )
    ok(await page.isChecked('#encrypt'), 'the switch stays on across the reload')
    await page.click('#logout')
    await statusIs(page, 'Not logged in.', 'the page logs out of the encrypted session')
    const jweAfter = await page.evaluate(async () => {
      const me = await fetch('/api-jwe/me')
      const refresh = await fetch('/auth-jwe/refresh', { method: 'POST', headers: { 'x-requested-with': 'fetch' } })
      return [sessionStorage.getItem('jwt-wasm-jwe:access_token'), me.status, refresh.status]
    })
    ok(jweAfter.join() === ',401,400', `after logout: no JWE held, /api-jwe/me 401, a refresh 400 (${jweAfter})`)
    const policy = problems.filter((p) => p.includes('CSP') || p.startsWith('pageerror'))
    ok(policy.length === 0, `no CSP violation or page error (${policy.join('; ')})`)

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
    return { framing, ...report }
  } finally {
    await browser.close()
  }
}
