// The Node side of the RFC 8725 checklist suite: reads tests/vectors/rfc8725.json, names each
// case after its row and threat, and holds an outcome (from tests/js/support/rfc8725-run.mjs, in
// whatever runtime it ran) to the case's expectation. Used by the Node, workerd and Chromium runners.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** rfc8725.json from the repository (JWT_WASM_REPO, set by tests/js/run.sh and tests/e2e/run.sh). */
export function loadChecklist() {
  const repo = process.env.JWT_WASM_REPO
  assert.ok(repo, 'JWT_WASM_REPO is not set: run through tests/js/run.sh or tests/e2e/run.sh')
  const doc = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'rfc8725.json'), 'utf8'))
  assert.equal(doc.rows.length, 15, 'the checklist has 15 rows (ANCHORS.md §2.3)')
  return doc
}

/** Every case with its row, in order, each with its test name. */
export function namedCases(doc) {
  return doc.rows.flatMap((row) =>
    row.cases.map((c) => ({ row, c, title: `#${row.row} ${row.section} ${row.threat}: ${c.name}` })),
  )
}

/**
 * Fails unless `got` (an outcome of runCase) is what the case expects.
 * @param {any} c
 * @param {any} got
 */
export function assertOutcome(c, got) {
  const want = c.expect
  const seen = JSON.stringify(got)
  if ('payload' in want) {
    assert.equal(got.ok, true, `expected the token to verify, got ${seen}`)
    assert.deepEqual(got.payload, want.payload)
    assert.deepEqual(got.header, want.header)
    return
  }
  assert.notEqual(got.ok, true, `expected ${want.code} at ${want.stage}, but the token verified`)
  assert.equal(got.code, want.code, `expected ${want.code} at ${want.stage}, got ${seen}`)
  assert.equal(
    got.stage,
    want.stage,
    `expected ${want.code} when the Verifier is ${want.stage === 'construct' ? 'built' : 'used'}, got ${seen}`,
  )
  if (want.code === 'ERR_INVALID_OPTIONS') assert.equal(got.typeError, true, `an options error is a TypeError: ${seen}`)
  else assert.equal(got.jwtError, true, `a token or key error is a JwtError: ${seen}`)
  assert.equal(got.claim, want.claim ?? null, `claim: ${seen}`)
  assert.equal(got.reason, want.reason ?? null, `reason: ${seen}`)
}
