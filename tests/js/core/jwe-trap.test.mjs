// A trap in the jwe engine is survived like one in the others (issue 11): the test-only build
// `jwt-wasm-trap` (`make pkg-trap`, src/trap.rs) traps on its marker tokens inside the jwe
// decrypt; the call throws ERR_WASM_TRAPPED, the Decrypter and Encrypter replay their setup on a
// fresh instance (the very bytes they were made with), and the hmac engine's objects never notice.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { UNREACHABLE, STACK } from '../support/trap-scenario.mjs'

const J = await import('jwt-wasm-trap').catch((e) => {
  throw new Error('jwt-wasm-trap is not installed: run `make pkg-trap` before tests/js/run.sh', { cause: e })
})
const JE = await import('jwt-wasm-trap/jwe')
const { engine, jwe, hmac } = await import(new URL('./wasm.js', import.meta.resolve('jwt-wasm-trap')))

test('a trap in the jwe engine drops only its instance; Decrypter and Encrypter recover with their setup', () => {
  const hs = { alg: 'HS256', secret: new TextEncoder().encode('t'.repeat(32)) }
  const kek = new Uint8Array(32).fill(9)
  const key = { alg: 'A256KW', secret: kek }
  const e = new JE.Encrypter({ key, enc: 'A128CBC-HS256' })
  const d = new JE.Decrypter({
    keys: [key],
    algorithms: ['A256KW'],
    encryptions: ['A128CBC-HS256'],
    verifier: { keys: [hs], algorithms: ['HS256'] },
  })
  const v = new J.Verifier({ keys: [hs], algorithms: ['HS256'] })
  const jws = new J.Signer({ key: hs, ttl: 600 }).sign({ sub: 'u' })
  const token = e.encrypt(jws)
  assert.equal(d.decrypt(token).payload.sub, 'u')
  kek.fill(0) // what the caller changes later is not what a replay sends
  hs.secret.fill(0)
  const hmacMemory = engine(hmac).memory
  for (const [marker, Cause] of [
    [UNREACHABLE, WebAssembly.RuntimeError],
    [STACK, RangeError],
  ]) {
    const jweMemory = engine(jwe).memory
    assert.throws(
      () => d.decrypt(marker),
      (err) => err instanceof JE.WasmTrapped && err.code === 'ERR_WASM_TRAPPED' && err.cause instanceof Cause,
    )
    assert.equal(d.decrypt(token).payload.sub, 'u', 'the Decrypter answers on a fresh instance')
    assert.notEqual(engine(jwe).memory, jweMemory, 'the jwe engine has a fresh instance')
    assert.equal(d.decrypt(e.encrypt(jws)).payload.sub, 'u', 'the Encrypter too')
    assert.equal(v.verify(jws).payload.sub, 'u')
    assert.equal(engine(hmac).memory, hmacMemory, 'the hmac engine kept its instance')
  }
  assert.equal(JE.JwtError, J.JwtError)
})

test('a trap between the halves of decryptAsync: a ticket of the dropped instance takes nothing, each decrypt reads its own token', async () => {
  const hs = { alg: 'HS256', secret: new TextEncoder().encode('t'.repeat(32)) }
  const keys = ['a', 'b'].map((kid, i) => ({ kid, alg: 'dir', enc: 'A256GCM', secret: new Uint8Array(32).fill(i + 1) }))
  const d = new JE.Decrypter({
    keys,
    algorithms: ['dir'],
    encryptions: ['A256GCM'],
    verifier: { keys: [hs], algorithms: ['HS256'] },
    cipher: 'webcrypto',
  })
  const signer = new J.Signer({ key: hs, ttl: 600 })
  const [ta, tb] = keys.map((key) => new JE.Encrypter({ key, enc: 'A256GCM' }).encrypt(signer.sign({ sub: key.kid })))
  for (const t of [ta, tb]) await d.decryptAsync(t) // both dir keys imported
  const trap = () =>
    assert.throws(
      () => d.decrypt(UNREACHABLE),
      (err) => err instanceof JE.WasmTrapped,
    )
  trap() // a fresh instance: its first park gives the first ticket
  const a = d.decryptAsync(ta) // parked under that ticket, awaiting WebCrypto
  trap() // dropped with it
  const b = d.decryptAsync(tb) // parked on the next fresh instance: the same ticket number
  const [ra, rb] = await Promise.all([a, b])
  assert.deepEqual([ra.protectedHeader.kid, ra.payload.sub], ['a', 'a'], 'a: its own header, not the other parked one')
  assert.deepEqual([rb.protectedHeader.kid, rb.payload.sub], ['b', 'b'])
  assert.equal((await d.decryptAsync(ta)).payload.sub, 'a', 'and the tickets work again after')
})
