// The Decrypter's content decryption by WebCrypto on real workerd (src/js/jwe-webcrypto.js; the
// Worker bundled as wrangler does, through the `workerd` condition): every case of
// tests/js/support/jwe-paths-cases.mjs gives the same result or error on every path (`decrypt`;
// `decryptAsync` in wasm and by WebCrypto) and the same as in Node; decrypts in flight at once
// stay apart; and `cipher: 'auto'` is WebCrypto there (the runtime's `subtle.decrypt` is called),
// with or without `nodejs_compat`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as jwe from 'jwt-wasm/jwe'
import { startWorker } from './harness.mjs'
import { allCases } from '../support/jwe-paths-cases.mjs'
import { runOn } from '../support/jwe-paths-run.mjs'

const cases = await allCases()
const workers = []

const SOURCE = `import * as jwe from 'jwt-wasm/jwe'
import { runInterleaved, runOn, runPaths } from '../support/jwe-paths-run.mjs'
// A spy on the runtime's AES (counting only): which path 'auto' takes.
const subtle = crypto.subtle
const decrypt = subtle.decrypt.bind(subtle)
let calls = 0
subtle.decrypt = (...a) => (calls++, decrypt(...a))
export default {
  async fetch(request) {
    const { what, cases } = await request.json()
    if (what === 'paths') return Response.json(await runPaths(jwe, cases))
    if (what === 'interleaved') return Response.json(await runInterleaved(jwe, cases))
    const before = calls
    const auto = await runOn(jwe, cases[0], 'auto')
    const viaAuto = calls - before
    const wasm = await runOn(jwe, cases[0], 'wasm')
    return Response.json({ auto, viaAuto, wasm, viaWasm: calls - before - viaAuto })
  },
}
`

/** Bundles and starts the Worker (in a fresh directory), with more Miniflare options. */
async function worker(options) {
  const dir = mkdtempSync(join(process.cwd(), 'jwe-paths-workerd-'))
  writeFileSync(join(dir, 'worker.js'), SOURCE)
  const { mf } = await startWorker(join(dir, 'worker.js'), options)
  workers.push(mf)
  return mf
}

/** @param {any} mf @param {string} what @param {any[]} list */
async function ask(mf, what, list) {
  const res = await mf.dispatchFetch('http://localhost/', {
    method: 'POST',
    body: JSON.stringify({ what, cases: list }),
  })
  assert.equal(res.status, 200, await res.clone().text())
  return res.json()
}

let plain
let compat
before(async () => {
  plain = await worker({})
  compat = await worker({ compatibilityFlags: ['nodejs_compat'] })
})

after(async () => {
  for (const mf of workers) await mf.dispose()
})

test('workerd: every JWE case, the same result and error on every path, and as in Node', async () => {
  const outcomes = await ask(plain, 'paths', cases)
  assert.equal(outcomes.length, cases.length)
  for (const [i, o] of outcomes.entries()) {
    const c = cases[i]
    assert.equal(o.name, c.name)
    assert.deepEqual(o.wasm, o.sync, `${o.name}: decryptAsync (wasm) differs from decrypt`)
    assert.deepEqual(o.webcrypto, o.sync, `${o.name}: decryptAsync (webcrypto) differs from decrypt`)
    const node = JSON.parse(JSON.stringify(await runOn(jwe, c, 'sync')))
    assert.deepEqual(o.webcrypto, node, `${o.name}: workerd and Node differ`)
    if (c.expect === 'ok') assert.equal(o.webcrypto.ok, true, o.name)
    else assert.equal(o.webcrypto.code, c.expect, o.name)
  }
})

test('workerd: decrypts in flight at once on one Decrypter, each the result it has alone', async () => {
  const first = cases.find((c) => c.name.startsWith('A256KW + A128GCM:'))
  const mine = cases.filter((c) => c.name.startsWith('A256KW + A128GCM:') && c.key.hex === first?.key.hex)
  const alone = await Promise.all(mine.map((c) => runOn(jwe, c, 'sync')))
  const want = [...alone, ...alone].map((o) => (o.ok ? { ok: true, sub: o.payload.sub } : { code: o.code }))
  assert.deepEqual(await ask(plain, 'interleaved', [...mine, ...mine]), want)
})

test("workerd: cipher 'auto' decrypts by WebCrypto, 'wasm' does not, with or without nodejs_compat", async () => {
  const c = cases.find((x) => x.name === 'dir + A256GCM: jose, small')
  for (const mf of [plain, compat]) {
    const got = await ask(mf, 'auto', [c])
    assert.equal(got.auto.payload?.sub, 'alice')
    assert.deepEqual(got.auto, got.wasm)
    assert.equal(got.viaAuto, 1, 'auto: one subtle.decrypt')
    assert.equal(got.viaWasm, 0, 'wasm: none')
  }
})
