// The Verifier's native MAC (src/js/native-mac.js): every shared vector gives the same verdict on
// both paths, forced (`mac: 'wasm'`, `mac: 'native'`); the native path really MACs with
// node:crypto, once, and only for a token that got past key selection in the core (so the key
// is the core's choice and no claim is judged before the MAC); `mac: 'auto'` picks by size.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as nodeCrypto from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as jwt from 'jwt-wasm'
import { allCases, AFTER_KEY } from '../support/mac-paths-cases.mjs'
import { runOn } from '../support/mac-paths-run.mjs'

// The installed package's own native-mac.js (the module instance its Node entry installed from):
// reinstalled here with a counting node:crypto, so a test sees every native MAC.
const pkgDir = dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')))
const { installNativeMac, NATIVE_MIN_CHARS } = await import(pathToFileURL(join(pkgDir, 'native-mac.js')).href)
const macs = []
installNativeMac({
  ...nodeCrypto,
  createHmac: (/** @type {string} */ hash, /** @type {any} */ key) => {
    assert.equal(key?.type, 'secret', 'the native MAC is keyed with a KeyObject made once per key')
    macs.push(hash)
    return nodeCrypto.createHmac(hash, key)
  },
})

const secret = 'a 32-byte secret for the paths!!'
const now = 1_800_000_000
const signer = new jwt.Signer({ key: { alg: 'HS256', secret } })
const at = { currentDate: new Date(now * 1000) }
const verifier = (/** @type {any} */ mac, more = {}) =>
  new jwt.Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], mac, ...more })

const cases = allCases()

test('the shared vectors are all there: tests/vectors/*.json, the RFC 8725 checklist, Wycheproof JWS', () => {
  const from = (p) => cases.filter((c) => c.name.startsWith(p)).length
  assert.ok(from('claims.json') > 0 && from('negative.json') > 0 && from('policy.json') > 0 && from('rfc.json') > 0)
  const counts = ['keys.json', 'rfc8725.json', 'wycheproof'].map(from)
  assert.ok(counts[0] > 0 && counts[1] >= 15 && counts[2] >= 20, `${cases.length} cases: ${counts}`)
})

for (const c of cases) {
  test(`both MAC paths agree: ${c.name}`, () => {
    macs.length = 0
    const wasm = runOn(jwt, c, 'wasm')
    assert.deepEqual(macs, [], 'the wasm path computed no native MAC')
    assert.deepEqual(wasm, runOn(jwt, c, undefined), "mac 'wasm' decides as the default does")
    macs.length = 0
    const native = runOn(jwt, c, 'native')
    assert.deepEqual(native, wasm)
    // The native MAC ran exactly when the core had chosen a key: never for a token refused
    // before step 5, once for one that reached it (verified, bad signature, or claims judged).
    const reached = wasm.ok === true || AFTER_KEY.has(wasm.code)
    assert.equal(macs.length, reached ? 1 : 0, `native MACs: ${macs.length}, outcome ${JSON.stringify(wasm)}`)
  })
}

test('a forged token that is also expired is refused for its signature on both paths, before its claims', () => {
  const expired = signer.sign({ sub: 'u', exp: now - 60, pad: 'p'.repeat(2000) })
  const forged = `${expired.slice(0, -4)}AAAA`
  for (const mac of ['wasm', 'native', 'auto']) {
    const v = verifier(mac)
    assert.throws(() => v.verify(forged, at), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }, mac)
    assert.throws(
      () => v.verify(expired, at),
      (e) => e.code === 'ERR_JWT_EXPIRED' && e.payload?.sub === 'u',
      mac,
    )
    v.free()
  }
})

test("mac 'auto' computes the MAC natively from NATIVE_MIN_CHARS characters, in wasm below", () => {
  assert.ok(
    NATIVE_MIN_CHARS > 300 && NATIVE_MIN_CHARS < 6000,
    'the threshold lies between the small and the large token',
  )
  const v = verifier(undefined)
  const small = signer.sign({ sub: 'u', exp: now + 60 })
  // The first padding that reaches the threshold, and the one before (base64url: 4 chars per 3 bytes).
  const padded = (n) => signer.sign({ sub: 'u', exp: now + 60, pad: 'p'.repeat(n) })
  let n = 0
  while (padded(n).length < NATIVE_MIN_CHARS) n++
  const [justBelow, atLeast] = [padded(n - 1), padded(n)]
  assert.ok(justBelow.length < NATIVE_MIN_CHARS && atLeast.length >= NATIVE_MIN_CHARS)
  for (const [token, want] of [
    [small, []],
    [justBelow, []],
    [atLeast, ['sha256']],
  ]) {
    macs.length = 0
    assert.equal(v.verify(token, at).payload.sub, 'u')
    assert.deepEqual(macs, want, `${token.length} chars`)
  }
  macs.length = 0
  const wasmOnly = verifier('wasm')
  assert.equal(wasmOnly.verify(atLeast, at).payload.sub, 'u')
  assert.deepEqual(macs, [], "mac 'wasm' never MACs natively")
  v.free()
  wasmOnly.free()
})

test('the native path MACs with the key the core chose: kid, algorithm and issuer binding', () => {
  const keys = [
    { kid: 'a', alg: 'HS256', secret: 'A'.repeat(32), issuer: 'https://a.example' },
    { kid: 'b', alg: 'HS256', secret: 'B'.repeat(32) },
    { kid: 'c', alg: 'HS512', secret: 'C'.repeat(64) },
  ]
  const v = new jwt.Verifier({ keys, algorithms: ['HS256', 'HS512'], mac: 'native' })
  const sign = (k, claims) => new jwt.Signer({ key: { kid: k.kid, alg: k.alg, secret: k.secret } }).sign(claims)
  const exp = now + 60
  macs.length = 0
  assert.equal(v.verify(sign(keys[1], { sub: 'b', exp }), at).payload.sub, 'b')
  assert.equal(v.verify(sign(keys[2], { sub: 'c', exp }), at).payload.sub, 'c')
  assert.deepEqual(macs, ['sha256', 'sha512'])
  assert.equal(v.verify(sign(keys[0], { sub: 'a', iss: 'https://a.example', exp }), at).payload.sub, 'a')
  // Key a speaks only for its issuer: the binding is the core's, judged after the native MAC.
  assert.throws(() => v.verify(sign(keys[0], { sub: 'a', iss: 'https://b.example', exp }), at), {
    code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
    claim: 'iss',
  })
  // Signed by b, claiming kid a: the core picks a, so the MAC fails.
  const lying = new jwt.Signer({ key: { kid: 'a', alg: 'HS256', secret: keys[1].secret } }).sign({ sub: 'x', exp })
  assert.throws(() => v.verify(lying, at), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  // An unknown kid: no key, so no MAC at all.
  macs.length = 0
  const unknown = new jwt.Signer({ key: { kid: 'z', alg: 'HS256', secret: keys[1].secret } }).sign({ sub: 'x', exp })
  assert.throws(() => v.verify(unknown, at), { code: 'ERR_JWKS_NO_MATCHING_KEY' })
  assert.deepEqual(macs, [])
  v.free()
})

test('the mac option is checked: only auto, wasm, native', () => {
  for (const mac of ['Native', '', 0, null, true])
    assert.throws(
      () => verifier(mac),
      (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS',
      String(mac),
    )
})

test('the artifacts: only the native one has the two ops, and phase 2 answers only right after phase 1', () => {
  const raw = (name) => {
    const m = new WebAssembly.Module(readFileSync(join(pkgDir, 'wasm', `jwt_wasm_${name}.wasm`)))
    const imports = {}
    for (const { module, name: n } of WebAssembly.Module.imports(m)) {
      imports[module] ??= {}
      imports[module][n] = n === '__wbindgen_init_externref_table' ? () => {} : () => assert.fail(`import ${n} called`)
    }
    const x = new WebAssembly.Instance(m, imports).exports
    x.__wbindgen_start()
    return x
  }
  const protocol = JSON.parse(
    readFileSync(join(process.env.JWT_WASM_REPO, 'tests', 'vectors', 'protocol.json'), 'utf8'),
  )
  const CAP = Object.fromEntries(protocol.capabilities.map((c) => [c.name, c.bit]))
  const ERR = Object.fromEntries(protocol.errors.map((e) => [e.code, e.number]))
  const OP = Object.fromEntries(protocol.ops.map((o) => [o.name, o.op]))
  /** A Core with one HS256 key on `x`; `put(bytes)` writes the input, returns its length. */
  const core = (x) => {
    const ptr = x.core_new(1, 0, -1, 1 << 20, 0)
    const put = (bytes) => {
      const at = x.core_input(ptr, bytes.length) >>> 0
      new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes)
      return bytes.length
    }
    assert.equal(x.core_call(ptr, OP.add_key, 0, -1, put(Buffer.from(secret)), 0, 0), 0)
    const required = protocol.option_kinds?.find?.((k) => k.name === 'requiredClaims')?.kind ?? 4
    assert.equal(x.core_call(ptr, OP.option, required, 0, put(Buffer.from('exp')), 0, 0), 0)
    assert.equal(x.core_call(ptr, OP.finish, 0, 0, 0, 0, 0), 0)
    return { call: (op, c, t = 0) => x.core_call(ptr, op, 0, 0, c, t, 0), put, num: (i) => x.core_num(ptr, i) }
  }
  const browser = raw('hmac')
  const native = raw('hmac_native')
  assert.equal(browser.caps(), CAP.claims | CAP.hmac, "the browsers' hmac artifact has no native-MAC ops")
  assert.equal(native.caps(), CAP.claims | CAP.hmac | CAP.native_mac)
  const token = Buffer.from(signer.sign({ sub: 'u', exp: now + 60 }))
  const b = core(browser)
  for (const op of ['verify_begin', 'verify_mac'])
    assert.equal(b.call(OP[op], b.put(token), now), ERR.ERR_JOSE_NOT_SUPPORTED, op)
  const n = core(native)
  const mac = nodeCrypto
    .createHmac('sha256', secret)
    .update(token.subarray(0, token.lastIndexOf(46)))
    .digest()
  assert.equal(n.call(OP.verify_mac, n.put(mac)), ERR.ERR_INVALID_OPTIONS, 'no phase 1 before')
  assert.equal(n.call(OP.verify_begin, n.put(token), now), 0)
  assert.deepEqual([n.num(0), n.num(1)], [0, token.lastIndexOf(46)], 'the key index and the signing input length')
  assert.equal(n.call(OP.verify, n.put(token), now), 0, 'a plain verify in between')
  assert.equal(n.call(OP.verify_mac, n.put(mac)), ERR.ERR_INVALID_OPTIONS, 'a plain verify ends phase 1')
  assert.equal(n.call(OP.verify_begin, n.put(token), now), 0)
  assert.equal(
    n.call(OP.verify_mac, n.put(mac.subarray(0, 31))),
    ERR.ERR_JWS_SIGNATURE_VERIFICATION_FAILED,
    'a short MAC',
  )
  assert.equal(n.call(OP.verify_mac, n.put(mac)), ERR.ERR_INVALID_OPTIONS, 'phase 2 runs once per phase 1')
  assert.equal(n.call(OP.verify_begin, n.put(token), now), 0)
  assert.equal(n.call(OP.verify_mac, n.put(mac)), 0)
})

test('Node loads the SIMD build with the native ops; a runtime without WebAssembly SIMD gets the plain hmac artifact', () => {
  const run = (gone, noSimd) => {
    mkdirSync(join(process.env.JWT_WASM_REPO, 'tests', '.tmp'), { recursive: true })
    const copy = mkdtempSync(join(process.env.JWT_WASM_REPO, 'tests', '.tmp', 'simd-'))
    try {
      cpSync(pkgDir, copy, { recursive: true })
      rmSync(join(copy, 'wasm', gone))
      // A runtime whose WebAssembly has no SIMD, as the entry's probe sees it (this child only).
      const before = noSimd ? 'WebAssembly.validate = () => false\n' : ''
      const script = `${before}const m = await import(${JSON.stringify(pathToFileURL(join(copy, 'entry-node.js')).href)})
        const keys = [{ alg: 'HS256', secret: ${JSON.stringify(secret)} }]
        const token = new m.Signer({ key: keys[0] }).sign({ sub: 'u', exp: ${now + 60}, pad: 'p'.repeat(3000) })
        const sub = new m.Verifier({ keys, algorithms: ['HS256'] }).verify(token, { currentDate: new Date(${now * 1000}) }).payload.sub
        let native = 'made'
        try { new m.Verifier({ keys, algorithms: ['HS256'], mac: 'native' }) } catch (e) { native = e.code }
        console.log(JSON.stringify({ sub, native }))`
      return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  }
  assert.deepEqual(run('jwt_wasm_hmac.wasm', false), { sub: 'u', native: 'made' })
  assert.deepEqual(run('jwt_wasm_hmac_native.wasm', true), { sub: 'u', native: 'ERR_INVALID_OPTIONS' })
  // The SIMD build really has SIMD code (binaryen's disassembler, from .ci/tools as `make pkg`'s wasm-opt); the
  // browsers' artifact none.
  const dis = join(process.env.JWT_WASM_REPO, '.ci', 'tools', 'node_modules', '.bin', 'wasm-dis')
  const v128 = (name) =>
    (
      execFileSync(dis, [join(pkgDir, 'wasm', name)], { encoding: 'utf8', maxBuffer: 64 << 20 }).match(
        /\bi32x4\.|\bv128\./g,
      ) ?? []
    ).length
  assert.ok(v128('jwt_wasm_hmac_native.wasm') > 10, 'the native artifact has SIMD instructions')
  assert.equal(v128('jwt_wasm_hmac.wasm'), 0, "the browsers' artifact has none")
})
