// The keys artifact's boundary (issue 13, src/wasm/keys.rs), driven through its raw exports as
// src/js/wasm.js would: capabilities, the HMAC ops refused, pk_algorithms (mask in b),
// pk_add_keys's output, and the two-phase verify around a real WebCrypto verification of the RFC
// vectors (tests/vectors/keys/rfc.json) with the minimal JWK the core handed out. The JS entry
// (jwt-wasm/keys) is keys-js's; this reads pkg/wasm/jwt_wasm_keys.wasm that `make pkg` built.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const protocol = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'protocol.json'), 'utf8'))
const CAP = Object.fromEntries(protocol.capabilities.map((c) => [c.name, c.bit]))
const ERR = Object.fromEntries(protocol.errors.map((e) => [e.code, e.number]))
const OP = Object.fromEntries(protocol.ops.map((o) => [o.name, o.op]))
const OPT = Object.fromEntries(protocol.options.map((o) => [o.name, o.kind]))
const PK = Object.fromEntries(protocol.pk_algorithms.map((a) => [a.name, a]))
const certs = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'keys', 'certs.json'), 'utf8')).cases
const rfc = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'keys', 'rfc.json'), 'utf8')).cases

/** An instance of the browsers' keys artifact, or (`keys_fast`) the Node and workerd one. */
function instance(artifact = 'keys') {
  const m = new WebAssembly.Module(readFileSync(join(repo, 'pkg', 'wasm', `jwt_wasm_${artifact}.wasm`)))
  const imports = {}
  for (const { module, name } of WebAssembly.Module.imports(m)) {
    imports[module] ??= {}
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

function core(x) {
  const ptr = x.core_new(0, 0, -1, 1 << 16, 0)
  const put = (bytes) => {
    const at = x.core_input(ptr, bytes.length) >>> 0
    new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes)
    return bytes.length
  }
  const out = () => new Uint8Array(x.memory.buffer, x.core_out(ptr) >>> 0, x.core_out_len(ptr) >>> 0).slice()
  const call = (op, a, b, input, t = 0) => x.core_call(ptr, op, a, b, input ? put(input) : 0, t, 0)
  /** A call with `c` as given (no input). */
  const raw = (op, a, b, c, t = 0) => x.core_call(ptr, op, a, b, c, t, 0)
  return { call, raw, out, num: (i) => x.core_num(ptr, i) }
}

const text = (s) => new TextEncoder().encode(s)
const mask = (...names) => names.reduce((m, n) => m | (1 << PK[n].index), 0)

function webCryptoParams(alg) {
  const a = PK[alg]
  if (a.scheme === 'ECDSA')
    return [
      { name: 'ECDSA', namedCurve: a.crv },
      { name: 'ECDSA', hash: a.hash },
    ]
  if (a.scheme === 'RSA-PSS')
    return [
      { name: 'RSA-PSS', hash: a.hash },
      { name: 'RSA-PSS', saltLength: a.salt },
    ]
  if (a.scheme === 'Ed25519') return [{ name: 'Ed25519' }, { name: 'Ed25519' }]
  return [{ name: a.scheme, hash: a.hash }, { name: a.scheme }]
}

test('the keys artifact has claims and keys, and answers the HMAC ops as not supported', () => {
  const x = instance()
  assert.equal(x.caps(), CAP.claims | CAP.keys)
  const c = core(x)
  for (const op of ['add_key', 'verify', 'sign', 'verify_begin', 'verify_mac'])
    assert.equal(c.call(OP[op], 0, 0, text('x')), ERR.ERR_JOSE_NOT_SUPPORTED, op)
  assert.equal(c.call(OP.jwe_decrypt, 0, 0, text('x')), ERR.ERR_INVALID_OPTIONS, 'jwe ops are unknown here')
  assert.equal(c.call(OP.pk_add_keys, 1, 0, text('{"keys":[]}')), ERR.ERR_INVALID_OPTIONS, 'keys before algorithms')
  assert.equal(c.call(OP.pk_algorithms, mask('ES256'), 0), ERR.ERR_INVALID_OPTIONS, 'the mask goes in b, a is 0')
  assert.equal(c.call(OP.pk_algorithms, 0, 0), ERR.ERR_INVALID_OPTIONS, 'an empty allowlist')
  assert.equal(c.call(OP.pk_algorithms, 0, mask('EdDSA', 'Ed25519')), 0, 'bits 8 and 9')
})

test('pk_add_keys outputs each key as alg index, kid, minimal JWK; refusals carry a JWK problem letter', () => {
  const c = core(instance())
  assert.equal(c.call(OP.pk_algorithms, 0, mask('ES256', 'RS256', 'EdDSA')), 0)
  const set = {
    keys: [
      { ...rfc[1].jwk, kid: 'ec' },
      { ...rfc[0].jwk, kid: 'rsa' },
      rfc[2].jwk,
      { kty: 'OKP', crv: 'X25519', x: 'AA' },
    ],
  }
  assert.equal(c.call(OP.pk_add_keys, 1, 0, text(JSON.stringify(set))), 0)
  const parts = new TextDecoder().decode(c.out()).split('\0')
  assert.equal(parts.length, 9)
  assert.deepEqual([parts[0], parts[1], JSON.parse(parts[2])], [String(PK.ES256.index), 'ec', rfc[1].jwk])
  assert.deepEqual([parts[3], parts[4], JSON.parse(parts[5])], [String(PK.RS256.index), 'rsa', rfc[0].jwk])
  assert.deepEqual([parts[6], parts[7], JSON.parse(parts[8])], [String(PK.EdDSA.index), '', rfc[2].jwk])
  assert.deepEqual([c.num(0), c.num(1)], [3, 1], 'three accepted, the X25519 key skipped')
  const again = JSON.stringify({ ...rfc[1].jwk, kid: 'ec' })
  assert.equal(c.call(OP.pk_add_keys, 0, 0, text(again)), ERR.ERR_JWKS_INVALID, 'a kid already in the ring')
  const priv = JSON.stringify({ ...rfc[2].jwk, d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A' })
  assert.equal(c.call(OP.pk_add_keys, 0, 0, text(priv)), ERR.ERR_JWK_INVALID)
  const letter = String.fromCharCode(c.out()[0])
  assert.equal(protocol.jwk_problems.find((p) => p.letter === letter).name, 'private')
})

test('the RFC vectors verify through begin, WebCrypto with the handed-out JWK, and end', async () => {
  for (const v of rfc.filter((v) => !v.skipped)) {
    const c = core(instance())
    assert.equal(c.call(OP.option, OPT.requiredClaims, 0, text('exp')), 0)
    assert.equal(c.call(OP.pk_algorithms, 0, mask(...v.allowed)), 0)
    assert.equal(c.call(OP.pk_add_keys, 0, 0, text(JSON.stringify(v.jwk))), 0, v.name)
    const [alg, , jwk] = new TextDecoder().decode(c.out()).split('\0')
    assert.equal(c.call(OP.finish, 0, 0), 0)
    const token = text(v.token)
    assert.equal(c.call(OP.pk_verify_begin, 0, 0, token, v.now), 0, v.name)
    const [signature, key, signedLen] = [c.out(), c.num(0), c.num(1)]
    assert.deepEqual([key, signedLen, signature.length], [0, v.token.lastIndexOf('.'), v.signature_bytes], v.name)
    const [importAlg, verifyAlg] = webCryptoParams(PK_NAMES[Number(alg)])
    const cryptoKey = await crypto.subtle.importKey('jwk', JSON.parse(jwk), importAlg, false, ['verify'])
    const ok = await crypto.subtle.verify(verifyAlg, cryptoKey, signature, token.subarray(0, signedLen))
    assert.equal(ok, true, `${v.name}: WebCrypto verifies with the core's JWK`)
    const ended = c.call(OP.pk_verify_end, 1, key, token, v.now)
    if (v.end === 'ok') {
      assert.equal(ended, 0, v.name)
      const [header, payload] = new TextDecoder().decode(c.out()).split('\0')
      assert.equal(JSON.parse(header).alg, v.alg)
      assert.equal(JSON.parse(payload).iss, 'joe')
    } else assert.equal(ended, ERR[v.end], v.name)
    assert.equal(c.call(OP.pk_verify_end, 0, key, token, v.now), ERR.ERR_JWS_SIGNATURE_VERIFICATION_FAILED)
    assert.equal(c.call(OP.pk_verify_end, 1, key + 1, token, v.now), ERR.ERR_INVALID_OPTIONS, 'another key')
    // A tampered signature: WebCrypto says no, end says so.
    const bad = signature.slice()
    bad[bad.length - 1] ^= 1
    const forged = await crypto.subtle.verify(verifyAlg, cryptoKey, bad, token.subarray(0, signedLen))
    assert.equal(forged, false, v.name)
  }
})

const PK_NAMES = protocol.pk_algorithms.map((a) => a.name)

test('pk_cert_key gives the JWK node:crypto reads from each certificate, and adds nothing to the ring', () => {
  const c = core(instance())
  for (const cert of certs) {
    const status = c.call(OP.pk_cert_key, 0, 0, text(cert.pem))
    if (cert.expect === 'ok') {
      assert.equal(status, 0, cert.name)
      assert.deepEqual(JSON.parse(new TextDecoder().decode(c.out())), cert.jwk, cert.name)
    } else {
      assert.equal(status, ERR.ERR_JWK_INVALID, cert.name)
      const letter = String.fromCharCode(c.out()[0])
      assert.equal(protocol.jwk_problems.find((p) => p.letter === letter).name, cert.expect, cert.name)
    }
  }
  assert.equal(c.call(OP.pk_algorithms, 0, mask('ES256')), 0, 'still no key in the ring')
})

test("pk_verify_finish takes begin's ticket once: the verdict first, then the claims; a ticket that gives nothing answers PK_TICKET_GONE", async () => {
  const GONE = protocol.pk_ticket_gone
  assert.ok(GONE > 0 && !protocol.errors.some((e) => e.number === GONE), 'no error number')
  const v = rfc.find((v) => !v.skipped && v.end === 'ok')
  const c = core(instance('keys_fast'))
  assert.equal(c.call(OP.option, OPT.requiredClaims, 0, text('exp')), 0)
  assert.equal(c.call(OP.pk_algorithms, 0, mask(...v.allowed)), 0)
  assert.equal(c.call(OP.pk_add_keys, 0, 0, text(JSON.stringify(v.jwk))), 0, v.name)
  assert.equal(c.call(OP.finish, 0, 0), 0)
  const token = text(v.token)
  /** begin, then its ticket and key; finish (`raw`: c is the key, no input) reads no token. */
  const begin = (now = v.now) => {
    assert.equal(c.call(OP.pk_verify_begin, 0, 0, token, now), 0, v.name)
    return [c.num(4), c.num(0)]
  }
  const raw = (a, ticket, key, now = v.now) => c.raw(OP.pk_verify_finish, a, ticket, key, now)
  const [ticket, key] = begin()
  assert.ok(Number.isInteger(ticket) && ticket > 0, 'a positive ticket')
  assert.equal(raw(1, ticket, key), 0)
  const [header, payload] = new TextDecoder().decode(c.out()).split('\0')
  assert.equal(JSON.parse(header).alg, v.alg)
  assert.equal(JSON.parse(payload).iss, 'joe')
  assert.equal(raw(1, ticket, key), GONE, 'taken')
  for (const forged of [0, -1, ticket + 1, ticket ^ 1]) assert.equal(raw(1, forged, key), GONE, `ticket ${forged}`)
  // The verdict before the claims: at a time the token has expired, a refusal is a refusal, and
  // a verified one is expired with its payload; another key than begin's is a misuse.
  const late = 1_300_819_381
  assert.equal(raw(0, begin(late)[0], key, late), ERR.ERR_JWS_SIGNATURE_VERIFICATION_FAILED)
  assert.equal(raw(1, begin(late)[0], key, late), ERR.ERR_JWT_EXPIRED)
  assert.equal(JSON.parse(new TextDecoder().decode(c.out()).split('\0').at(-1)).iss, 'joe', 'the payload comes along')
  assert.equal(raw(1, begin()[0], key + 1), ERR.ERR_INVALID_OPTIONS, 'another key')
  // 64 in flight on one core; the 65th begin parks over the oldest, whose ticket then gives
  // nothing; the stateless end still answers it from the token.
  const tickets = Array.from({ length: 65 }, () => begin()[0])
  assert.equal(raw(1, tickets[0], key), GONE, 'parked over')
  assert.equal(c.call(OP.pk_verify_end, 1, key, token, v.now), 0, 'the fallback')
  for (const t of tickets.slice(1).reverse()) assert.equal(raw(1, t, key), 0)
  // A fresh instance (after a trap: the same Core remade) starts its table anew: a ticket of the
  // old one gives nothing there, until a begin parks under the same number (another token's), so
  // JS presents a ticket only to the instance that gave it (ring.js; tests/js/keys/trap.test.mjs).
  const d = core(instance('keys_fast'))
  assert.equal(d.call(OP.option, OPT.requiredClaims, 0, text('exp')), 0)
  assert.equal(d.call(OP.pk_algorithms, 0, mask(...v.allowed)), 0)
  assert.equal(d.call(OP.pk_add_keys, 0, 0, text(JSON.stringify(v.jwk))), 0)
  assert.equal(d.call(OP.finish, 0, 0), 0)
  assert.equal(d.raw(OP.pk_verify_finish, 1, ticket, key, v.now), GONE)
  assert.equal(d.call(OP.pk_verify_begin, 0, 0, token, v.now), 0)
  assert.equal(d.num(4), ticket, 'the same number, in the new table')
  // The browsers' artifact has no tickets: begin gives none, and finish is an unknown op.
  const e = core(instance())
  assert.equal(e.call(OP.option, OPT.requiredClaims, 0, text('exp')), 0)
  assert.equal(e.call(OP.pk_algorithms, 0, mask(...v.allowed)), 0)
  assert.equal(e.call(OP.pk_add_keys, 0, 0, text(JSON.stringify(v.jwk))), 0)
  assert.equal(e.call(OP.finish, 0, 0), 0)
  assert.equal(e.call(OP.pk_verify_begin, 0, 0, token, v.now), 0)
  assert.ok(Number.isNaN(e.num(4)), 'no ticket')
  assert.equal(e.raw(OP.pk_verify_finish, 1, ticket, key, v.now), ERR.ERR_INVALID_OPTIONS)
  assert.equal(e.call(OP.pk_verify_end, 1, key, token, v.now), 0)
})
