// decryptAsync's WebCrypto path on real workerd (src/js/jwe-webcrypto-ticket.js, the ticketed
// second half): the bytes handed to workerd's WebCrypto (views into the wasm memory where it
// decrypts at once) are overwritten as soon as each call returns, and every case still gives
// what `decrypt` gives (tests/js/support/jwe-handoff-run.mjs); and more than 64 decrypts in
// flight on one core fall back to the token, each with its own result.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as jwe from 'jwt-wasm/jwe'
import { startWorker } from './harness.mjs'
import { allCases } from '../support/jwe-paths-cases.mjs'
import { runOn } from '../support/jwe-paths-run.mjs'

const cases = await allCases()

// The package's internals by path (the Worker bundles them as the same modules as jwt-wasm/jwe).
const SOURCE = `import * as jwe from 'jwt-wasm/jwe'
import { jweCipher } from '../node_modules/jwt-wasm/internal/jwe-cipher.js'
import { engine, jwe as engineJwe } from '../node_modules/jwt-wasm/wasm.js'
import { runOverwritten } from '../support/jwe-handoff-run.mjs'
import { runInterleaved } from '../support/jwe-paths-run.mjs'
export default {
  async fetch(request) {
    const { what, cases } = await request.json()
    if (what === 'interleaved') return Response.json(await runInterleaved(jwe, cases))
    return Response.json(await runOverwritten(jwe, jweCipher, () => engine(engineJwe).memory.buffer, cases))
  },
}
`

/** @type {any} */
let mf
before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'jwe-ticket-workerd-'))
  writeFileSync(join(dir, 'worker.js'), SOURCE)
  mf = (await startWorker(join(dir, 'worker.js'))).mf
})

after(async () => {
  await mf?.dispose()
})

/** @param {string} what @param {any[]} list */
async function ask(what, list) {
  const res = await mf.dispatchFetch('http://localhost/', {
    method: 'POST',
    body: JSON.stringify({ what, cases: list }),
  })
  assert.equal(res.status, 200, await res.clone().text())
  return res.json()
}

test('workerd: the bytes handed to WebCrypto, overwritten as soon as each call returns: every case as decrypt gives it', async () => {
  const { outcomes, views, copies } = await ask('overwritten', cases)
  assert.ok(outcomes.length > 240, `${outcomes.length} cases`)
  for (const o of outcomes) {
    assert.deepEqual(o.first, o.sync, `${o.name}: the first decryptAsync`)
    assert.deepEqual(o.again, o.sync, `${o.name}: again (the dir key imported)`)
  }
  const ok = outcomes.filter((o) => o.sync.ok).length
  assert.ok(ok > 40, `${ok} decrypted, ${views} views, ${copies} copies`)
  assert.ok(views > 250, `${views} views`)
  assert.ok(copies > 500, `${copies} copies`)
})

test('workerd: more than 64 decrypts in flight on one core fall back to the token, each its own result', async () => {
  const first = cases.find((c) => c.name.startsWith('dir + A256GCM:'))
  const mine = cases.filter((c) => c.name.startsWith('dir + A256GCM:') && c.key.hex === first?.key.hex)
  const alone = await Promise.all(mine.map((c) => runOn(jwe, c, 'sync')))
  const times = Math.ceil(150 / mine.length)
  const want = Array.from({ length: times }, () => alone)
    .flat()
    .map((o) => (o.ok ? { ok: true, sub: o.payload.sub } : { code: o.code }))
  const many = Array.from({ length: times }, () => mine).flat()
  assert.ok(many.length > 128)
  assert.deepEqual(await ask('interleaved', many), want)
})
