// The bench's own pieces, run by `make bench` before it measures anything (not part of
// `make test`): the soundness gate catches a verify that lets a bad token through, ratios are
// taken within each round, the README section is replaced only between its markers, and the
// memory verdict sees growth.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Signer, Verifier } from 'jwt-wasm'
import { AUD, ISS, SECRET, claims, tokens as makeTokens } from './fixtures.mjs'
import { gate } from './peers.mjs'
import { BEGIN, END, flat, replaceSection } from './report.mjs'
import { measure, summarise } from './timing.mjs'

const now = 1_767_225_600
const at = { currentDate: new Date(now * 1000) }
const signer = new Signer({ key: { alg: 'HS256', secret: SECRET } })
const tokens = makeTokens((c) => signer.sign(c), now)
const strict = new Verifier({
  keys: [{ alg: 'HS256', secret: SECRET }],
  algorithms: ['HS256'],
  issuer: ISS,
  audience: AUD,
})
const check = (t) => strict.verify(t, at).payload
const verifyCase = (id, make, floor = false) => ({ id, label: id, async: false, floor, make })

test('the gate passes a sound verifier and a sound signer', async () => {
  const all = {
    verify: [verifyCase('strict', (t) => () => strict.verify(t, at).payload)],
    sign: [{ id: 'signer', fn: () => signer.sign(claims(now).small) }],
    check,
  }
  assert.deepEqual(await gate(all, tokens), [])
})

test('the gate fails a verifier that takes any audience, one that skips everything, and a broken signer', async () => {
  const anyAudience = new Verifier({
    keys: [{ alg: 'HS256', secret: SECRET }],
    algorithms: ['HS256'],
    issuer: ISS,
    audience: [AUD, 'api://someone-else'],
  })
  const all = {
    verify: [
      verifyCase('any-audience', (t) => () => anyAudience.verify(t, at).payload),
      verifyCase('decode-only', () => () => ({ sub: claims(now).small.sub })),
      verifyCase('floor-that-accepts', () => () => true, true),
    ],
    sign: [
      {
        id: 'wrong-key',
        fn: () => new Signer({ key: { alg: 'HS256', secret: `${SECRET}!` } }).sign(claims(now).small),
      },
    ],
    check,
  }
  const failures = await gate(all, tokens)
  assert.deepEqual(failures.slice(0, -1), [
    'any-audience: accepted a wrong audience',
    'decode-only: accepted a forged signature',
    'decode-only: accepted a wrong audience',
    'decode-only: accepted a wrong issuer',
    'decode-only: accepted an expired token',
    'floor-that-accepts: accepted a forged signature',
  ])
  assert.match(failures.at(-1), /^wrong-key: its token does not verify/)
})

test('ratios are taken within each round: a machine that slows down moves both sides', async () => {
  // The peer always costs 3× the baseline, but the machine's speed changes from round to round.
  const [base, peer] = summarise([
    [1, 10, 2, 8],
    [3, 30, 6, 24],
  ])
  assert.deepEqual(peer.ratio, { med: 3, min: 3, max: 3 })
  assert.deepEqual(base.ratio, { med: 1, min: 1, max: 1 })
  assert.deepEqual(peer.us, { med: 15, min: 3, max: 30 })
  // And measure() hands run() each case in turn, every round, with its calibrated batch size.
  const seen = []
  const timed = await measure(
    [{ id: 'a' }, { id: 'b' }],
    async (c, n) => {
      seen.push(c.id)
      return n * (c.id === 'a' ? 1000 : 2000)
    },
    { rounds: 3, sliceMs: 20, warmupMs: 20 },
  )
  assert.deepEqual(
    timed.map((t) => t.ratio.med),
    [1, 2],
  )
  assert.deepEqual(seen.slice(-6), ['a', 'b', 'b', 'a', 'a', 'b'])
})

test('the README section is replaced between its markers only, and a README without them is refused', () => {
  const text = `# t\n\nbefore\n${BEGIN}\nold\n${END}\nafter\n`
  const once = replaceSection(text, 'new table')
  assert.equal(once, `# t\n\nbefore\n${BEGIN}\nnew table\n${END}\nafter\n`)
  assert.equal(replaceSection(once, 'new table'), once)
  assert.throws(() => replaceSection('# no markers\n', 'x'), /no make-bench markers/)
})

test('memory is flat only when wasm memory did not grow and RSS grew little', () => {
  const s = (wasm, rssMb) => ({ wasm, rss: rssMb * 1024 * 1024 })
  assert.equal(flat({ snaps: [s(1, 40), s(1, 41), s(1, 42)] }), true)
  assert.equal(flat({ snaps: [s(1, 40), s(1, 41), s(2, 41)] }), false)
  assert.equal(flat({ snaps: [s(1, 40), s(1, 41), s(1, 60)] }), false)
})
