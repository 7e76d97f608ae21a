// The bench's own pieces, run by `make bench` before it measures anything (not part of
// `make test`): the soundness gate catches a verify that lets a bad token through, ratios are
// taken within each round, the README section is replaced only between its markers, and the
// memory verdict sees growth; where the time and the bytes go is derived and attributed as said.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { Signer, Verifier } from 'jwt-wasm'
import { AUD, ISS, SECRET, claims, tokens as makeTokens } from './fixtures.mjs'
import { attribute, parseWasm, partOf, sameModule, segments, wasmParts } from './bytes.mjs'
import { bytesLines } from './bytes-report.mjs'
import { limitCases } from './limits.mjs'
import { blocks, derive, limitNotes, timeTable } from './limits-report.mjs'
import { POOL, decryptRows, jweCases, pooled } from './jwe.mjs'
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

// Where the time goes (limits-report.mjs): the pieces by subtraction, every goal's line.
const piece = (id, med) => ({ id, us: { med, min: med, max: med }, ratio: { med: 1, min: 1, max: 1 } })
const limitsSet = (o) => Object.entries(o).map(([id, med]) => piece(id, med))
const LIMITS = {
  'verify-auto': 60,
  'verify-wasm': 80,
  'verify-native': 60,
  decode: 70,
  'mac-node': 10,
  'js-side': 20,
  boundary: 0.5,
  'js-least': 18,
  'jose-key': 120,
  'fast-jwt': 30,
}

test('the MAC in wasm and the rest of a verify are read off the two paths, with their crossings', () => {
  const d = derive(limitsSet(LIMITS))
  // 80 − 60 + 10 + 0.5 × (8 − 4) crossings = 32; the rest is 80 − 32, of which 20 in JS.
  assert.equal(d.macWasm, 32)
  assert.equal(d.rest, 48)
  assert.equal(d.core, 28)
  assert.equal(d.crossings, 2)
  assert.equal(d.fast, 30)
  assert.equal(derive(limitsSet({ 'verify-wasm': 1 })).native, undefined)
  // A small token's MAC: the large one's time per SHA-256 block, times its own blocks (5 + 1
  // inner for 315 bytes with the padding, 1 outer); its rest follows.
  assert.equal(blocks(315), 7)
  assert.equal(blocks(55), 2)
  assert.equal(blocks(56), 3)
  const small = derive(limitsSet(LIMITS), 315, 2)
  assert.equal(small.macWasm, 14)
  assert.equal(small.rest, 66)
})

test('each goal gets a line with its verdict from the verify sets and its limit from the pieces', () => {
  const ratios = (o) => Object.entries(o).map(([id, r]) => ({ ...piece(id, 1), ratio: { med: r, min: r, max: r } }))
  const run = (joseRatio) => ({
    node: {
      bytes: { small: 359, large: 5795 },
      limits_small: limitsSet(LIMITS),
      limits_large: limitsSet(LIMITS),
      verify_small: ratios({ 'jose-key': joseRatio, 'floor-node': 0.5 }),
      verify_large: ratios({ 'jose-key': joseRatio, 'fast-jwt': 0.5 }),
    },
    workerd: {
      bytes: { small: 359, large: 5795 },
      limits_small: limitsSet(LIMITS),
      limits_large: limitsSet(LIMITS),
      verify_small: ratios({ 'jose-key': joseRatio, 'floor-webcrypto': 0.5 }),
      verify_large: ratios({ 'jose-key': joseRatio }),
    },
  })
  const notes = limitNotes(run(2)).split('\n')
  assert.equal(notes.length, 8)
  assert.match(notes[0], /^- Node, small, ≥ 8× jose: 2\.00× \(not met\)\. The goal asks for ≤ 15\.0 µs/)
  // The large token's 32 µs MAC over 91 blocks gives the small one 7 blocks' worth: 2.46 µs.
  assert.match(notes[0], /verify without its MAC takes 77\.5 µs \(57\.5 in wasm.*the MAC 2\.5 µs in wasm/)
  assert.match(notes[2], /verify without its MAC takes 48\.0 µs \(28\.0 in wasm/)
  assert.match(notes[1], /≤ 1\.0× the HMAC-only floor: 2\.00× \(not met\)/)
  assert.match(notes[3], /fast-jwt: 0\.50× \(not met\)/)
  assert.match(limitNotes(run(9)), /^- Node, small, ≥ 8× jose: 9\.00× \(met\)/)
  const table = timeTable(run(2)).split('\n')
  assert.match(
    table[0],
    /^\| where the time goes.*\| Node, small \| Node, large \| workerd, small \| workerd, large \|$/,
  )
  assert.ok(table.some((row) => row.startsWith('| (b) the MAC in wasm') && row.endsWith('| 2.5 | 32.0 | 2.5 | 32.0 |')))
})

// Where the bytes go (bytes.mjs, bytes-report.mjs).
const leb = (n) => {
  const out = []
  do {
    let b = n & 0x7f
    n >>>= 7
    if (n) b |= 0x80
    out.push(b)
  } while (n)
  return out
}
const section = (id, content) => [id, ...leb(content.length), ...content]
const str = (s) => [...leb(s.length), ...Buffer.from(s)]
/** A module importing one function, defining two (bodies of 2 and 130 bytes) with names. */
function tinyWasm(names) {
  const big = [0, ...Array(128).fill(0x01), 0x0b]
  const nameMap = [...leb(names.length), ...names.flatMap((n, i) => [...leb(i + 1), ...str(n)])]
  return Uint8Array.from([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(2, [1, ...str('env'), ...str('f'), 0, 0]),
    ...section(3, [2, 0, 0]),
    ...section(10, [2, 2, 0, 0x0b, ...leb(big.length), ...big]),
    ...section(0, [...str('name'), 1, ...leb(nameMap.length), ...nameMap]),
  ])
}

test('a wasm binary is split into its parts by the names of its functions (after the imported ones)', () => {
  const buf = tinyWasm(['jwt_wasm::b64::decode_into::h1', 'sha2::sha256::compress256::h2'])
  assert.ok(WebAssembly.validate(buf))
  const { bodies, names } = parseWasm(buf)
  assert.deepEqual(
    bodies.map((b) => [b.index, b.end - b.start]),
    [
      [1, 2],
      [2, 130],
    ],
  )
  assert.equal(names.get(2), 'sha2::sha256::compress256::h2')
  const parts = wasmParts(buf)
  assert.deepEqual(
    parts.filter((p) => p.functions).map((p) => [p.part, p.bytes]),
    [
      ['SHA-2', 130],
      ['base64url', 2],
    ],
  )
  assert.equal(partOf('jwt_wasm::json::reader::Parser::value::h3'), 'strict JSON reader and writer')
  assert.equal(
    partOf('<talc::wasm::WasmBinning as talc::base::binning::Binning>::size_to_bin'),
    'the allocator (talc) and Vec growth',
  )
  assert.equal(partOf('something_else'), 'other')
  // The rebuild with names must be the shipped module but for them: other names are the same
  // module; another body is not.
  assert.ok(sameModule(buf, tinyWasm(['a', 'b'])))
  const other = tinyWasm(['a', 'b'])
  other[other.indexOf(0x0b) - 1] = 0x01 // one byte of the first body changed, same length
  assert.equal(sameModule(buf, other), false)
  assert.throws(() => parseWasm(Uint8Array.of(1, 2, 3, 4)), /not a wasm binary/)
})

test('a bundle is attributed to its sources through the source map', () => {
  // "AAAA": column 0 of source 0; "EAAE": column +2, source +0, col +2; "CCAA": column +1, source +1.
  assert.deepEqual(segments('AAAA,EAAE,CCAA'), [
    [0, 0, 0],
    [0, 2, 0],
    [0, 3, 1],
  ])
  const per = attribute('abcdef', { mappings: 'AAAA,GCAA', sources: ['x.js', 'y.js'] })
  assert.deepEqual(
    per.map((m) => [m.source, m.bytes]),
    [
      ['x.js', 3],
      ['y.js', 3],
      ['(none)', 1],
    ],
  )
  const part = (p, bytes, gz) => ({ part: p, bytes, gz })
  const lines = bytesLines({
    wasm: [
      {
        file: 'jwt_wasm_claims.wasm',
        bytes: 27000,
        gz: 13000,
        parts: [
          part('strict JSON reader and writer', 9000, 4000),
          part('the allocator (talc) and Vec growth', 3000, 1600),
          part('tiny', 10, 20),
        ],
      },
      { file: 'jwt_wasm_hmac.wasm', bytes: 49000, gz: 23000, parts: [part('SHA-2', 2000, 1100)] },
    ],
    js: [
      {
        name: 'jwt-wasm/session',
        bytes: 35000,
        gz: 12800,
        modules: [{ source: 'session/session.js', bytes: 6000, gz: 2300 }],
      },
    ],
  }).split('\n')
  assert.match(
    lines[0],
    /^- `jwt_wasm_claims\.wasm` \(27,000 B, 12\.7 KB gzip\).*strict JSON reader and writer 9,000 B \(3\.9 KB\); .*; tiny 10 B \(0\.0 KB\)\.$/,
  )
  assert.match(
    lines[4],
    /session is not 12\.0 KB: its JS alone is 12\.5 KB gzip \(over the goal by itself\).*12\.7 KB more \(its strict JSON reader 3\.9 KB, its allocator 1\.6 KB/,
  )
  // The hmac artifact less the claims one: what the capability costs, inlining and all.
  assert.match(lines[3], /^- What the hmac capability adds .*: 22,000 B, 9\.8 KB gzip/)
})

test('in the rounds of the pieces, only the empty call or sign ever follows an asynchronous case', async () => {
  const module = new WebAssembly.Module(readFileSync(new URL(import.meta.resolve('jwt-wasm/hmac-native.wasm'))))
  const lib = { jwtWasm: await import('jwt-wasm'), jose: {}, fastJwt: { createVerifier: () => () => ({}) }, module }
  for (const crypto of [undefined, await import('node:crypto')]) {
    const sets = await limitCases({ ...lib, nodeCrypto: crypto }, tokens, now)
    for (const list of Object.values(sets)) {
      assert.equal(list[0].id, 'verify-auto')
      // timing.mjs rotates the order: case j follows case j − 1, and the first follows the last.
      list.forEach((c, j) => {
        const before = list.at(j - 1)
        if (before.async) assert.ok(['boundary', 'sign'].includes(c.id), `${c.id} follows ${before.id}`)
      })
      assert.ok(list.some((c) => c.async))
    }
  }
})

test('the jwe cases are timed over a pool of distinct tokens with the same headers, each case turning with its own counter', async () => {
  const jwe = await import('jwt-wasm/jwe')
  const jose = await import('jose')
  const { tokens, token, failures } = await jweCases({ jwe, jose, jwt: { Verifier } }, now)
  assert.deepEqual(failures, [])
  assert.equal(tokens.length, POOL)
  assert.equal(new Set(tokens).size, POOL)
  assert.equal(new Set(tokens.map((t) => t.split('.')[3])).size, POOL, 'a ciphertext of its own each')
  assert.deepEqual(new Set(tokens.map((t) => t.split('.')[0])), new Set([token.split('.')[0]]), 'one protected header')
  assert.deepEqual(new Set(tokens.map((t) => t.length)), new Set([token.length]))
  // Two cases over the same pool, called interleaved: each still meets every token in order.
  const seen = { a: [], b: [] }
  const a = pooled({ make: (t) => () => seen.a.push(t) }, ['x', 'y', 'z'])
  const b = pooled({ make: (t) => () => seen.b.push(t) }, ['x', 'y', 'z'])
  for (let i = 0; i < 4; i++) a(), b(), b()
  assert.deepEqual(seen.a, ['x', 'y', 'z', 'x'])
  assert.deepEqual(seen.b, ['x', 'y', 'z', 'x', 'y', 'z', 'x', 'y'])
})

test("the jwe rows: the guard's path (decryptAsync) against jose, decrypt beside it, and the limit where the goal is not met", async () => {
  const jwe = await import('jwt-wasm/jwe')
  const jose = await import('jose')
  const { cases, failures } = await jweCases({ jwe, jose, jwt: { Verifier } }, now)
  assert.deepEqual(failures, [])
  assert.deepEqual(
    cases.map((c) => [c.id, c.async]),
    [
      ['jwt-wasm', true],
      ['jwt-wasm-sync', false],
      ['jose-key', true],
      ['floor', true],
    ],
  )
  const e = (id, us, ratio) => ({
    id,
    us: { med: us, min: us, max: us },
    ratio: { med: ratio, min: ratio, max: ratio },
  })
  const side = (ours, sync, jose, floor) => ({
    decryptBytes: 576,
    decrypt: [
      e('jwt-wasm', ours, 1),
      e('jwt-wasm-sync', sync, sync / ours),
      e('jose-key', jose, jose / ours),
      e('floor', floor, floor / ours),
    ],
  })
  const goal = (text, ok, got) => `${text}: ${got}${ok ? ' (met)' : ' (not met)'}`
  const us = (x) => `${x.us.med.toFixed(2)} µs`
  const [node, workerd] = decryptRows({ node: side(30, 30, 90, 15), workerd: side(16, 27, 25, 11) }, goal, us)
  assert.equal(node[1], '30.00 µs (`decryptAsync`); `decrypt` (wasm) 30.00 µs')
  assert.equal(node[3], '≥ 2× jose: 3.00× (met)')
  assert.equal(workerd[0], 'workerd, decrypt + verify, nested JWE (576 B)')
  assert.match(
    workerd[3],
    /^≥ 2× jose: 1\.56× \(not met\); the goal asks for ≤ 12\.5 µs \(jose 25\.0 ÷ 2\), and the floor \(WebCrypto's AES-GCM alone, then our verify of the inner JWS\) takes 11\.0 µs, 2\.27× jose at best$/,
  )
})
