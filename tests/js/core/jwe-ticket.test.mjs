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
