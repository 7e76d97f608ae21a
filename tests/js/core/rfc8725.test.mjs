// The RFC 8725 verifier checklist (tests/vectors/rfc8725.json, ANCHORS.md §2.3) in Node, through
// the installed `jwt-wasm` package: one test per case, named `#row §section threat: case`.
// The same cases run natively (tests/rfc8725.rs), on workerd (tests/js/workerd/rfc8725.test.mjs)
// and in Chromium (tests/e2e/rfc8725.e2e.mjs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as jwt from 'jwt-wasm'
import { runCase } from '../support/rfc8725-run.mjs'
import { assertOutcome, loadChecklist, namedCases } from '../support/rfc8725-check.mjs'

const doc = loadChecklist()

test('every row of the checklist has a case', () => {
  for (const row of doc.rows) assert.ok(row.cases.length > 0, `row ${row.row} has no case`)
})

for (const { c, title } of namedCases(doc)) {
  test(`rfc8725 node ${title}`, () => assertOutcome(c, runCase(jwt, c)))
}
