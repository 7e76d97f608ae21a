// A trap is survived (issue 8, item 10), in Node. The test-only build `jwt-wasm-trap`
// (`make pkg-trap`, the `test-trap` Cargo feature, src/trap.rs) traps on two marker tokens: an
// `unreachable` (WebAssembly.RuntimeError) and a deep recursion (RangeError: the JS engine's
// stack). After either, the call that trapped throws ERR_WASM_TRAPPED and every object answers
// correctly on a fresh instance of the compiled module; the discarded instance can be collected;
// the shipped build carries no trap hook, and the wasm's ABI is the one src/js/wasm.js expects.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runTrapScenario, UNREACHABLE, STACK } from '../support/trap-scenario.mjs'

const here = dirname(fileURLToPath(import.meta.url))
/** The trap build; its absence is a failure (`make test-js` builds it), never a skip. */
const J = await import('jwt-wasm-trap').catch((e) => {
  throw new Error('jwt-wasm-trap is not installed: run `make pkg-trap` before tests/js/run.sh', { cause: e })
})
const JC = await import('jwt-wasm-trap/claims')
const ARTIFACTS = ['claims', 'hmac']
const wasmOf = (name, artifact = 'hmac') =>
  readFileSync(new URL(`./wasm/jwt_wasm_${artifact}.wasm`, import.meta.resolve(name)))

test('after an unreachable trap and a stack overflow, every object answers correctly on a fresh instance', () => {
  assert.deepEqual(
    runTrapScenario(J, [
      { marker: UNREACHABLE, cause: 'RuntimeError' },
      { marker: STACK, cause: 'RangeError' },
    ]),
    [],
  )
})

test('the error of the call that trapped: WasmTrapped, ERR_WASM_TRAPPED, the trap as cause', () => {
  const v = new J.Verifier({ keys: [{ alg: 'HS256', secret: 'x'.repeat(32) }], algorithms: ['HS256'] })
  for (const [marker, Cause] of [
    [UNREACHABLE, WebAssembly.RuntimeError],
    [STACK, RangeError],
  ]) {
    assert.throws(
      () => v.verify(marker),
      (e) =>
        e instanceof J.WasmTrapped &&
        e instanceof J.JwtError &&
        e.name === 'WasmTrapped' &&
        e.code === 'ERR_WASM_TRAPPED' &&
        e.cause instanceof Cause,
    )
  }
})

test('a replay sends what the object was made with, not what its caller changed since', () => {
  const secret = new TextEncoder().encode('s'.repeat(32))
  const requiredClaims = ['sub']
  const v = new J.Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], requiredClaims })
  const s = new J.Signer({ key: { alg: 'HS256', secret } })
  const token = s.sign({ sub: 'u' })
  const noSub = s.sign({ name: 'n' })
  secret.fill(0x41)
  requiredClaims.length = 0
  assert.throws(() => v.verify(UNREACHABLE), { code: 'ERR_WASM_TRAPPED' })
  assert.equal(v.verify(token).payload.sub, 'u')
  assert.throws(() => v.verify(noSub), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'sub' })
  assert.equal(s.sign({ sub: 'u' }), token)
})

test('freeing an object of a discarded instance never touches the fresh one', () => {
  const key = (secret) => ({ alg: 'HS256', secret })
  const policy = (secret) => ({ keys: [key(secret)], algorithms: ['HS256'], requiredClaims: ['sub'] })
  const [A, B, C] = ['a', 'b', 'c'].map((c) => c.repeat(32))
  const trapper = new J.Verifier(policy(A))
  const trap = () => assert.throws(() => trapper.verify(UNREACHABLE), { code: 'ERR_WASM_TRAPPED' })
  trap()
  // The first object made on an instance: the next one made after a trap lands at its address.
  const old = new J.Verifier(policy(B))
  trap()
  const fresh = new J.Verifier(policy(C))
  old.free()
  // Had `free` reached the fresh instance, this Verifier would take the memory `fresh` lives in.
  const other = new J.Verifier(policy(B))
  const tokenC = new J.Signer({ key: key(C) }).sign({ sub: 'c' })
  const tokenB = new J.Signer({ key: key(B) }).sign({ sub: 'b' })
  assert.equal(fresh.verify(tokenC).payload.sub, 'c')
  assert.throws(() => fresh.verify(tokenB), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  assert.equal(other.verify(tokenB).payload.sub, 'b')
  assert.throws(() => old.verify(tokenB), { code: 'ERR_INVALID_OPTIONS' }) // freed stays freed
})

test('a discarded instance is collected: its memory is unreachable, and 200 traps do not grow rss', (t) => {
  const script = `
    import * as J from 'jwt-wasm-trap'
    const { engine } = await import(new URL('./wasm.js', import.meta.resolve('jwt-wasm-trap')))
    const tick = () => new Promise((r) => setTimeout(r, 0))
    const settle = async () => { for (let i = 0; i < 4; i++) { gc(); await tick() } }
    const key = { alg: 'HS256', secret: 'm'.repeat(32) }
    const v = new J.Verifier({ keys: [key], algorithms: ['HS256'], requiredClaims: ['sub'] })
    const s = new J.Signer({ key })
    const token = s.sign({ sub: 'u' })
    const trap = () => { try { v.verify('${UNREACHABLE}') } catch (e) { if (e.code !== 'ERR_WASM_TRAPPED') throw e } }
    const use = () => { v.verify(token); s.sign({ sub: 'u' }); J.decodeUnverified(token); J.inspect(token) }
    use()
    const first = new WeakRef(engine().memory)
    trap(); use()
    await settle()
    const collected = first.deref() === undefined
    for (let i = 0; i < 20; i++) { trap(); use() }
    await settle()
    const before = process.memoryUsage().rss
    for (let i = 0; i < 200; i++) { trap(); use(); if (i % 20 === 0) await settle() }
    await settle()
    console.log(JSON.stringify({ collected, growth: process.memoryUsage().rss - before, bytes: engine().memory.buffer.byteLength }))
  `
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    cwd: here,
    encoding: 'utf8',
  })
  const { collected, growth, bytes } = JSON.parse(out)
  t.diagnostic(`rss growth over 200 traps: ${growth} B; one instance's memory: ${bytes} B`)
  assert.equal(collected, true, 'the memory of the instance that trapped is still reachable')
  // One leaked instance per trap would hold at least its own memory each (200 × bytes).
  assert.ok(growth < 40 * bytes, `rss grew by ${growth} B over 200 traps (an instance is ${bytes} B)`)
})

test('a trap in one artifact drops only its own instance; each recovers by itself', async () => {
  const { engine, claims, hmac } = await import(new URL('./wasm.js', import.meta.resolve('jwt-wasm-trap')))
  const key = { alg: 'HS256', secret: 'p'.repeat(32) }
  const v = new J.Verifier({ keys: [key], algorithms: ['HS256'], requiredClaims: ['sub'] })
  const token = new J.Signer({ key }).sign({ sub: 'u', exp: 2_000_000_000 })
  JC.inspect(token)
  const [claimsMemory, hmacMemory] = [engine(claims).memory, engine(hmac).memory]
  for (const [marker, Cause] of [
    [UNREACHABLE, WebAssembly.RuntimeError],
    [STACK, RangeError],
  ]) {
    assert.throws(
      () => JC.inspect(marker),
      (e) => e instanceof JC.WasmTrapped && e.code === 'ERR_WASM_TRAPPED' && e.cause instanceof Cause,
    )
    assert.equal(JC.inspect(token).payload.sub, 'u', 'the claims artifact answers on a fresh instance')
    assert.throws(() => JC.decodeUnverified(marker), { code: 'ERR_WASM_TRAPPED' })
    assert.equal(JC.decodeUnverified(token).payload.sub, 'u')
  }
  assert.notEqual(engine(claims).memory, claimsMemory, 'the claims instance was not replaced')
  assert.equal(engine(hmac).memory, hmacMemory, 'a claims trap dropped the hmac instance')
  assert.equal(v.verify(token).payload.sub, 'u')
  assert.throws(() => J.inspect(UNREACHABLE), { code: 'ERR_WASM_TRAPPED' })
  assert.notEqual(engine(hmac).memory, hmacMemory, 'the hmac instance was not replaced')
  assert.equal(v.verify(token).payload.sub, 'u', 'the Verifier rebuilt itself on the fresh hmac instance')
  assert.equal(JC.inspect(token).payload.sub, 'u')
})

test('the shipped build has no trap hook in any artifact (the trap build has, so this check can fail)', () => {
  for (const artifact of ARTIFACTS) {
    const exported = (name) =>
      WebAssembly.Module.exports(new WebAssembly.Module(wasmOf(name, artifact))).map((e) => e.name)
    assert.equal(
      exported('jwt-wasm').includes('test_trap_build'),
      false,
      `the shipped ${artifact} wasm is a trap build`,
    )
    assert.equal(
      exported('jwt-wasm-trap').includes('test_trap_build'),
      true,
      `the trap ${artifact} build lacks its mark`,
    )
  }
})

for (const artifact of ARTIFACTS)
  test(`the ${artifact} wasm ABI is the one src/js/wasm.js instantiates (a wasm-bindgen upgrade must recheck it)`, () => {
    abi(new WebAssembly.Module(wasmOf('jwt-wasm', artifact)))
  })

/** @param {WebAssembly.Module} m */
function abi(m) {
  assert.deepEqual(
    WebAssembly.Module.imports(m).map((i) => `${i.module} ${i.name.replace(/_[0-9a-f]{16}$/, '_<hash>')} ${i.kind}`),
    [
      './jwt_wasm_bg.js __wbg___wbindgen_throw_<hash> function',
      './jwt_wasm_bg.js __wbindgen_init_externref_table function',
    ],
  )
  assert.deepEqual(
    WebAssembly.Module.exports(m)
      .map((e) => `${e.name} ${e.kind}`)
      .sort(),
    [
      '__abort_handler global',
      '__instance_terminated global',
      '__wbg_core_free function',
      '__wbindgen_externrefs table',
      '__wbindgen_start function',
      'caps function',
      'core_call function',
      'core_input function',
      'core_new function',
      'core_num function',
      'core_out function',
      'core_out_len function',
      'memory memory',
    ],
  )
}
