// A wasm artifact per job (issue 10): `jwt-wasm/claims` (and `jwt-wasm/session` through it) runs
// on the claims artifact, which links no HMAC and no SHA-2; `jwt-wasm` on the hmac artifact.
// Each entry loads only its own file; an API asked of an artifact that lacks it is a typed
// error, never a trap; and decode and inspect agree, token by token, on both artifacts over
// every token of the shared vectors (tests/vectors, the RFC 8725 checklist and Wycheproof's).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as root from 'jwt-wasm'
import * as claims from 'jwt-wasm/claims'
import * as jwe from 'jwt-wasm/jwe'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const pkgDir = dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')))
const artifact = (name) => readFileSync(fileURLToPath(import.meta.resolve(`jwt-wasm/${name}.wasm`)))
const protocol = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'protocol.json'), 'utf8'))
const CAP = Object.fromEntries(protocol.capabilities.map((c) => [c.name, c.bit]))
const ERR = Object.fromEntries(protocol.errors.map((e) => [e.code, e.number]))
const OP = Object.fromEntries(protocol.ops.map((o) => [o.name, o.op]))

/** A fresh instance of an artifact's raw exports, as src/js/wasm.js makes it. */
function raw(bytes) {
  const m = new WebAssembly.Module(bytes)
  const imports = {}
  for (const { module, name } of WebAssembly.Module.imports(m)) {
    imports[module] ??= {}
    // The externref table's set-up runs at start and does nothing for a numbers-only boundary;
    // `throw_str` must never be reached here.
    imports[module][name] =
      name === '__wbindgen_init_externref_table'
        ? () => {}
        : () => {
            throw new Error(`import ${name} called`)
          }
  }
  const x = new WebAssembly.Instance(m, imports).exports
  x.__wbindgen_start()
  return x
}

test('the artifacts say what they can do: claims only, and claims with hmac', () => {
  assert.equal(raw(artifact('claims')).caps(), CAP.claims)
  assert.equal(raw(artifact('hmac')).caps(), CAP.claims | CAP.hmac)
  assert.equal(
    fileURLToPath(import.meta.resolve('jwt-wasm/core.wasm')),
    fileURLToPath(import.meta.resolve('jwt-wasm/hmac.wasm')),
  )
})

test('the jwe artifact: claims, hmac and jwe; the others answer a jwe op as unknown, never a trap', () => {
  assert.equal(raw(artifact('jwe')).caps(), CAP.claims | CAP.hmac | CAP.jwe)
  for (const name of ['claims', 'hmac']) {
    const x = raw(artifact(name))
    const core = x.core_new(1, 0, -1, 1024, 0)
    for (const op of ['jwe_add_key', 'jwe_decrypter', 'jwe_decrypt', 'jwe_encrypter', 'jwe_encrypt'])
      assert.notEqual(x.core_call(core, OP[op], 0, -1, 0, 0, -1), 0, `${op} on ${name}`)
  }
})

test('the claims artifact links no SHA-2 (its round constants are absent; the hmac one has them)', () => {
  // SHA-256's first round constant 0x428a2f98 and SHA-512's first 0x428a2f98d728ae22, little-endian.
  const sha256 = Buffer.from([0x98, 0x2f, 0x8a, 0x42])
  const sha512 = Buffer.from([0x22, 0xae, 0x28, 0xd7, 0x98, 0x2f, 0x8a, 0x42])
  assert.ok(artifact('hmac').includes(sha256) && artifact('hmac').includes(sha512), 'the hmac artifact has SHA-2')
  assert.ok(!artifact('claims').includes(sha256), 'the claims artifact carries SHA-256')
  assert.ok(!artifact('claims').includes(sha512), 'the claims artifact carries SHA-512')
  assert.ok(artifact('claims').length < artifact('hmac').length * 0.7, 'the claims artifact is not much smaller')
})

test('an hmac op on the claims artifact answers ERR_JOSE_NOT_SUPPORTED, never a trap', () => {
  const x = raw(artifact('claims'))
  const core = x.core_new(1, 0, -1, 1024, 0)
  for (const op of ['option', 'add_key', 'finish', 'verify', 'set_signer', 'sign'])
    assert.equal(x.core_call(core, OP[op], 0, -1, 0, 0, 0), ERR.ERR_JOSE_NOT_SUPPORTED, op)
  assert.equal(x.core_call(core, 200, 0, 0, 0, 0, 0), ERR.ERR_INVALID_OPTIONS, 'an unknown op')
  assert.equal(x.core_call(core, OP.decode, 0, 0, 0, 0, 0), ERR.ERR_JWS_INVALID, 'decode still answers')
})

/**
 * Copies the installed package, lets `change(wasmDir)` alter its artifacts, runs `script` (an
 * ES module body with `dir`, the copy's URL) in a fresh Node and returns what it printed, parsed.
 */
function inCopy(change, script) {
  mkdirSync(join(repo, 'tests', '.tmp'), { recursive: true })
  const scratch = mkdtempSync(join(repo, 'tests', '.tmp', 'artifacts-'))
  try {
    cpSync(pkgDir, scratch, { recursive: true })
    change(join(scratch, 'wasm'))
    const body = `const dir = ${JSON.stringify(pathToFileURL(`${scratch}/`).href)}\n${script}`
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', body], { encoding: 'utf8' }))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

const SECRET = 'x'.repeat(32)
const TOKEN = new root.Signer({ key: { alg: 'HS256', secret: SECRET } }).sign({ sub: 'u', exp: 2_000_000_000 })
const report = `
  const run = (f) => { try { return f() } catch (e) { return { name: e.name, code: e.code, jwt: e instanceof m.JwtError } } }
`

test('jwt-wasm/claims loads only the claims artifact: it reads with the hmac one gone', () => {
  const out = inCopy(
    (wasm) => rmSync(join(wasm, 'jwt_wasm_hmac.wasm')),
    `const m = await import(new URL('entry-claims-node.js', dir).href)
    ${report}
    console.log(JSON.stringify({ sub: run(() => m.inspect(${JSON.stringify(TOKEN)}).payload.sub), decoded: run(() => m.decodeUnverified(${JSON.stringify(TOKEN)}).header.alg) }))`,
  )
  assert.deepEqual(out, { sub: 'u', decoded: 'HS256' })
})

test('jwt-wasm in Node loads only the hmac artifact with the native-MAC ops: it works with the others gone', () => {
  const out = inCopy(
    (wasm) => {
      for (const a of ['claims', 'hmac']) rmSync(join(wasm, `jwt_wasm_${a}.wasm`))
    },
    `const m = await import(new URL('entry-node.js', dir).href)
    ${report}
    const v = new m.Verifier({ keys: [{ alg: 'HS256', secret: '${SECRET}' }], algorithms: ['HS256'] })
    console.log(JSON.stringify({ verified: v.verify(${JSON.stringify(TOKEN)}).payload.sub, read: m.inspect(${JSON.stringify(TOKEN)}).payload.sub }))`,
  )
  assert.deepEqual(out, { verified: 'u', read: 'u' })
})

test('jwt-wasm/jwe loads only the jwe artifact: it encrypts and decrypts with the others gone', () => {
  const out = inCopy(
    (wasm) => {
      for (const a of ['claims', 'hmac', 'hmac_native']) rmSync(join(wasm, `jwt_wasm_${a}.wasm`))
    },
    `const m = await import(new URL('entry-jwe-node.js', dir).href)
    const key = { alg: 'A128KW', secret: new Uint8Array(16).fill(1) }
    const e = new m.Encrypter({ key, enc: 'A128GCM' })
    const d = new m.Decrypter({ keys: [key], algorithms: ['A128KW'], encryptions: ['A128GCM'], verifier: { keys: [{ alg: 'HS256', secret: '${SECRET}' }], algorithms: ['HS256'] } })
    console.log(JSON.stringify({ sub: d.decrypt(e.encrypt(${JSON.stringify(TOKEN)})).payload.sub }))`,
  )
  assert.deepEqual(out, { sub: 'u' })
})

test('jwt-wasm/jwe in Node loads the SIMD jwe artifact; a runtime without WebAssembly SIMD gets the plain one', () => {
  const decrypts = (gone, noSimd) =>
    inCopy(
      (wasm) => rmSync(join(wasm, gone)),
      `${noSimd ? 'WebAssembly.validate = () => false' : ''}
      const m = await import(new URL('entry-jwe-node.js', dir).href)
      const key = { alg: 'dir', enc: 'A128CBC-HS256', secret: new Uint8Array(32).fill(2) }
      const e = new m.Encrypter({ key, enc: 'A128CBC-HS256' })
      const d = new m.Decrypter({ keys: [key], algorithms: ['dir'], encryptions: ['A128CBC-HS256'], cipher: 'webcrypto', verifier: { keys: [{ alg: 'HS256', secret: '${SECRET}' }], algorithms: ['HS256'] } })
      const token = e.encrypt(${JSON.stringify(TOKEN)})
      console.log(JSON.stringify({ sub: d.decrypt(token).payload.sub, async: (await d.decryptAsync(token)).payload.sub }))`,
    )
  assert.deepEqual(decrypts('jwt_wasm_jwe.wasm', false), { sub: 'u', async: 'u' }, 'SIMD: the simd build')
  assert.deepEqual(decrypts('jwt_wasm_jwe_simd.wasm', true), { sub: 'u', async: 'u' }, 'no SIMD: the plain build')
  assert.equal(raw(artifact('jwe-simd')).caps(), CAP.claims | CAP.hmac | CAP.jwe, 'the same capabilities')
  // It really has SIMD code (binaryen's disassembler from .ci/tools, as native-mac.test.mjs checks
  // the hmac one); the browsers' jwe artifact has none.
  const dis = join(repo, '.ci', 'tools', 'node_modules', '.bin', 'wasm-dis')
  const v128 = (name) =>
    (
      execFileSync(dis, [join(pkgDir, 'wasm', name)], { encoding: 'utf8', maxBuffer: 64 << 20 }).match(
        /\bi32x4\.|\bv128\./g,
      ) ?? []
    ).length
  assert.ok(v128('jwt_wasm_jwe_simd.wasm') > 10, 'the SIMD jwe artifact has SIMD instructions')
  assert.equal(v128('jwt_wasm_jwe.wasm'), 0, "the browsers' jwe artifact has none")
})

test("jwt-wasm/keys in Node loads the SIMD keys artifact (its tickets); a runtime without WebAssembly SIMD gets the browsers' one", () => {
  const verifies = (gone, noSimd) =>
    inCopy(
      (wasm) => rmSync(join(wasm, gone)),
      `${noSimd ? 'WebAssembly.validate = () => false' : ''}
      const { generateKeyPairSync, sign } = await import('node:crypto')
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k', alg: 'ES256', use: 'sig' }
      const b = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
      const input = b({ alg: 'ES256', kid: 'k', typ: 'JWT' }) + '.' + b({ sub: 'u', exp: 2_000_000_000 })
      const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')
      const m = await import(new URL('entry-keys-node.js', dir).href)
      const v = new m.PublicKeyVerifier({ keys: [jwk], algorithms: ['ES256'] })
      const forged = input + '.' + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)
      const refused = await v.verifyAsync(forged).then(() => 'accepted', (e) => e.code)
      console.log(JSON.stringify({ sub: (await v.verifyAsync(input + '.' + sig)).payload.sub, refused }))`,
    )
  const want = { sub: 'u', refused: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }
  assert.deepEqual(verifies('jwt_wasm_keys.wasm', false), want, 'SIMD: the fast build')
  assert.deepEqual(verifies('jwt_wasm_keys_fast.wasm', true), want, "no SIMD: the browsers' build")
  assert.equal(raw(artifact('keys-fast')).caps(), raw(artifact('keys')).caps(), 'the same capabilities')
})

test('Decrypter and Encrypter on an artifact without jwe: WasmCapabilityMissing, typed', () => {
  const out = inCopy(
    (wasm) => {
      for (const a of ['jwe', 'jwe_simd'])
        copyFileSync(join(wasm, 'jwt_wasm_hmac.wasm'), join(wasm, `jwt_wasm_${a}.wasm`))
    },
    `const m = await import(new URL('entry-jwe-node.js', dir).href)
    ${report}
    const key = { alg: 'A128KW', secret: new Uint8Array(16) }
    console.log(JSON.stringify({
      encrypter: run(() => new m.Encrypter({ key, enc: 'A128GCM' })),
      decrypter: run(() => new m.Decrypter({ keys: [key], algorithms: ['A128KW'], encryptions: ['A128GCM'], verifier: { keys: [{ alg: 'HS256', secret: '${SECRET}' }], algorithms: ['HS256'] } })),
    }))`,
  )
  const missing = { name: 'WasmCapabilityMissing', code: 'ERR_WASM_CAPABILITY_MISSING', jwt: true }
  assert.deepEqual(out, { encrypter: missing, decrypter: missing })
})

test('Verifier and Signer on an artifact without hmac: WasmCapabilityMissing, typed, and reading still works', () => {
  const out = inCopy(
    (wasm) => {
      for (const a of ['hmac', 'hmac_native'])
        copyFileSync(join(wasm, 'jwt_wasm_claims.wasm'), join(wasm, `jwt_wasm_${a}.wasm`))
    },
    `const m = await import(new URL('entry-node.js', dir).href)
    ${report}
    console.log(JSON.stringify({
      verifier: run(() => new m.Verifier({ keys: [{ alg: 'HS256', secret: '${SECRET}' }], algorithms: ['HS256'] })),
      signer: run(() => new m.Signer({ key: { alg: 'HS256', secret: '${SECRET}' } })),
      read: run(() => m.inspect(${JSON.stringify(TOKEN)}).payload.sub),
      own: m.WasmCapabilityMissing?.name,
    }))`,
  )
  const missing = { name: 'WasmCapabilityMissing', code: 'ERR_WASM_CAPABILITY_MISSING', jwt: true }
  assert.deepEqual(out, { verifier: missing, signer: missing, read: 'u', own: 'WasmCapabilityMissing' })
})

test('jwt-wasm/session reads tokens through jwt-wasm/claims only (never the hmac artifact)', () => {
  const dir = join(pkgDir, 'session')
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/^import [^']*'(jwt-wasm[^']*)'/gm)].map(
      (m) => m[1],
    )
    for (const spec of imports) assert.equal(spec, 'jwt-wasm/claims', `session/${file} imports ${spec}`)
  }
  assert.equal(claims.JwtError, root.JwtError, 'one error hierarchy across the entries')
  assert.equal(jwe.JwtError, root.JwtError, 'jwt-wasm/jwe shares it')
})

/** Every token of the shared vectors, with the `now` of its case when it has one. */
function vectorTokens() {
  const found = []
  const walk = (v, now) => {
    if (Array.isArray(v)) for (const x of v) walk(x, now)
    else if (v && typeof v === 'object') {
      const at = typeof v.now === 'number' ? v.now : now
      if (typeof v.token === 'string') found.push({ token: v.token, now: at })
      for (const x of Object.values(v)) walk(x, at)
    }
  }
  const dirs = [join(repo, 'tests', 'vectors'), join(repo, 'tests', 'vectors', 'wycheproof')]
  for (const d of dirs)
    for (const f of readdirSync(d).filter((f) => f.endsWith('.json') && f !== 'protocol.json'))
      walk(JSON.parse(readFileSync(join(d, f), 'utf8')), undefined)
  return found
}

const outcome = (f) => {
  try {
    return { ok: f() }
  } catch (e) {
    return { name: e.name, code: e.code, message: e.message, claim: e.claim, reason: e.reason }
  }
}

test('decodeUnverified and inspect agree on both artifacts, on every token of the shared vectors', () => {
  const tokens = vectorTokens()
  assert.ok(tokens.length > 100, `only ${tokens.length} tokens found in tests/vectors`)
  let read = 0
  for (const { token, now } of tokens) {
    const options = { currentDate: new Date((now ?? 1_700_000_000) * 1000), maxTokenBytes: 1 << 20 }
    const [a, b] = [root, claims].map((J) => outcome(() => J.decodeUnverified(token, { maxTokenBytes: 1 << 20 })))
    assert.deepEqual(b, a, `decodeUnverified differs on ${token.slice(0, 60)}`)
    const [c, d] = [root, claims].map((J) => outcome(() => J.inspect(token, options)))
    assert.deepEqual(d, c, `inspect differs on ${token.slice(0, 60)}`)
    if (a.ok) read++
  }
  assert.ok(read > 50, `only ${read} of ${tokens.length} tokens decoded: the comparison is thin`)
})

test('where a vector verifies, the claims artifact decodes the very header and payload', () => {
  const dir = join(repo, 'tests', 'vectors')
  let compared = 0
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const data = JSON.parse(readFileSync(join(dir, f), 'utf8'))
    for (const c of Array.isArray(data?.cases) ? data.cases : []) {
      if (!('payload' in c.expect)) continue
      const { header, payload } = claims.decodeUnverified(c.token, { maxTokenBytes: 1 << 20 })
      assert.deepEqual(payload, c.expect.payload, `${f}/${c.name}: payload`)
      if ('header' in c.expect) assert.deepEqual(header, c.expect.header, `${f}/${c.name}: header`)
      compared++
    }
  }
  assert.ok(compared > 10, `only ${compared} verified vectors`)
})

test("jwt-wasm/jwe's SIMD artifact (its base64url sixteen characters at a time) decides every token as the plain one: accepted, refused, the code", () => {
  // Inner tokens of every length modulo 16 (header, payload and signature decoded by the inner
  // verify), and some made non-canonical or cut by one character; then each JWE (its protected
  // header, IV, ciphertext and tag decoded) altered in the script at many positions of each part.
  const secret = new Uint8Array(32).fill(4)
  const key = { alg: 'dir', enc: 'A128CBC-HS256', secret: new Uint8Array(32).fill(5) }
  const signer = new root.Signer({ key: { alg: 'HS256', secret } })
  const encrypter = new jwe.Encrypter({ key, enc: 'A128CBC-HS256' })
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  /** The character after `c` in the alphabet: a changed value, perhaps non-canonical trailing bits. */
  const next = (/** @type {string} */ c) => ALPHABET[(ALPHABET.indexOf(c) + 1) % 64]
  const tokens = []
  for (let n = 0; n < 40; n++) {
    const jws = signer.sign({ sub: 'u', exp: 2_000_000_000, jti: `t${n}`, pad: 'p'.repeat(n) })
    const [h, p, s] = jws.split('.')
    const inner = [
      jws,
      `${h}.${p}.${s.slice(0, -1)}`,
      `${h}.${p.slice(0, -1)}.${s}`,
      `${h}.${p.slice(0, -1)}${next(p.at(-1))}.${s}`,
    ]
    inner.push(`${h.slice(0, -1)}${next(h.at(-1))}.${p}.${s}`, `${h}.${p}.${s.slice(0, -1)}${next(s.at(-1))}`)
    for (const t of inner) tokens.push(encrypter.encrypt(t))
  }
  encrypter.free()
  const jwss = [0, 1, 2, 3, 15, 16, 17, 18, 31, 47, 64].map((n) =>
    signer.sign({ sub: 'u', exp: 2_000_000_000, pad: 'q'.repeat(n) }),
  )
  const script = `const m = await import(new URL('entry-jwe-node.js', dir).href)
    const d = new m.Decrypter({ keys: [{ alg: 'dir', enc: 'A128CBC-HS256', secret: new Uint8Array(32).fill(5) }], algorithms: ['dir'], encryptions: ['A128CBC-HS256'], verifier: { keys: [{ alg: 'HS256', secret: new Uint8Array(32).fill(4) }], algorithms: ['HS256'] } })
    const codes = []
    // One letter an outcome (the codes listed once), so that the output stays small.
    const said = (t) => {
      let o
      try { o = 'ok ' + d.decrypt(t).payload.jti } catch (e) { o = e.code ?? String(e) }
      const i = codes.indexOf(o)
      return String.fromCharCode(48 + (i < 0 ? codes.push(o) - 1 : i))
    }
    let out = ''
    for (const [k, t] of ${JSON.stringify(tokens)}.entries()) {
      out += said(t)
      if (k % 6) continue // the altered inner tokens: as they are; the JWE around the others altered
      const parts = t.split('.')
      for (const i of [0, 2, 3, 4]) {
        const seg = parts[i]
        for (let at = 0; at < seg.length; at += at < 20 || at > seg.length - 7 ? 1 : 11)
          for (const c of ['.', '=', '+', '/', ' ', '\\u00e9', '\\u0000', seg[at] === 'A' ? 'B' : 'A']) {
            const p = [...parts]
            p[i] = seg.slice(0, at) + c + seg.slice(at + 1)
            out += said(p.join('.'))
          }
        const p = [...parts]
        p[i] = seg.slice(0, -1)
        out += said(p.join('.'))
      }
    }
    // JWSs read by the same engine's decode (the split, the dot search and base64url of the
    // verify), each part altered at every position: the outcome, or the payload decoded.
    const { decodeWith } = await import(new URL('read.js', dir).href)
    const { jwe } = await import(new URL('wasm.js', dir).href)
    const read = (t) => {
      let o
      try { o = JSON.stringify(decodeWith(jwe, t).payload) } catch (e) { o = e.code ?? String(e) }
      const i = codes.indexOf(o)
      return String.fromCharCode(48 + (i < 0 ? codes.push(o) - 1 : i))
    }
    for (const t of ${JSON.stringify(jwss)}) {
      const parts = t.split('.')
      for (const [i, seg] of parts.entries())
        for (let at = 0; at <= seg.length; at++)
          for (const c of ['.', '=', '+', ' ', '\\u00e9', seg[at] === 'A' ? 'B' : 'A', '']) {
            const p = [...parts]
            p[i] = seg.slice(0, at) + c + seg.slice(at + 1)
            out += read(p.join('.'))
          }
    }
    // A dot in the long part (a JWS payload, a JWE ciphertext) is refused by the split, before
    // the header cap would refuse the token (a cap of 8 bytes here): the dot search, alone.
    const capped = new m.Decrypter({ keys: [{ alg: 'dir', enc: 'A128CBC-HS256', secret: new Uint8Array(32).fill(5) }], algorithms: ['dir'], encryptions: ['A128CBC-HS256'], verifier: { keys: [{ alg: 'HS256', secret: new Uint8Array(32).fill(4) }], algorithms: ['HS256'] }, maxHeaderBytes: 8 })
    const code = (f) => { try { f(); return 'accepted' } catch (e) { return e.code ?? String(e) } }
    const dots = []
    for (const t of ${JSON.stringify(jwss)}) {
      const [h, p, sig] = t.split('.')
      for (let at = 0; at <= p.length; at++) dots.push(code(() => decodeWith(jwe, h + '.' + p.slice(0, at) + '.' + p.slice(at) + '.' + sig, { maxHeaderBytes: 8 })))
      dots.push(code(() => decodeWith(jwe, t, { maxHeaderBytes: 8 })))
    }
    for (const t of ${JSON.stringify(tokens.filter((_, i) => i % 6 === 0))}) {
      const parts = t.split('.')
      for (let at = 0; at <= parts[3].length; at++) {
        const p = [...parts]
        p[3] = parts[3].slice(0, at) + '.' + parts[3].slice(at)
        dots.push(code(() => capped.decrypt(p.join('.'))))
      }
      dots.push(code(() => capped.decrypt(t)))
    }
    console.log(JSON.stringify({ codes, out, dots }))`
  /** @param {{ codes: string[], out: string, dots: string[] }} r */
  const expand = (r) => [...r.out].map((c) => r.codes[c.charCodeAt(0) - 48]).concat(r.dots)
  const [simdRun, plainRun] = [
    inCopy(() => {}, script),
    inCopy((wasm) => copyFileSync(join(wasm, 'jwt_wasm_jwe.wasm'), join(wasm, 'jwt_wasm_jwe_simd.wasm')), script),
  ]
  const [simd, plain] = [expand(simdRun), expand(plainRun)]
  const dots = plainRun.dots
  const refused = dots.filter((/** @type {string} */ o) => o === 'ERR_JWS_INVALID' || o === 'ERR_JWE_INVALID')
  assert.ok(refused.length > 2000, `${refused.length} dots refused by the split`)
  const over = dots.filter((/** @type {string} */ o) => o === 'ERR_JWT_TOO_LARGE').length
  assert.ok(over > 10, `${over}: the same tokens without the dot, over the header cap`)
  assert.equal(simd.length, plain.length)
  for (const [i, o] of plain.entries()) assert.equal(simd[i], o, `outcome ${i}`)
  const count = (/** @type {(o: string) => boolean} */ f) => plain.filter(f).length
  const tally = {}
  for (const o of plain) tally[o.startsWith('ok ') ? 'ok' : o] = (tally[o.startsWith('ok ') ? 'ok' : o] ?? 0) + 1
  assert.ok(
    count((o) => o.startsWith('ok ')) >= 40,
    `every untouched token with a canonical inner token decrypts: ${JSON.stringify(tally)}`,
  )
  assert.ok(count((o) => o === 'ERR_JWE_INVALID') > 5000, `${count((o) => o === 'ERR_JWE_INVALID')} refused as invalid`)
  assert.ok(count((o) => o === 'ERR_JWS_INVALID') >= 40, 'inner tokens refused for their base64url')
  assert.ok(count((o) => o === 'ERR_JWE_DECRYPTION_FAILED') > 1000, 'altered content or tags')
  assert.ok(count((o) => o === 'ERR_JWS_INVALID') > 5000, 'JWSs refused by their split or base64url')
  const read = {}
  for (const o of plain) read[o.slice(0, 24)] = (read[o.slice(0, 24)] ?? 0) + 1
  assert.ok(
    count((o) => o.startsWith('{')) > 500,
    `JWSs read (their signature is not decode's): ${JSON.stringify(read)}`,
  )
})
