// The public API beyond errors: string secrets, Signer options, decodeUnverified, inspect,
// free(), and importing the package (no crypto at import time).
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  Verifier,
  Signer,
  decodeUnverified,
  inspect,
  ready,
  JwtError,
  JWSInvalid,
  JWTInvalid,
  JWTTooLarge,
  JWSSignatureVerificationFailed,
  JWTClaimValidationFailed,
} from 'jwt-wasm'

const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
const at = (s) => ({ currentDate: new Date(s * 1000) })
const SECRET = 'api-test-secret-0123456789-abcdefghij' // 37 bytes
const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
const b64u = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
function mint(header, payload, secret = SECRET, alg = 'HS256') {
  const input = `${b64u(header)}.${b64u(payload)}`
  return `${input}.${createHmac(HASH[alg], secret).update(input).digest('base64url')}`
}
const here = dirname(fileURLToPath(import.meta.url))

/** Asserts an options TypeError (code ERR_INVALID_OPTIONS) whose message matches `pattern`. */
function invalid(fn, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${e?.name}: ${e?.message}`)
    assert.equal(e.code, 'ERR_INVALID_OPTIONS')
    assert.match(e.message, pattern)
    return true
  })
}

describe('string secrets are their UTF-8 bytes', () => {
  const secret = 'pässwörd-🔑-Schlüssel-秘密-ключ' // 50 UTF-8 bytes, 30 UTF-16 code units
  const bytes = new TextEncoder().encode(secret)

  test('the secret is long enough only in bytes', () => {
    assert.ok(secret.length < 32 && bytes.length >= 32, `${secret.length} units, ${bytes.length} bytes`)
  })

  test('a string key and its UTF-8 Uint8Array are the same key, both ways', () => {
    for (const [signKey, verifyKey] of [
      [secret, bytes],
      [bytes, secret],
      [secret, secret],
    ]) {
      const signer = new Signer({ key: { alg: 'HS256', secret: signKey }, ttl: 60 })
      const token = signer.sign({ sub: 'u' }, at(NOW))
      const verifier = new Verifier({ keys: [{ alg: 'HS256', secret: verifyKey }], algorithms: ['HS256'] })
      assert.equal(verifier.verify(token, at(NOW)).payload.sub, 'u')
      signer.free()
      verifier.free()
    }
  })

  test('the MAC is over the UTF-8 bytes (node:crypto agrees; Latin-1 or UTF-16 would not)', () => {
    const payload = { sub: 'u', exp: NOW + 60 }
    const verifier = new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'] })
    assert.deepEqual(verifier.verify(mint({ alg: 'HS256' }, payload, Buffer.from(bytes)), at(NOW)).payload, payload)
    for (const encoding of ['latin1', 'utf16le']) {
      const wrong = mint({ alg: 'HS256' }, payload, Buffer.from(secret, encoding))
      assert.throws(() => verifier.verify(wrong, at(NOW)), JWSSignatureVerificationFailed)
    }
    const signed = new Signer({ key: { alg: 'HS256', secret } }).sign(payload)
    assert.equal(signed, mint({ alg: 'HS256', typ: 'JWT' }, payload, Buffer.from(bytes)))
  })

  test('a Buffer (a Uint8Array subclass) and a subarray view are accepted as keys', () => {
    const padded = new Uint8Array(bytes.length + 8)
    padded.set(bytes, 4)
    const token = mint({ alg: 'HS256' }, { exp: NOW + 1 }, Buffer.from(bytes))
    for (const key of [Buffer.from(bytes), padded.subarray(4, 4 + bytes.length)]) {
      const v = new Verifier({ keys: [{ alg: 'HS256', secret: key }], algorithms: ['HS256'] })
      assert.equal(v.verify(token, at(NOW)).payload.exp, NOW + 1)
      v.free()
    }
  })
})

describe('Signer', () => {
  const key = { alg: 'HS256', secret: SECRET }
  const verifier = new Verifier({
    keys: [{ kid: 'k1', alg: 'HS256', secret: SECRET }],
    algorithms: ['HS256'],
  })
  const date = new Date(NOW * 1000 + 987) // the fraction of a second is dropped

  test('without ttl the claims are signed as given (header alg and typ JWT)', () => {
    const token = new Signer({ key }).sign({ sub: 'u', n: 1, nested: { a: [1, 'x', null] } }, { currentDate: date })
    const { header, payload } = decodeUnverified(token)
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' })
    assert.deepEqual(payload, { sub: 'u', n: 1, nested: { a: [1, 'x', null] } })
  })

  test('ttl on the Signer sets iat = floor(currentDate) and exp = iat + ttl', () => {
    const token = new Signer({ key, ttl: 300 }).sign({ sub: 'u' }, { currentDate: date })
    assert.deepEqual(decodeUnverified(token).payload, { sub: 'u', iat: NOW, exp: NOW + 300 })
    assert.deepEqual(verifier.verify(token, at(NOW + 299)).payload.exp, NOW + 300)
  })

  test('ttl per call overrides the Signer ttl', () => {
    const signer = new Signer({ key, ttl: 300 })
    assert.deepEqual(decodeUnverified(signer.sign({}, { currentDate: date, ttl: 5 })).payload, {
      iat: NOW,
      exp: NOW + 5,
    })
    assert.deepEqual(decodeUnverified(new Signer({ key }).sign({}, { currentDate: date, ttl: 0 })).payload, {
      iat: NOW,
      exp: NOW,
    })
  })

  test('jti: a random 22-character base64url value (128 bits), different on every call', () => {
    const signer = new Signer({ key, jti: true })
    const seen = new Set()
    for (let i = 0; i < 200; i++) {
      const { jti } = decodeUnverified(signer.sign({ sub: 'u' }, { currentDate: date })).payload
      assert.match(jti, /^[A-Za-z0-9_-]{21}[AQgw]$/, 'base64url of 16 bytes')
      seen.add(jti)
    }
    assert.equal(seen.size, 200)
    assert.equal(decodeUnverified(new Signer({ key }).sign({}, { jti: true })).payload.jti.length, 22)
    assert.equal(decodeUnverified(signer.sign({}, { jti: false })).payload.jti, undefined)
  })

  test('typ and kid go into the header', () => {
    const token = new Signer({ key: { kid: 'k1', ...key }, typ: 'at+jwt', ttl: 60 }).sign(
      { sub: 'u' },
      { currentDate: date },
    )
    assert.deepEqual(decodeUnverified(token).header, { alg: 'HS256', typ: 'at+jwt', kid: 'k1' })
    const v = new Verifier({ keys: [{ kid: 'k1', ...key }], algorithms: ['HS256'], typ: 'application/at+jwt' })
    assert.equal(v.verify(token, at(NOW)).header.kid, 'k1')
  })

  test('HS384 and HS512 signers', () => {
    for (const [alg, n] of [
      ['HS384', 48],
      ['HS512', 64],
    ]) {
      const secret = new Uint8Array(n).map((_, i) => i)
      const token = new Signer({ key: { alg, secret }, ttl: 10 }).sign({ sub: alg }, { currentDate: date })
      assert.equal(token.split('.')[2].length, Math.ceil((n * 4) / 3))
      const v = new Verifier({ keys: [{ alg, secret }], algorithms: [alg] })
      assert.equal(v.verify(token, at(NOW)).payload.sub, alg)
    }
  })

  test('claims with iat or exp plus a ttl are a TypeError', () => {
    const signer = new Signer({ key, ttl: 60 })
    invalid(() => signer.sign({ iat: NOW }, { currentDate: date }), /iat/)
    invalid(() => signer.sign({ exp: NOW }, { currentDate: date }), /exp/)
    invalid(() => new Signer({ key }).sign({ iat: NOW }, { currentDate: date, ttl: 1 }), /iat/)
  })

  test('a jti in the claims plus jti: true is a TypeError', () => {
    invalid(() => new Signer({ key, jti: true }).sign({ jti: 'mine' }), /jti/)
  })

  test('invalid claims are a TypeError naming the claim', () => {
    const signer = new Signer({ key })
    invalid(() => signer.sign({ exp: 'x' }), /exp/)
    invalid(() => signer.sign({ nbf: Number.NaN }), /nbf/)
    invalid(() => signer.sign({ iat: true }), /iat/)
    invalid(() => signer.sign({ aud: 5 }), /aud/)
    invalid(() => signer.sign({ iss: ['a'] }), /iss/)
    invalid(() => signer.sign({ n: 1n }), /JSON/)
    invalid(() => signer.sign([1]), /claims/)
    invalid(() => signer.sign(null), /claims/)
    invalid(() => signer.sign('{"sub":"u"}'), /claims/)
  })

  test('the claims object is not modified', () => {
    const claims = { sub: 'u' }
    new Signer({ key, ttl: 60, jti: true }).sign(claims, { currentDate: date })
    assert.deepEqual(claims, { sub: 'u' })
  })
})

// Reading runs on every artifact that has the claims capability: the hmac one (jwt-wasm) and the
// claims one (jwt-wasm/claims, what jwt-wasm/session uses), the same tests on each.
const READERS = [
  ['the hmac artifact (jwt-wasm)', { decodeUnverified, inspect }],
  ['the claims artifact (jwt-wasm/claims)', await import('jwt-wasm/claims')],
]
for (const [artifact, { decodeUnverified, inspect }] of READERS) {
  describe(`decodeUnverified on ${artifact}`, () => {
    const payload = { sub: 'u', exp: NOW - 1000 }
    const token = mint({ alg: 'HS256', kid: 'k' }, payload)

    test('returns header and payload without checking signature or time', () => {
      assert.deepEqual(decodeUnverified(token), { header: { alg: 'HS256', kid: 'k' }, payload })
      const forged = token.slice(0, token.lastIndexOf('.') + 1) + 'AAAA'
      assert.deepEqual(decodeUnverified(forged).payload, payload)
      assert.deepEqual(decodeUnverified(`${b64u({ alg: 'none' })}.${b64u(payload)}.`).header, { alg: 'none' })
    })

    test('still checks the shape strictly', () => {
      assert.throws(() => decodeUnverified('a.b'), JWSInvalid)
      assert.throws(() => decodeUnverified(token + '='), JWSInvalid)
      assert.throws(() => decodeUnverified(`${b64u('[1]')}.${b64u(payload)}.`), JWSInvalid)
      assert.throws(() => decodeUnverified(`${b64u({ alg: 'HS256' })}.${b64u('[1]')}.`), JWTInvalid)
      assert.throws(() => decodeUnverified(`${b64u({ alg: 'HS256' })}.${b64u('{"a":1,"a":2}')}.`), JWTInvalid)
      assert.throws(() => decodeUnverified(42), JWSInvalid)
    })

    test('maxTokenBytes', () => {
      assert.throws(() => decodeUnverified(token, { maxTokenBytes: 20 }), JWTTooLarge)
      assert.equal(decodeUnverified(token, { maxTokenBytes: token.length }).payload.sub, 'u')
      invalid(() => decodeUnverified(token, { maxTokenBytes: 0 }), /maxTokenBytes/)
    })

    test('a token above the 16 KiB default needs, and gets, a larger maxTokenBytes (decode and inspect)', () => {
      const big = mint({ alg: 'HS256' }, { exp: NOW + 60, blob: 'b'.repeat(20000) })
      assert.throws(() => decodeUnverified(big), JWTTooLarge)
      assert.throws(() => inspect(big, at(NOW)), JWTTooLarge)
      assert.equal(decodeUnverified(big, { maxTokenBytes: 65536 }).payload.blob.length, 20000)
      assert.equal(inspect(big, { ...at(NOW), maxTokenBytes: 65536 }).expiresIn, 60)
      const v = new Verifier({ keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'], maxTokenBytes: 65536 })
      assert.equal(v.verify(big, at(NOW)).payload.blob.length, 20000)
      assert.throws(
        () => new Verifier({ keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'] }).verify(big, at(NOW)),
        JWTTooLarge,
      )
    })
  })

  describe(`inspect on ${artifact}`, () => {
    test('numbers at a pinned time: expiresIn, expired, notYetValid, lifetime', () => {
      const t = mint({ alg: 'HS256' }, { iat: NOW - 100, nbf: NOW - 100, exp: NOW + 500 })
      const i = inspect(t, at(NOW))
      assert.deepEqual(
        {
          exp: i.exp,
          nbf: i.nbf,
          iat: i.iat,
          expiresIn: i.expiresIn,
          expired: i.expired,
          notYetValid: i.notYetValid,
          lifetime: i.lifetime,
          warnings: i.warnings,
        },
        {
          exp: NOW + 500,
          nbf: NOW - 100,
          iat: NOW - 100,
          expiresIn: 500,
          expired: false,
          notYetValid: false,
          lifetime: 600,
          warnings: [],
        },
      )
      assert.deepEqual(i.payload, { iat: NOW - 100, nbf: NOW - 100, exp: NOW + 500 })
      assert.deepEqual(i.header, { alg: 'HS256' })
      assert.equal(inspect(t, { currentDate: new Date((NOW + 0.5) * 1000) }).expiresIn, 499.5)
      const later = inspect(t, at(NOW + 500))
      assert.equal(later.expired, true, 'expired at exp exactly')
      assert.equal(later.expiresIn, 0)
      assert.equal(inspect(t, at(NOW + 800)).expiresIn, -300)
      const early = inspect(t, at(NOW - 101))
      assert.equal(early.notYetValid, true)
      assert.equal(early.expired, false)
    })

    test('absent claims are undefined', () => {
      const i = inspect(mint({ alg: 'HS256' }, { sub: 'u' }), at(NOW))
      for (const k of ['exp', 'nbf', 'iat', 'expiresIn', 'lifetime']) assert.equal(i[k], undefined, k)
      assert.equal(i.expired, false)
      assert.equal(i.notYetValid, false)
    })

    test('warning no_exp', () => {
      assert.deepEqual(inspect(mint({ alg: 'HS256' }, { sub: 'u', iat: NOW }), at(NOW)).warnings, ['no_exp'])
    })

    test('warning long_lifetime against maxLifetime (default 2 h)', () => {
      const hour = mint({ alg: 'HS256' }, { iat: NOW, exp: NOW + 3600 })
      assert.deepEqual(inspect(hour, at(NOW)).warnings, [])
      assert.deepEqual(inspect(hour, { ...at(NOW), maxLifetime: 600 }).warnings, ['long_lifetime'])
      assert.deepEqual(inspect(hour, { ...at(NOW), maxLifetime: 3600 }).warnings, [])
      const day = mint({ alg: 'HS256' }, { iat: NOW, exp: NOW + 86400 })
      assert.deepEqual(inspect(day, at(NOW)).warnings, ['long_lifetime'])
      // Without iat the remaining time is the lifetime.
      const noIat = mint({ alg: 'HS256' }, { exp: NOW + 3600 })
      assert.deepEqual(inspect(noIat, { ...at(NOW), maxLifetime: 600 }).warnings, ['long_lifetime'])
      assert.deepEqual(inspect(noIat, { ...at(NOW + 3000), maxLifetime: 600 }).warnings, [])
      invalid(() => inspect(hour, { ...at(NOW), maxLifetime: -1 }), /maxLifetime/)
    })

    test('warning alg_none on an unsigned token', () => {
      const i = inspect(`${b64u({ alg: 'none' })}.${b64u({ sub: 'u', iat: NOW, exp: NOW + 60 })}.`, at(NOW))
      assert.deepEqual(i.warnings, ['alg_none'])
      assert.deepEqual(inspect(`${b64u({ alg: 'NoNe' })}.${b64u({ exp: NOW + 60 })}.`, at(NOW)).warnings, ['alg_none'])
    })

    test('warning personal_data with the claim names', () => {
      const payload = {
        sub: 'user-42',
        iat: NOW,
        exp: NOW + 60,
        email: 'ann@example.org',
        name: 'Ann',
        contact: '+44 20 7946 0958',
        role: 'admin',
      }
      const i = inspect(mint({ alg: 'HS256' }, payload), at(NOW))
      assert.deepEqual(i.warnings, ['personal_data'])
      assert.deepEqual(i.personalData, ['email', 'name', 'contact'])
      assert.deepEqual(
        inspect(mint({ alg: 'HS256' }, { sub: 'user-42', iat: NOW, exp: NOW + 60 }), at(NOW)).personalData,
        [],
      )
    })

    test('several warnings at once, in a stable order', () => {
      const i = inspect(`${b64u({ alg: 'none' })}.${b64u({ email: 'a@b.example' })}.`, at(NOW))
      assert.deepEqual(i.warnings, ['no_exp', 'alg_none', 'personal_data'])
    })

    test('registered claims are typed strictly', () => {
      assert.throws(
        () => inspect(mint({ alg: 'HS256' }, { exp: 'soon' }), at(NOW)),
        (e) => e instanceof JWTClaimValidationFailed && e.claim === 'exp' && e.reason === 'invalid',
      )
      assert.throws(() => inspect('x.y', at(NOW)), JWSInvalid)
      invalid(() => inspect(mint({ alg: 'HS256' }, { exp: 1 }), { currentDate: 'today' }), /currentDate/)
    })
  })
}

describe('free()', () => {
  test('a freed Verifier or Signer throws a TypeError; free() twice is harmless', () => {
    const v = new Verifier({ keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'] })
    const token = mint({ alg: 'HS256' }, { exp: NOW + 60 })
    assert.equal(v.verify(token, at(NOW)).payload.exp, NOW + 60)
    v.free()
    invalid(() => v.verify(token, at(NOW)), /freed/)
    v.free()
    const s = new Signer({ key: { alg: 'HS256', secret: SECRET } })
    s.free()
    invalid(() => s.sign({}), /freed/)
    s.free()
  })

  test('freeing one Verifier leaves others working', () => {
    const keys = [{ alg: 'HS256', secret: SECRET }]
    const a = new Verifier({ keys, algorithms: ['HS256'] })
    const b = new Verifier({ keys, algorithms: ['HS256'] })
    a.free()
    assert.equal(b.verify(mint({ alg: 'HS256' }, { exp: NOW + 1 }), at(NOW)).payload.exp, NOW + 1)
    b.free()
  })
})

describe('the package', () => {
  test('exports the API and a resolved ready promise', async () => {
    await ready
    for (const f of [Verifier, Signer, decodeUnverified, inspect, JwtError]) assert.equal(typeof f, 'function')
  })

  test('verify returns plain JSON objects', () => {
    const v = new Verifier({ keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'] })
    const { header, payload } = v.verify(mint({ alg: 'HS256' }, { exp: NOW + 1, a: { b: [1, 2] } }), at(NOW))
    assert.equal(Object.getPrototypeOf(payload), Object.prototype)
    assert.equal(Object.getPrototypeOf(header), Object.prototype)
    assert.ok(Array.isArray(payload.a.b))
  })

  test('the exports map serves core.wasm (the hmac artifact), each artifact, and package.json', () => {
    for (const name of ['core', 'hmac', 'claims']) {
      const wasm = readFileSync(fileURLToPath(import.meta.resolve(`jwt-wasm/${name}.wasm`)))
      assert.ok(WebAssembly.validate(wasm), name)
    }
    const manifest = JSON.parse(readFileSync(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')), 'utf8'))
    assert.equal(manifest.name, 'jwt-wasm')
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'the package has no dependencies')
  })

  test('imports and verifies with globalThis.crypto deleted; only Signer with jti needs it', () => {
    const token = mint({ alg: 'HS256' }, { sub: 'u', exp: NOW + 60 })
    const script = `
      delete globalThis.crypto
      if (typeof globalThis.crypto !== 'undefined') throw new Error('crypto is still there')
      const m = await import('jwt-wasm')
      const v = new m.Verifier({ keys: [{ alg: 'HS256', secret: ${JSON.stringify(SECRET)} }], algorithms: ['HS256'] })
      const out = { sub: v.verify(${JSON.stringify(token)}, { currentDate: new Date(${NOW * 1000}) }).payload.sub }
      const s = new m.Signer({ key: { alg: 'HS256', secret: ${JSON.stringify(SECRET)} }, ttl: 60 })
      out.signed = typeof s.sign({ sub: 'u' }, { currentDate: new Date(${NOW * 1000}) })
      out.inspected = m.inspect(${JSON.stringify(token)}, { currentDate: new Date(${NOW * 1000}) }).expiresIn
      try { s.sign({}, { jti: true }); out.jti = 'signed' } catch (e) { out.jti = e.name }
      console.log(JSON.stringify(out))`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' })
    assert.deepEqual(JSON.parse(out), { sub: 'u', signed: 'string', inspected: 60, jti: 'TypeError' })
  })
})

describe('per-call options are checked like constructor options', () => {
  const verifier = new Verifier({ keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'] })
  const signer = new Signer({ key: { alg: 'HS256', secret: SECRET } })
  const token = mint({ alg: 'HS256' }, { exp: NOW + 60 })

  test('a misspelt option is a TypeError naming it, never a silent default', () => {
    invalid(() => verifier.verify(token, { currentdate: new Date(NOW * 1000) }), /"currentdate"/)
    invalid(() => inspect(token, { maxLifeTime: 1 }), /"maxLifeTime"/)
    invalid(() => decodeUnverified(token, { maxBytes: 1 }), /"maxBytes"/)
    invalid(() => signer.sign({}, { tll: 60 }), /"tll"/)
  })

  test('the right spellings work', () => {
    assert.equal(verifier.verify(token, at(NOW)).payload.exp, NOW + 60)
    assert.deepEqual(inspect(token, { ...at(NOW), maxLifetime: 10 }).warnings, ['long_lifetime'])
    assert.equal(decodeUnverified(token, { maxTokenBytes: token.length }).payload.exp, NOW + 60)
    assert.equal(decodeUnverified(signer.sign({}, { ...at(NOW), ttl: 60 })).payload.exp, NOW + 60)
  })
})
