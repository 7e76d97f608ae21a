// The wasm wire protocol as the installed package speaks it: internal/protocol.js (generated from
// src/protocol.rs) against tests/vectors/protocol.json (generated from the same file), number by
// number, and the error classes against the protocol's error table. A number edited in the
// package's JS but not in Rust fails here; `make lint` (`cargo run --example protocol -- --check`)
// fails for an edit on either side that was not regenerated.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as jwt from 'jwt-wasm'
import * as jwe from 'jwt-wasm/jwe'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const spec = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'protocol.json'), 'utf8'))
const internal = (file) => import(new URL(`./internal/${file}`, import.meta.resolve('jwt-wasm')).href)
// protocol-jwe.js holds the jwe capability's part, protocol-keys.js the keys capability's, apart
// so that no other entry changes.
const js = {
  ...(await internal('protocol.js')),
  ...(await internal('protocol-jwe.js')),
  ...(await internal('protocol-keys.js')),
}
const base = await internal('protocol.js')
const upper = (name) => name.toUpperCase()

test('operations', () => {
  for (const { name, op } of spec.ops) assert.equal(js[`OP_${upper(name)}`], op, name)
  assert.equal(Object.keys(js).filter((k) => k.startsWith('OP_')).length, spec.ops.length)
})

test('option kinds, algorithm indices, the separator and the absent value', () => {
  assert.deepEqual(js.OPT, Object.fromEntries(spec.options.map(({ name, kind }) => [name, kind])))
  assert.deepEqual(
    js.ALGS,
    spec.algorithms.map(({ name, index }, i) => (assert.equal(index, i), name)),
  )
  assert.equal(js.SEP, String.fromCharCode(spec.separator))
  assert.equal(js.ABSENT, spec.absent)
})

test('error numbers, codes and messages', () => {
  const numbers = Object.entries(js).filter(([k]) => k.startsWith('ERR_'))
  assert.deepEqual(
    numbers.map(([, n]) => n).sort((a, b) => a - b),
    spec.errors.map((e) => e.number),
  )
  // The errors only the jwe artifact returns are rendered apart (src/protocol.rs JWE_ERRORS),
  // so that the claims and hmac entries, which import CODES and MESSAGES, carry none of them.
  // The same for the keys artifact's (KEYS_ERRORS, protocol-keys.js).
  const apart = Object.values(js.JWE_ERROR_CODES)
  const jwe = spec.errors.filter((e) => apart.includes(e.code))
  assert.deepEqual(
    jwe.map((e) => e.code),
    ['ERR_JWE_INVALID', 'ERR_JWE_DECRYPTION_FAILED'],
  )
  const keys = spec.errors.filter((e) => Object.values(js.KEYS_ERROR_CODES).includes(e.code))
  assert.deepEqual(
    keys.map((e) => e.code),
    ['ERR_JWKS_INVALID', 'ERR_JWK_INVALID'],
  )
  for (const { number, code, message } of spec.errors) {
    const isJwe = jwe.some((e) => e.number === number)
    const isKeys = keys.some((e) => e.number === number)
    const [codes, messages] = isJwe
      ? [js.JWE_ERROR_CODES, js.JWE_ERROR_MESSAGES]
      : isKeys
        ? [js.KEYS_ERROR_CODES, js.KEYS_ERROR_MESSAGES]
        : [js.CODES, js.MESSAGES]
    assert.equal(codes[number], code, `code of ${number}`)
    assert.equal(messages[number], message, `message of ${number}`)
    if (isJwe || isKeys) assert.equal(js.CODES[number], undefined, `${code} is not in CODES`)
    if (isJwe || isKeys) assert.equal(base[`ERR_${code.slice(4)}`], undefined, `${code} is not in protocol.js`)
  }
  assert.equal(js.CODES.filter(Boolean).length, spec.errors.length - jwe.length - keys.length)
})

test('the JWE tables: algorithms, encryptions with their lengths, refusal messages by letter', () => {
  assert.deepEqual(
    js.JWE_ALGS,
    spec.jwe_algorithms.map(({ name, index }, i) => (assert.equal(index, i), name)),
  )
  assert.deepEqual(
    js.JWE_KEK_BYTES,
    spec.jwe_algorithms.map((a) => a.key_bytes),
  )
  assert.deepEqual(
    js.JWE_ENCS,
    spec.jwe_encryptions.map(({ name, index }, i) => (assert.equal(index, i), name)),
  )
  assert.deepEqual(
    js.JWE_CEK_BYTES,
    spec.jwe_encryptions.map((e) => e.cek_bytes),
  )
  assert.deepEqual(
    js.JWE_IV_BYTES,
    spec.jwe_encryptions.map((e) => e.iv_bytes),
  )
  for (const { letter, message } of spec.jwe_refusals) {
    assert.equal(js.JWE_MESSAGES[letter.charCodeAt(0) - 97], message, `refusal ${letter}`)
  }
  assert.equal(js.JWE_MESSAGES.length, spec.jwe_refusals.length)
  assert.equal(js.CAP_JWE, spec.capabilities.find((c) => c.name === 'jwe').bit)
})

test('the keys tables: PK_ALGS with what WebCrypto needs, JWK problems by letter, the capability', () => {
  assert.deepEqual(
    js.PK_ALGS,
    spec.pk_algorithms.map(({ name, index }, i) => (assert.equal(index, i), name)),
  )
  for (const [table, field] of [
    ['PK_KTY', 'kty'],
    ['PK_CRV', 'crv'],
    ['PK_SCHEME', 'scheme'],
    ['PK_HASH', 'hash'],
    ['PK_SALT', 'salt'],
    ['PK_SIG_BYTES', 'sig_bytes'],
  ]) {
    assert.deepEqual(
      js[table],
      spec.pk_algorithms.map((a) => a[field]),
      table,
    )
  }
  for (const { letter, name, message } of spec.jwk_problems) {
    assert.equal(js.JWK_MESSAGES[letter.charCodeAt(0) - 65], message, `problem ${letter}`)
    assert.equal(js.JWK_PROBLEMS[letter.charCodeAt(0) - 65], name, `problem ${letter}`)
  }
  assert.equal(js.JWK_MESSAGES.length, spec.jwk_problems.length)
  assert.equal(js.CAP_KEYS, spec.capabilities.find((c) => c.name === 'keys').bit)
})

test('every core error number has its class, with the code and default message of the table', async () => {
  const { BY_CODE } = await import(new URL('./errors.js', import.meta.resolve('jwt-wasm')).href)
  for (const { number, code, message } of spec.errors) {
    // The JWE errors' classes belong to jwt-wasm/jwe (its own entry), not to the root.
    if (code in { ERR_JWE_INVALID: 1, ERR_JWE_DECRYPTION_FAILED: 1 }) continue
    // The keys errors' classes belong to jwt-wasm/keys (its own entry), not to the root.
    if (code in { ERR_JWKS_INVALID: 1, ERR_JWK_INVALID: 1 }) continue
    const C = BY_CODE[js.CODES[number]]
    if (code === 'ERR_INVALID_OPTIONS') {
      assert.equal(C, undefined, 'invalid options are a TypeError, not a JwtError class')
      assert.equal(new jwt.InvalidOptionsError('x').code, code)
      continue
    }
    assert.ok(C && C.prototype instanceof jwt.JwtError, `a class for ${code}`)
    assert.equal(C.code, code)
    assert.equal(new C().message, message)
    // The JWE errors are jwt-wasm/jwe's own (registered when it loads), the others jwt-wasm's.
    const from = code.startsWith('ERR_JWE_') ? jwe : jwt
    assert.ok(
      Object.entries(from).some(([name, value]) => name === C.name && value === C),
      `${C.name} is exported`,
    )
  }
})

test('claim reasons and their phrases', () => {
  for (const { digit, name, phrase } of spec.reasons) {
    assert.equal(js.REASONS[+digit], name || undefined, `reason ${digit}`)
    assert.equal(js.CLAIM_PHRASES[+digit], phrase || undefined, `phrase ${digit}`)
  }
})

test('inspection slots and warning bits', () => {
  for (const { name, slot } of spec.slots) assert.equal(js[`SLOT_${upper(name)}`], slot, name)
  assert.equal(Object.keys(js).filter((k) => k.startsWith('SLOT_')).length, spec.slots.length)
  for (const { name, bit } of spec.warnings) assert.equal(js.WARNINGS[Math.log2(bit)], name, name)
  assert.equal(js.WARNINGS.filter(Boolean).length, spec.warnings.length)
})
