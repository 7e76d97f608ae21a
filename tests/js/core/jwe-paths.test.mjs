// The Decrypter's content decryption by WebCrypto in Node (`decryptAsync` with `cipher:
// 'webcrypto'`, src/js/jwe-webcrypto.js): every case of tests/js/support/jwe-paths-cases.mjs
// (all 12 alg × enc from jose and from our Encrypter, small and large, and the threat-named
// negatives) gives the same result or the same error on every path (`decrypt`; `decryptAsync`
// in wasm and by WebCrypto), the one each case names; decrypts in flight at once stay apart; the
// option is checked; `auto` is wasm in Node.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as jwe from 'jwt-wasm/jwe'
import { allCases } from '../support/jwe-paths-cases.mjs'
import { runInterleaved, runOn, runPaths } from '../support/jwe-paths-run.mjs'

const cases = await allCases()

test('every JWE case: the same result and error on decrypt, decryptAsync in wasm and by WebCrypto', async () => {
  assert.ok(cases.length > 240, `${cases.length} cases`)
  const outcomes = await runPaths(jwe, cases)
  outcomes.forEach((o, i) => {
    const c = cases[i]
    assert.deepEqual(o.wasm, o.sync, `${o.name}: decryptAsync (wasm) differs from decrypt`)
    assert.deepEqual(o.webcrypto, o.sync, `${o.name}: decryptAsync (webcrypto) differs from decrypt`)
    if (c.expect === 'ok') assert.equal(o.webcrypto.ok, true, `${o.name}: ${o.webcrypto.message}`)
    else assert.equal(o.webcrypto.code, c.expect, `${o.name}: ${o.webcrypto.message}`)
  })
  // Each failure to decrypt, by WebCrypto too, is the one error and message: no oracle.
  const failed = outcomes.filter((o) => o.webcrypto.code === 'ERR_JWE_DECRYPTION_FAILED')
  assert.ok(failed.length > 90)
  assert.equal(new Set(failed.map((o) => `${o.webcrypto.name}: ${o.webcrypto.message}`)).size, 1)
  assert.ok(failed.every((o) => o.webcrypto.jwtError))
})

test('decrypts in flight at once on one Decrypter: each the result it has alone', async () => {
  for (const name of ['dir + A256GCM', 'A128KW + A128CBC-HS256', 'A256KW + A256GCM', 'A256KW + A128GCM']) {
    const first = cases.find((c) => c.name.startsWith(`${name}:`))
    const mine = cases.filter((c) => c.name.startsWith(`${name}:`) && c.key.hex === first?.key.hex)
    const alone = await Promise.all(mine.map((c) => runOn(jwe, c, 'webcrypto')))
    const together = await runInterleaved(jwe, [...mine, ...mine])
    const want = [...alone, ...alone].map((o) => (o.ok ? { ok: true, sub: o.payload.sub } : { code: o.code }))
    assert.deepEqual(together, want, name)
    assert.ok(together.some((o) => o.ok) && together.some((o) => o.code), name)
  }
})

test("options.cipher: 'auto' (the default), 'wasm' or 'webcrypto'; anything else is an ERR_INVALID_OPTIONS TypeError", async () => {
  const c = cases.find((x) => x.name === 'dir + A256GCM: ours, large')
  assert.ok(c && c.token.length > 6000)
  for (const cipher of ['auto', 'wasm', 'webcrypto']) assert.equal((await runOn(jwe, c, cipher)).payload?.sub, 'bob')
  for (const cipher of ['', 'WebCrypto', 'native', 1, null]) {
    const o = await runOn(jwe, c, /** @type {any} */ (cipher))
    assert.equal(o.stage, 'construct')
    assert.equal(o.code, 'ERR_INVALID_OPTIONS', String(cipher))
    assert.match(o.message, /options\.cipher must be one of auto, wasm, webcrypto/)
  }
})

test('decryptAsync refuses what decrypt refuses before any core call, as a rejection', async () => {
  const c = cases.find((x) => x.name === 'dir + A256GCM: ours, small')
  const d = new jwe.Decrypter({
    keys: [{ alg: 'dir', enc: 'A256GCM', secret: new Uint8Array(32).fill(7) }],
    algorithms: ['dir'],
    encryptions: ['A256GCM'],
    verifier: { keys: [{ alg: 'HS256', secret: new Uint8Array(32).fill(3) }], algorithms: ['HS256'] },
    cipher: 'webcrypto',
    maxTokenBytes: 1024,
  })
  await assert.rejects(d.decryptAsync(/** @type {any} */ (42)), { code: 'ERR_JWE_INVALID' })
  await assert.rejects(d.decryptAsync('x'.repeat(2000)), { code: 'ERR_JWT_TOO_LARGE' })
  await assert.rejects(d.decryptAsync(c.token, /** @type {any} */ ({ when: 1 })), { code: 'ERR_INVALID_OPTIONS' })
  const inFlight = d.decryptAsync(c.token, { currentDate: new Date(c.now * 1000) })
  d.free() // during the await: the second half finds it freed
  await assert.rejects(inFlight, { code: 'ERR_INVALID_OPTIONS', message: /freed/ })
  await assert.rejects(d.decryptAsync(c.token), { code: 'ERR_INVALID_OPTIONS', message: /freed/ })
})
