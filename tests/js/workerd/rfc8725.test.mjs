// The RFC 8725 verifier checklist (tests/vectors/rfc8725.json) on real workerd, through miniflare:
// a Worker bundled the way wrangler does it (`jwt-wasm` through its `workerd` condition, the .wasm
// a module compiled at load) runs every case with tests/js/support/rfc8725-run.mjs and answers
// the outcomes; each case is then its own test here, named `#row §section threat: case`.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'
import { assertOutcome, loadChecklist, namedCases } from '../support/rfc8725-check.mjs'

const doc = loadChecklist()
let mf
let outcomes
let bundle

before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'rfc8725-workerd-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import * as jwt from 'jwt-wasm'
import { runAll } from '../support/rfc8725-run.mjs'
export default {
  async fetch(request) {
    return Response.json(runAll(jwt, await request.json()))
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js')))
  bundle = readFileSync(join(dir, 'out', 'worker.js'), 'utf8')
  const res = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify(doc) })
  assert.equal(res.status, 200, await res.clone().text())
  outcomes = await res.json()
})

after(async () => {
  await mf?.dispose()
})

test('the Worker loaded jwt-wasm through its workerd entry (the .wasm imported as a module)', () => {
  assert.match(bundle, /from\s*"\.\/[^"]+\.wasm"/)
  assert.equal(Object.keys(outcomes).length, namedCases(doc).length, 'an outcome for every case')
})

for (const { c, title } of namedCases(doc)) {
  test(`rfc8725 workerd ${title}`, () => assertOutcome(c, outcomes[c.name]))
}
