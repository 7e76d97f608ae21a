// Memory stays flat: many verifies of one token, verifiers dropped to the garbage collector in
// rounds (wasm-bindgen's FinalizationRegistry frees them), and verifiers freed explicitly.
//
// Each scenario runs in a child `node --expose-gc` and reports snapshots taken after a full gc:
//   wasm  the byte length of the package's own WebAssembly.Memory. Linear memory never shrinks
//         and grows in 64 KiB pages, so any leak inside wasm (even one byte per call over 100,000
//         calls) shows as growth. The test reads it through the package's internal `wasm.js`
//         (the same module instance the entry point loaded: same file URL), as the public API has
//         no handle on it.
//   rss, heap, arrayBuffers   process.memoryUsage(): leaks on the JS side (objects, buffers).
//         The child runs with a fixed 1 MB young generation (--max-semi-space-size=1): otherwise
//         V8 grows it in ~10 MB steps under a high allocation rate (seen with Signer.sign), which
//         moves rss without anything being retained.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const MB = 1024 * 1024

const prelude = `
  import { Verifier, Signer, inspect, decodeUnverified } from 'jwt-wasm'
  import * as C from 'jwt-wasm/claims'
  const { engine, claims, jwe } = await import(new URL('./wasm.js', import.meta.resolve('jwt-wasm')))
  const J = await import('jwt-wasm/jwe')
  if (typeof engine !== 'function') throw new Error('the package layout changed: no wasm.js engine() beside the entry')
  const tick = () => new Promise((r) => setTimeout(r, 0))
  async function snap(of) {
    for (let i = 0; i < 3; i++) { gc(); await tick() }
    const m = process.memoryUsage()
    return { wasm: engine(of).memory.buffer.byteLength, rss: m.rss, heap: m.heapUsed, arrayBuffers: m.arrayBuffers }
  }
  const NOW = 1767225600
  const at = { currentDate: new Date(NOW * 1000) }
  const secret = 'memory-test-secret-0123456789abcdef'
  const keys = [{ kid: 'k1', alg: 'HS256', secret }]
  const signer = new Signer({ key: keys[0], ttl: 600 })
  // About 300 bytes, like a typical access token.
  const token = signer.sign({ iss: 'https://issuer.example', sub: 'user-1234567890', aud: 'api', scope: 'read:items write:items', roles: ['reader', 'writer'], sid: 'a'.repeat(40) }, at)
  const expired = { currentDate: new Date((NOW + 601) * 1000) }
  const snaps = {}
`

/** Runs `body` after the prelude in a child with --expose-gc; returns its `snaps`. */
function child(body) {
  const script = `${prelude}\n${body}\nconsole.log(JSON.stringify({ tokenBytes: token.length, snaps }))`
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--max-semi-space-size=1', '--input-type=module', '-e', script],
    { cwd: here, encoding: 'utf8', maxBuffer: 1 << 20 },
  )
  return JSON.parse(out)
}

/** A readable summary of the growth from `a` to `b`. */
const growth = (a, b) =>
  `wasm ${b.wasm - a.wasm} B (${a.wasm} → ${b.wasm}), rss ${((b.rss - a.rss) / MB).toFixed(2)} MB, heap ${((b.heap - a.heap) / MB).toFixed(2)} MB, arrayBuffers ${((b.arrayBuffers - a.arrayBuffers) / MB).toFixed(2)} MB`

function assertFlat(t, label, a, b, { rss = 6 * MB, heap = 1 * MB, arrayBuffers = 1 * MB } = {}) {
  t.diagnostic(`${label}: ${growth(a, b)}`)
  assert.equal(b.wasm - a.wasm, 0, `${label}: the wasm memory grew: ${growth(a, b)}`)
  assert.ok(b.rss - a.rss < rss, `${label}: rss grew: ${growth(a, b)}`)
  assert.ok(b.heap - a.heap < heap, `${label}: the JS heap grew: ${growth(a, b)}`)
  assert.ok(b.arrayBuffers - a.arrayBuffers < arrayBuffers, `${label}: arrayBuffers grew: ${growth(a, b)}`)
}

test('100,000 verifies of one token (and 100,000 failures, inspects, decodes) do not grow memory', (t) => {
  const { tokenBytes, snaps } = child(`
    const v = new Verifier({ keys, algorithms: ['HS256'], audience: 'api' })
    const run = (n) => { for (let i = 0; i < n; i++) v.verify(token, at) }
    run(10000)
    snaps.warm = await snap()
    run(50000)
    snaps.half = await snap()
    run(50000)
    snaps.end = await snap()
    const fail = (n) => { for (let i = 0; i < n; i++) try { v.verify(token, expired) } catch (e) { if (e.code !== 'ERR_JWT_EXPIRED') throw e } }
    fail(10000)
    snaps.failWarm = await snap()
    fail(100000)
    snaps.failEnd = await snap()
    const read = (n) => { for (let i = 0; i < n; i++) { inspect(token, at); decodeUnverified(token) } }
    read(10000)
    snaps.readWarm = await snap()
    read(100000)
    snaps.readEnd = await snap()
    // The same on the claims artifact (jwt-wasm/claims, the session's), its own memory.
    const readClaims = (n) => { for (let i = 0; i < n; i++) { C.inspect(token, at); C.decodeUnverified(token) } }
    readClaims(10000)
    snaps.claimsWarm = await snap(claims)
    readClaims(100000)
    snaps.claimsEnd = await snap(claims)
  `)
  t.diagnostic(`token ${tokenBytes} B`)
  assert.ok(tokenBytes > 250 && tokenBytes < 400, `a small token: ${tokenBytes} B`)
  assertFlat(t, 'verify, first to second half', snaps.half, snaps.end)
  assertFlat(t, 'verify, 100,000 after warm-up', snaps.warm, snaps.end)
  assertFlat(t, '100,000 expired (error objects with payload)', snaps.failWarm, snaps.failEnd)
  assertFlat(t, '100,000 inspect + decodeUnverified', snaps.readWarm, snaps.readEnd)
  assertFlat(t, '100,000 inspect + decodeUnverified on the claims artifact', snaps.claimsWarm, snaps.claimsEnd)
})

test('verifiers dropped without free() in rounds are reclaimed (FinalizationRegistry)', (t) => {
  const ROUNDS = 20
  const PER_ROUND = 1000
  const { snaps } = child(`
    snaps.start = await snap()
    snaps.rounds = []
    for (let r = 0; r < ${ROUNDS}; r++) {
      for (let i = 0; i < ${PER_ROUND}; i++) {
        const v = new Verifier({ keys, algorithms: ['HS256'], audience: 'api' })
        v.verify(token, at)
      }
      snaps.rounds.push(await snap())
    }
  `)
  const r = snaps.rounds
  t.diagnostic(
    `wasm memory by round: ${r.map((s) => s.wasm / 1024).join(', ')} KiB (${snaps.start.wasm / 1024} KiB before)`,
  )
  t.diagnostic(`rss by round: ${r.map((s) => (s.rss / MB).toFixed(1)).join(', ')} MB`)
  // Without finalization every round would add what round 1 added.
  assert.ok(r[0].wasm > snaps.start.wasm, 'round 1 needed wasm memory (else this test measures nothing)')
  // The first rounds size the allocator; after that, nothing may grow.
  assertFlat(t, `rounds 4 to ${ROUNDS}`, r[3], r[ROUNDS - 1])
})

test('free() on 10,000 verifiers keeps memory flat', (t) => {
  // The freed objects stay reachable, so only free() (not the garbage collector) can have
  // released their wasm memory.
  const { snaps } = child(`
    const kept = []
    const once = () => {
      const v = new Verifier({ keys, algorithms: ['HS256'], audience: 'api' })
      v.verify(token, at)
      v.free()
      kept.push(v)
    }
    for (let i = 0; i < 2000; i++) once()
    snaps.warm = await snap()
    for (let i = 0; i < 10000; i++) once()
    snaps.end = await snap()
    const s = () => { const x = new Signer({ key: keys[0], ttl: 60, jti: true }); x.sign({ sub: 'u' }, at); x.free(); kept.push(x) }
    for (let i = 0; i < 2000; i++) s()
    snaps.signWarm = await snap()
    for (let i = 0; i < 10000; i++) s()
    snaps.signEnd = await snap()
    if (kept.length !== 24000) throw new Error('kept')
  `)
  // 10,000 empty JS shells stay on the heap by design (about 0.5 MB).
  const bounds = { heap: 2 * MB }
  assertFlat(t, '10,000 Verifier new/verify/free', snaps.warm, snaps.end, bounds)
  assertFlat(t, '10,000 Signer new/sign/free', snaps.signWarm, snaps.signEnd, bounds)
})

test('jwt-wasm/jwe: 50,000 decrypts (and failures) and 10,000 freed Decrypters and Encrypters stay flat', (t) => {
  const { snaps } = child(`
    const key = { alg: 'A128KW', secret: new Uint8Array(16).fill(7) }
    const policy = { keys: [key], algorithms: ['A128KW'], encryptions: ['A128GCM'], verifier: { keys, algorithms: ['HS256'], audience: 'api' } }
    const e = new J.Encrypter({ key, enc: 'A128GCM' })
    const d = new J.Decrypter(policy)
    const sealed = e.encrypt(token)
    const forged = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1)
    const run = (n) => { for (let i = 0; i < n; i++) { d.decrypt(sealed, at); try { d.decrypt(forged, at) } catch (x) { if (x.code !== 'ERR_JWE_DECRYPTION_FAILED') throw x } } }
    run(5000)
    snaps.warm = await snap(jwe)
    run(25000)
    snaps.end = await snap(jwe)
    const kept = []
    const once = () => { const x = new J.Decrypter(policy); x.decrypt(sealed, at); x.free(); const y = new J.Encrypter({ key, enc: 'A128GCM' }); y.encrypt(token); y.free(); kept.push(x, y) }
    for (let i = 0; i < 2000; i++) once()
    snaps.freeWarm = await snap(jwe)
    for (let i = 0; i < 10000; i++) once()
    snaps.freeEnd = await snap(jwe)
  `)
  assertFlat(t, '50,000 decrypts and 50,000 forgeries refused', snaps.warm, snaps.end)
  // 20,000 empty JS shells stay on the heap by design (about 1 MB).
  assertFlat(t, '10,000 Decrypter and Encrypter new/use/free', snaps.freeWarm, snaps.freeEnd, { heap: 2 * MB })
})
