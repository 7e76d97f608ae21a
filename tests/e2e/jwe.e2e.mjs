// jwt-wasm/jwe in real Chromium (issue 11): a plain module page imports the installed package's
// `jwt-wasm/jwe` through an import map pointing at its `browser` entry (read from the exports
// map), which fetches and stream-compiles jwt_wasm_jwe.wasm, and only that artifact. There it
// decrypts jose's nested JWEs for every enc, encrypts for jose to decrypt, and refuses a forged
// tag and a plain JWS, as in Node and on workerd; and every shared JWE case
// (tests/js/support/jwe-paths-*.mjs) gives the same result on every path (`decrypt`, and
// `decryptAsync` in wasm and by Chromium's WebCrypto) and as in Node. Served on 127.0.0.1 (test only).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CompactEncrypt, compactDecrypt } from 'jose'
import { Signer } from 'jwt-wasm'
import * as jwe from 'jwt-wasm/jwe'
import { launchChromium } from './chromium.mjs'
import { allCases } from './support/jwe-paths-cases.mjs'
import { runOn } from './support/jwe-paths-run.mjs'

const pkgDir = dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')))
const entry = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).exports['./jwe'].browser.replace(
  /^\.\//,
  '',
)
const PAGE = `<!doctype html><meta charset="utf-8"><title>jwt-wasm/jwe</title>
<script type="importmap">{"imports":{"jwt-wasm/jwe":"/node_modules/jwt-wasm/${entry}"}}</script>
<script type="module">
  import * as J from 'jwt-wasm/jwe'
  import * as P from '/support/jwe-paths-run.mjs'
  window.__jwe = J
  window.__paths = P
  document.title = 'ready'
</script>`
const SECRET = 'chromium-jwe-inner-secret-0123456789'
const KEK = new Uint8Array(32).fill(0x33)
const ENCS = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512']
const jws = new Signer({ key: { alg: 'HS256', secret: SECRET }, ttl: 600 }).sign({ sub: 'chromium' })
const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'support', 'jwe-paths-run.mjs')
const served = []
let server
let browser
let page

before(async () => {
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    const prefix = '/node_modules/jwt-wasm/'
    const file = path.startsWith(prefix) ? normalize(join(pkgDir, path.slice(prefix.length))) : undefined
    served.push(path)
    try {
      if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
      if (path === '/support/jwe-paths-run.mjs')
        return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(RUNNER))
      if (!file?.startsWith(pkgDir + sep)) throw new Error('outside')
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript'
      res.writeHead(200, { 'content-type': type }).end(await readFile(file))
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  browser = await launchChromium()
  page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`http://localhost:${server.address().port}/`)
  await page
    .waitForFunction(() => document.title === 'ready', null, { timeout: 30_000 })
    .catch(() => assert.fail(`the page did not load jwt-wasm/jwe: ${errors.join('; ')}`))
})

after(async () => {
  await browser?.close().catch(() => {})
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()))
})

/** Runs `f(J, arg)` in the page, J being jwt-wasm/jwe; errors come back as their code. */
const inPage = (f, arg) =>
  page.evaluate(
    ([src, a]) => {
      try {
        // biome-ignore lint/security/noGlobalEval: the test's own function, run in the page
        return { ok: (0, eval)(`(${src})`)(window.__jwe, a) }
      } catch (e) {
        return { code: e.code, name: e.name }
      }
    },
    [f.toString(), arg],
  )

const policy = (enc) => ({
  keys: [{ alg: 'A256KW', secret: [...KEK] }],
  algorithms: ['A256KW'],
  encryptions: [enc],
  verifier: { keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'] },
})
const decryptIn = (J, { p, token }) => {
  const d = new J.Decrypter({ ...p, keys: p.keys.map((k) => ({ ...k, secret: new Uint8Array(k.secret) })) })
  return d.decrypt(token).payload.sub
}

test('jose CompactEncrypt → Decrypter in Chromium, Encrypter in Chromium → jose, every enc', async () => {
  for (const enc of ENCS) {
    const theirs = await new CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'A256KW', enc, cty: 'JWT' })
      .encrypt(KEK)
    assert.deepEqual(await inPage(decryptIn, { p: policy(enc), token: theirs }), { ok: 'chromium' }, enc)
    const ours = await inPage(
      (J, { kek, enc, token }) =>
        new J.Encrypter({ key: { alg: 'A256KW', secret: new Uint8Array(kek) }, enc }).encrypt(token),
      { kek: [...KEK], enc, token: jws },
    )
    assert.equal(new TextDecoder().decode((await compactDecrypt(ours.ok, KEK)).plaintext), jws, enc)
  }
})

test('a forged tag and a plain JWS are refused there with the same codes', async () => {
  const token = await new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM', cty: 'JWT' })
    .encrypt(KEK)
  const forged = `${token.slice(0, -3)}${token.at(-3) === 'A' ? 'B' : 'A'}${token.slice(-2)}`
  assert.deepEqual(await inPage(decryptIn, { p: policy('A256GCM'), token: forged }), {
    code: 'ERR_JWE_DECRYPTION_FAILED',
    name: 'JWEDecryptionFailed',
  })
  assert.deepEqual(await inPage(decryptIn, { p: policy('A256GCM'), token: jws }), {
    code: 'ERR_JWE_INVALID',
    name: 'JWEInvalid',
  })
})

test('every shared JWE case in Chromium: the same result on decrypt, decryptAsync in wasm and by WebCrypto, and as in Node', async () => {
  const cases = await allCases()
  const outcomes = await page.evaluate((list) => window.__paths.runPaths(window.__jwe, list), cases)
  assert.equal(outcomes.length, cases.length)
  for (const [i, o] of outcomes.entries()) {
    const c = cases[i]
    assert.deepEqual(o.wasm, o.sync, `${o.name}: decryptAsync (wasm) differs from decrypt`)
    assert.deepEqual(o.webcrypto, o.sync, `${o.name}: decryptAsync (webcrypto) differs from decrypt`)
    assert.deepEqual(
      o.webcrypto,
      JSON.parse(JSON.stringify(await runOn(jwe, c, 'sync'))),
      `${o.name}: Chromium and Node differ`,
    )
    if (c.expect === 'ok') assert.equal(o.webcrypto.ok, true, o.name)
    else assert.equal(o.webcrypto.code, c.expect, o.name)
  }
  const first = cases.find((c) => c.name.startsWith('A128KW + A256CBC-HS512:'))
  const mine = cases.filter((c) => c.name.startsWith('A128KW + A256CBC-HS512:') && c.key.hex === first?.key.hex)
  const together = await page.evaluate((list) => window.__paths.runInterleaved(window.__jwe, list), [...mine, ...mine])
  const alone = await Promise.all(mine.map((c) => runOn(jwe, c, 'sync')))
  assert.deepEqual(
    together,
    [...alone, ...alone].map((o) => (o.ok ? { ok: true, sub: o.payload.sub } : { code: o.code })),
  )
})

test('the page loaded the browser entry and fetched only the jwe artifact', () => {
  assert.ok(served.includes(`/node_modules/jwt-wasm/${entry}`), served.join(', '))
  const wasm = served.filter((p) => p.endsWith('.wasm'))
  assert.deepEqual(wasm, ['/node_modules/jwt-wasm/wasm/jwt_wasm_jwe.wasm'])
})
