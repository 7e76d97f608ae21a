// decryptAsync's WebCrypto path on the Node artifact (src/js/jwe-webcrypto-ticket.js, the
// ticketed second half of src/wasm/jwe/ticket.rs): WebCrypto is handed views into the wasm
// memory where it decrypts at once, and copies where it must await first, and every case still
// decrypts as `decrypt` does when those bytes are overwritten right after each call returns;
// more than 64 decrypts in flight on one core (their tickets parked over) fall back to the
// token, each with its own result.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import * as jwe from 'jwt-wasm/jwe'
import { allCases } from '../support/jwe-paths-cases.mjs'
import { runInterleaved, runOn } from '../support/jwe-paths-run.mjs'
import { runOverwritten } from '../support/jwe-handoff-run.mjs'

const entry = import.meta.resolve('jwt-wasm/jwe')
const { jweCipher } = await import(new URL('./internal/jwe-cipher.js', entry))
const { engine, jwe: engineJwe } = await import(new URL('./wasm.js', entry))
const cases = await allCases()
/** @param {string} s */
const b64 = (s) => Buffer.from(s).toString('base64url')

test('the bytes handed to WebCrypto, overwritten as soon as each call returns: every case as decrypt gives it', async () => {
  const { outcomes, views, copies } = await runOverwritten(jwe, jweCipher, () => engine(engineJwe).memory.buffer, cases)
  assert.ok(outcomes.length > 240, `${outcomes.length} cases`)
  for (const o of outcomes) {
    assert.deepEqual(o.first, o.sync, `${o.name}: the first decryptAsync`)
    assert.deepEqual(o.again, o.sync, `${o.name}: again (the dir key imported)`)
  }
  const ok = outcomes.filter((o) => o.sync.ok).length
  assert.ok(ok > 40, `${ok} decrypted, ${views} views, ${copies} copies`)
  // Both hand-offs ran: views into the memory (a dir key imported), copies (a key to import first).
  assert.ok(views > 250, `${views} views`)
  assert.ok(copies > 500, `${copies} copies`)
})

test('more than 64 decrypts in flight on one core: the tickets parked over fall back to the token', async () => {
  for (const name of ['dir + A256GCM', 'A256KW + A128CBC-HS256']) {
    const mine = cases.filter(
      (c) => c.name.startsWith(`${name}:`) && c.key.hex === cases.find((x) => x.name.startsWith(`${name}:`))?.key.hex,
    )
    const alone = await Promise.all(mine.map((c) => runOn(jwe, c, 'webcrypto')))
    const times = Math.ceil(150 / mine.length)
    const many = Array.from({ length: times }, () => mine).flat()
    const want = Array.from({ length: times }, () => alone)
      .flat()
      .map((o) => (o.ok ? { ok: true, sub: o.payload.sub } : { code: o.code }))
    assert.ok(many.length > 64 * 2, `${many.length} in flight`)
    assert.deepEqual(await runInterleaved(jwe, many), want, name)
  }
})

test('each decryptAsync gets fresh objects, equal to what decrypt gives, its headers kept from the last', async () => {
  const c = cases.find((x) => x.name === 'dir + A256GCM: ours, small')
  assert.ok(c)
  const first = await runOn(jwe, c, 'webcrypto')
  const sync = await runOn(jwe, c, 'sync')
  assert.deepEqual(first, sync)
  const { hex, ...key } = c.key
  const d = new jwe.Decrypter({
    keys: [{ ...key, secret: Uint8Array.from(hex.match(/../g), (h) => Number.parseInt(h, 16)) }],
    algorithms: [key.alg],
    encryptions: [key.enc],
    verifier: { keys: [{ alg: 'HS256', kid: 'hs1', secret: new Uint8Array(32).fill(3) }], algorithms: ['HS256'] },
    cipher: 'webcrypto',
  })
  const at = { currentDate: new Date(c.now * 1000) }
  const a = await d.decryptAsync(c.token, at)
  a.protectedHeader.enc = 'changed by the caller'
  a.header.alg = 'changed by the caller'
  const b = await d.decryptAsync(c.token, at)
  assert.notEqual(b.protectedHeader, a.protectedHeader)
  assert.notEqual(b.header, a.header)
  assert.deepEqual(b, { protectedHeader: sync.protectedHeader, header: sync.header, payload: sync.payload })
  d.free()
})

test('a header with an object in it is parsed again each time; the flat ones after it are kept afresh', async () => {
  const secret = new Uint8Array(32).fill(7)
  const cek = new Uint8Array(32).fill(9)
  const key = { alg: 'dir', enc: 'A256GCM', secret: cek }
  /** A JWS with this header, MACed by node:crypto. @param {object} header */
  const jws = (header) => {
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify({ sub: 'u', exp: 1_900_000_600 }))}`
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
  }
  const enc = new jwe.Encrypter({ key, enc: 'A256GCM' })
  const flat = enc.encrypt(jws({ alg: 'HS256', typ: 'JWT' }))
  const deep = enc.encrypt(jws({ alg: 'HS256', typ: 'JWT', ext: { n: 1 } }))
  enc.free()
  const d = new jwe.Decrypter({
    keys: [key],
    algorithms: ['dir'],
    encryptions: ['A256GCM'],
    verifier: { keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'] },
    cipher: 'webcrypto',
  })
  const at = { currentDate: new Date(1_900_000_000_000) }
  const sync = { flat: d.decrypt(flat, at), deep: d.decrypt(deep, at) }
  for (const name of ['flat', 'deep', 'deep', 'flat', 'flat', 'deep']) {
    const got = await d.decryptAsync(name === 'flat' ? flat : deep, at)
    assert.deepEqual(got, sync[name], name)
    // What the caller changes never reaches the next result.
    got.protectedHeader.enc = 'changed'
    got.header.alg = 'changed'
    if (got.header.ext) got.header.ext.n = 2
  }
  d.free()
})

test("the layout's views are made once for tokens of one issuer and made again when the lengths, the address or the memory change", async () => {
  const real = jweCipher.webcrypto
  /** @type {{ alg: object, iv: Uint8Array, aad: Uint8Array, data: Uint8Array, bytes: string }[]} */
  const handed = []
  const hex = (/** @type {Uint8Array} */ b) => Buffer.from(b).toString('hex')
  jweCipher.webcrypto = (/** @type {SubtleCrypto} */ subtle, /** @type {Uint8Array[]} */ secrets) =>
    real(
      {
        importKey: (/** @type {any[]} */ ...a) => subtle.importKey(a[0], a[1], a[2], a[3], a[4]),
        decrypt: (/** @type {any} */ alg, /** @type {CryptoKey} */ key, /** @type {Uint8Array} */ data) => {
          // What the views show at the moment of the call: the token's own IV, AAD, ciphertext and tag.
          handed.push({
            alg,
            iv: alg.iv,
            aad: alg.additionalData,
            data,
            bytes: [alg.iv, alg.additionalData, data].map(hex).join('.'),
          })
          return subtle.decrypt(alg, key, data)
        },
      },
      secrets,
    )
  try {
    const secret = new Uint8Array(32).fill(7)
    const keys = [
      { kid: 'g', alg: 'dir', enc: 'A256GCM', secret: new Uint8Array(32).fill(9) },
      { kid: 'h', alg: 'dir', enc: 'A128GCM', secret: new Uint8Array(16).fill(8) },
    ]
    const signer = { key: { alg: 'HS256', secret } }
    const now = 1_767_225_600
    const at = { currentDate: new Date(now * 1000) }
    const seal = (/** @type {number} */ k, /** @type {number} */ n, /** @type {string} */ jti) =>
      new jwe.Encrypter({ key: keys[k], enc: keys[k].enc, signer }).encrypt(
        { sub: 'u', iat: now, exp: now + 60, jti, pad: 'x'.repeat(n) },
        at,
      )
    const options = {
      keys,
      algorithms: ['dir'],
      encryptions: ['A256GCM', 'A128GCM'],
      verifier: { keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'] },
      cipher: 'webcrypto',
      maxTokenBytes: 4_000_000,
    }
    const d = new jwe.Decrypter(options)
    const sync = new jwe.Decrypter(options) // its own core: a decrypt on d would move d's output buffer
    // One issuer's tokens (same lengths), another key of the same lengths, a longer one, then the
    // first issuer's again, once the memory grew (its buffer replaced) before token 6.
    const plan = [
      [0, 10, 'a'],
      [0, 10, 'b'],
      [1, 10, 'c'],
      [0, 10, 'd'],
      [0, 500, 'e'],
      [0, 10, 'f'],
      [0, 10, 'g'],
      [0, 10, 'h'],
      [0, 10, 'i'],
    ]
    const tokens = plan.map(([k, n, jti]) => seal(Number(k), Number(n), String(jti)))
    // Both dir keys imported first (a decrypt that awaits an import is handed copies, not views).
    for (const k of [0, 1]) await d.decryptAsync(seal(k, 10, 'warm'), at)
    handed.length = 0
    const before = engine(engineJwe).memory.buffer
    for (const [i, t] of tokens.entries()) {
      if (i === 6) seal(0, 1_500_000, 'grow') // its input alone needs more than the memory has
      const r = await d.decryptAsync(t, at)
      assert.equal(r.payload.jti, plan[i][2])
      assert.deepEqual(r, sync.decrypt(t, at))
      const [h, , iv, ct, tag] = t.split('.')
      const want = [
        Buffer.from(iv, 'base64url'),
        Buffer.from(h),
        Buffer.concat([Buffer.from(ct, 'base64url'), Buffer.from(tag, 'base64url')]),
      ]
      assert.equal(handed[i].bytes, want.map(hex).join('.'), `token ${i}: the bytes handed over are its own`)
    }
    const same = (/** @type {number} */ i, /** @type {number} */ j) =>
      handed[i].iv === handed[j].iv && handed[i].aad === handed[j].aad && handed[i].data === handed[j].data
    assert.ok(same(0, 1), 'the same views for two tokens of one issuer')
    assert.ok(same(1, 2) && same(2, 3), 'another key of the same lengths: the same views')
    assert.equal(handed[0].alg, handed[1].alg, 'and the same algorithm object for the same enc')
    assert.ok(handed[1].alg !== handed[2].alg && handed[2].alg !== handed[3].alg, 'made again for another enc')
    assert.deepEqual(
      handed.slice(0, 4).map((h) => /** @type {any} */ (h.alg).name),
      ['AES-GCM', 'AES-GCM', 'AES-GCM', 'AES-GCM'],
    )
    assert.ok(!same(3, 4) && !same(4, 5), 'other lengths: views made again')
    assert.ok(handed[5].data.buffer === before && engine(engineJwe).memory.buffer !== before, 'the memory grew')
    assert.ok(!same(5, 6) && handed[6].data.buffer !== before, 'the same lengths in a grown memory: views made again')
    assert.ok(same(6, 7) && same(7, 8), 'and kept from then on')
    d.free()
    sync.free()
  } finally {
    jweCipher.webcrypto = real
  }
})

test('the kept protected header (src/jwe/kept.rs): the very same header on another key, another decrypter, or one character off is read again, as decrypt reads it', async () => {
  const now = 1_767_225_600
  const at = { currentDate: new Date(now * 1000) }
  const signer = { key: { alg: 'HS256', secret: new Uint8Array(32).fill(7) } }
  // Two issuers whose keys share a kid, alg and enc: their tokens' protected headers are the very same bytes.
  const keyOf = (/** @type {number} */ fill) => ({
    kid: 'k',
    alg: 'dir',
    enc: 'A256GCM',
    secret: new Uint8Array(32).fill(fill),
  })
  const seal = (/** @type {number} */ fill, /** @type {string} */ jti) =>
    new jwe.Encrypter({ key: keyOf(fill), enc: 'A256GCM', signer }).encrypt({ sub: 'u', exp: now + 60, jti }, at)
  const decrypter = (/** @type {number} */ fill, /** @type {string[]} */ algorithms) =>
    new jwe.Decrypter({
      keys: [keyOf(fill)],
      algorithms: /** @type {any} */ (algorithms),
      encryptions: ['A256GCM'],
      verifier: { keys: [signer.key], algorithms: ['HS256'] },
      cipher: 'webcrypto',
    })
  const [one, two, oneAgain] = [decrypter(1, ['dir']), decrypter(2, ['dir']), decrypter(1, ['dir'])]
  const said = async (/** @type {any} */ d, /** @type {string} */ t) => {
    const [a, s] = await Promise.all([
      d.decryptAsync(t, at).then(
        (r) => r.payload.jti,
        (e) => e.code,
      ),
      Promise.resolve().then(() => {
        try {
          return d.decrypt(t, at).payload.jti
        } catch (e) {
          return /** @type {any} */ (e).code
        }
      }),
    ])
    assert.equal(a, s, `decryptAsync as decrypt for ${t.slice(0, 12)}…`)
    return a
  }
  const [t1, t2] = [seal(1, 'one'), seal(2, 'two')]
  assert.equal(t1.split('.')[0], t2.split('.')[0], 'the very same protected header')
  for (let round = 0; round < 3; round++) {
    assert.equal(await said(one, t1), 'one')
    assert.equal(await said(one, t2), 'ERR_JWE_DECRYPTION_FAILED', "the other issuer's token: its key never taken")
    assert.equal(await said(two, t2), 'two')
    assert.equal(await said(two, t1), 'ERR_JWE_DECRYPTION_FAILED')
    assert.equal(await said(oneAgain, t1), 'one', 'the same keys on another decrypter')
  }
  // The header one character off (its last, non-canonical trailing bits, or another letter) after a kept one.
  const [h, ...rest] = t1.split('.')
  const last = h.at(-1)
  for (const c of ['A', 'B', 'Q', 'g', '_'].filter((x) => x !== last)) {
    assert.equal(await said(one, t1), 'one')
    const off = [h.slice(0, -1) + c, ...rest].join('.')
    assert.notEqual(await said(one, off), 'one', `header ending in ${c}: refused`)
  }
  // A refused header never stands for the kept one: the next token with the kept header still decrypts.
  assert.equal(await said(one, seal(1, 'after')), 'after')
  for (const d of [one, two, oneAgain]) d.free()
})
