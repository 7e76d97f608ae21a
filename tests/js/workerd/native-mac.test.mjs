// The Verifier's native MAC on real workerd (src/js/native-mac.js; the Worker bundled as wrangler
// does, through the `workerd` condition). With `nodejs_compat` the runtime's node:crypto is found
// through process.getBuiltinModule: every shared vector gives the same verdict on both paths,
// forced (`mac: 'wasm'`, `mac: 'native'`), and the same as in Node. Without the flag the Worker
// bundles and loads as before: no node:crypto import anywhere in the bundle, `mac: 'native'` is
// refused with a TypeError, and a large token verifies on the wasm path.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as jwt from 'jwt-wasm'
import { startWorker } from './harness.mjs'
import { allCases } from '../support/mac-paths-cases.mjs'
import { runOn } from '../support/mac-paths-run.mjs'

const cases = allCases()
const workers = []

/** Bundles and starts the Worker of `source` (in a fresh directory), with more Miniflare options. */
async function worker(source, options) {
  const dir = mkdtempSync(join(process.cwd(), 'native-mac-workerd-'))
  writeFileSync(join(dir, 'worker.js'), source)
  const { mf, out } = await startWorker(join(dir, 'worker.js'), options)
  workers.push(mf)
  return { mf, bundle: readFileSync(join(out, 'worker.js'), 'utf8') }
}

let withCompat
let withoutCompat
before(async () => {
  withCompat = await worker(
    `import * as jwt from 'jwt-wasm'
import { runPaths } from '../support/mac-paths-run.mjs'
export default {
  async fetch(request) {
    return Response.json(runPaths(jwt, await request.json()))
  },
}
`,
    { compatibilityFlags: ['nodejs_compat'] },
  )
  withoutCompat = await worker(
    `import { Signer, Verifier } from 'jwt-wasm'
export default {
  async fetch() {
    const secret = 'a 32-byte secret for the paths!!'
    const token = new Signer({ key: { alg: 'HS256', secret } }).sign({ sub: 'large', exp: 1900000000, pad: 'p'.repeat(5000) })
    const keys = [{ alg: 'HS256', secret }]
    let native
    try {
      new Verifier({ keys, algorithms: ['HS256'], mac: 'native' })
      native = 'made'
    } catch (e) {
      native = { typeError: e instanceof TypeError, code: e.code, message: e.message }
    }
    const results = ['auto', 'wasm'].map((mac) => new Verifier({ keys, algorithms: ['HS256'], mac }).verify(token).payload.sub)
    return Response.json({ process: typeof globalThis.process, native, results, length: token.length })
  },
}
`,
  )
})

after(async () => {
  for (const mf of workers) await mf.dispose()
})

test('workerd with nodejs_compat: every shared vector, the same verdict on both MAC paths and as in Node', async () => {
  const res = await withCompat.mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify(cases) })
  assert.equal(res.status, 200, await res.clone().text())
  const outcomes = await res.json()
  assert.equal(outcomes.length, cases.length)
  let natively = 0
  outcomes.forEach((o, i) => {
    assert.equal(o.name, cases[i].name)
    assert.deepEqual(o.native, o.wasm, `${o.name}: the paths differ`)
    // Through JSON, as the Worker's answer came (an Infinity in a payload reads as null).
    const node = JSON.parse(JSON.stringify(runOn(jwt, cases[i], 'wasm')))
    assert.deepEqual(o.wasm, node, `${o.name}: workerd and Node differ`)
    if (o.native.stage === 'verify') natively++
  })
  // A Verifier with mac 'native' was made (not refused for want of node:crypto) for every case
  // whose options are valid: the native path was there and forced.
  assert.equal(natively, outcomes.filter((o) => o.wasm.stage === 'verify').length)
  assert.ok(natively > 400, `${natively} cases verified on the native path`)
})

test('workerd without nodejs_compat: no node:crypto in the bundle; the wasm path verifies, native is refused', async () => {
  // Only the guarded process.getBuiltinModule?.('node:crypto') names it: no import, no require.
  assert.doesNotMatch(withoutCompat.bundle, /^\s*import\b[^;]*["']node:/m, 'no static node: import')
  assert.doesNotMatch(withoutCompat.bundle, /\bimport\(\s*["']node:|\brequire\(\s*["']node:/, 'no dynamic node: import')
  assert.match(withoutCompat.bundle, /process\?\.getBuiltinModule\?\.\(["']node:crypto["']\)/)
  const res = await withoutCompat.mf.dispatchFetch('http://localhost/')
  assert.equal(res.status, 200, await res.clone().text())
  const got = await res.json()
  assert.equal(got.process, 'undefined', 'no process global without nodejs_compat')
  assert.ok(got.length > 5000)
  assert.deepEqual(got.results, ['large', 'large'])
  assert.equal(got.native.typeError, true, JSON.stringify(got.native))
  assert.equal(got.native.code, 'ERR_INVALID_OPTIONS')
  assert.match(got.native.message, /nodejs_compat/)
})
