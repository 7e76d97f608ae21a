// Errors through the public API: every code has its class, classes keep their names and fields,
// messages never echo input, and invalid options are TypeErrors that name the option.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as jwt from 'jwt-wasm'
import { Decrypter, Encrypter, JWEDecryptionFailed, JWEInvalid } from 'jwt-wasm/jwe'
import {
  Verifier,
  Signer,
  JwtError,
  JWSInvalid,
  JWTInvalid,
  JWTTooLarge,
  JOSEAlgNotAllowed,
  JOSENotSupported,
  JWSSignatureVerificationFailed,
  JWTExpired,
  JWTClaimValidationFailed,
  JWKSNoMatchingKey,
  KeyInvalid,
  WasmNotInitialized,
  InvalidOptionsError,
} from 'jwt-wasm'

const NOW = 1_767_225_600 // 2026-01-01T00:00:00Z
const at = (s) => ({ currentDate: new Date(s * 1000) })
const SECRET = 'MARKER-SECRET-0123456789-abcdefghijklmnop' // 41 bytes
const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }
const b64u = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
/** A compact token over raw header/payload JSON (strings pass through unchanged). */
function mint(header, payload, secret = SECRET, alg = 'HS256') {
  const input = `${b64u(header)}.${b64u(payload)}`
  return `${input}.${createHmac(HASH[alg], secret).update(input).digest('base64url')}`
}
const claims = {
  sub: 'MARKER-SUB',
  iss: 'MARKER-ISS',
  aud: 'MARKER-AUD',
  iat: NOW - 10,
  exp: NOW + 600,
  email: 'marker@example.org',
}
const verifier = (extra = {}) =>
  new Verifier({ keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'], audience: 'MARKER-AUD', ...extra })

/** Asserts `fn` throws an instance of `C` (and of JwtError) with C's code and name. */
function throwsKind(fn, C, check) {
  let error
  assert.throws(fn, (e) => {
    error = e
    return true
  })
  assert.ok(error instanceof JwtError, `expected a JwtError, got ${error?.name}: ${error?.message}`)
  assert.ok(error instanceof Error)
  assert.ok(error instanceof C, `expected ${C.name}, got ${error.name} (${error.code})`)
  assert.equal(error.code, C.code)
  assert.equal(error.name, C.name)
  assert.equal(error.constructor.name, C.name)
  check?.(error)
  return error
}

// Every code the design lists, with the public class and a real input that produces it.
/** A Decrypter of `key` (dir, A128GCM), the inner tokens verified with SECRET. */
const JWE_KEY = { alg: 'dir', enc: 'A128GCM', secret: new Uint8Array(16).fill(1) }
const decrypter = () =>
  new Decrypter({
    keys: [JWE_KEY],
    algorithms: ['dir'],
    encryptions: ['A128GCM'],
    verifier: { keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'] },
  })
const KINDS = [
  ['ERR_JWS_INVALID', JWSInvalid, 'JWSInvalid', () => verifier().verify('only.two', at(NOW))],
  ['ERR_JWT_INVALID', JWTInvalid, 'JWTInvalid', () => verifier().verify(mint({ alg: 'HS256' }, '[1,2]'), at(NOW))],
  [
    'ERR_JWT_TOO_LARGE',
    JWTTooLarge,
    'JWTTooLarge',
    () => verifier({ maxTokenBytes: 64 }).verify(mint({ alg: 'HS256' }, claims), at(NOW)),
  ],
  [
    'ERR_JOSE_ALG_NOT_ALLOWED',
    JOSEAlgNotAllowed,
    'JOSEAlgNotAllowed',
    () => verifier().verify(`${b64u({ alg: 'none' })}.${b64u(claims)}.`, at(NOW)),
  ],
  [
    'ERR_JOSE_NOT_SUPPORTED',
    JOSENotSupported,
    'JOSENotSupported',
    () => verifier().verify(mint({ alg: 'HS256', crit: ['exp'], exp: 1 }, claims), at(NOW)),
  ],
  [
    'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    JWSSignatureVerificationFailed,
    'JWSSignatureVerificationFailed',
    () => verifier().verify(mint({ alg: 'HS256' }, claims, SECRET + '!'), at(NOW)),
  ],
  ['ERR_JWT_EXPIRED', JWTExpired, 'JWTExpired', () => verifier().verify(mint({ alg: 'HS256' }, claims), at(NOW + 600))],
  [
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
    JWTClaimValidationFailed,
    'JWTClaimValidationFailed',
    () => verifier({ issuer: 'someone-else' }).verify(mint({ alg: 'HS256' }, claims), at(NOW)),
  ],
  [
    'ERR_JWKS_NO_MATCHING_KEY',
    JWKSNoMatchingKey,
    'JWKSNoMatchingKey',
    () =>
      new Verifier({
        keys: [{ kid: 'a', alg: 'HS256', secret: SECRET }],
        algorithms: ['HS256'],
        audience: 'MARKER-AUD',
      }).verify(mint({ alg: 'HS256', kid: 'b' }, claims), at(NOW)),
  ],
  [
    'ERR_KEY_INVALID',
    KeyInvalid,
    'KeyInvalid',
    () => new Verifier({ keys: [{ alg: 'HS256', secret: 'x'.repeat(31) }], algorithms: ['HS256'] }),
  ],
]

describe('every code maps to its own JwtError subclass', () => {
  // jwt-wasm/jwe's own (issue 11), made there so that no other entry carries them.
  KINDS.push(
    ['ERR_JWE_INVALID', JWEInvalid, 'JWEInvalid', () => decrypter().decrypt('only.two')],
    [
      'ERR_JWE_DECRYPTION_FAILED',
      JWEDecryptionFailed,
      'JWEDecryptionFailed',
      () => {
        const token = new Encrypter({ key: JWE_KEY, enc: 'A128GCM' }).encrypt(mint({ alg: 'HS256' }, claims))
        decrypter().decrypt(`${token.slice(0, -3)}${token.endsWith('A') ? 'B' : 'A'}AA`)
      },
    ],
  )
  for (const [code, C, name, produce] of KINDS) {
    test(`${code} → ${name}`, () => {
      assert.equal(C.code, code)
      assert.equal(C.name, name)
      throwsKind(produce, C)
      const bare = new C()
      assert.ok(bare instanceof JwtError && bare instanceof C)
      assert.equal(bare.code, code)
      assert.equal(bare.name, name)
      assert.ok(bare.message.length > 0, 'a default message')
    })
  }

  test('codes are unique and every exported error class is covered', () => {
    const codes = KINDS.map(([code]) => code)
    assert.equal(new Set(codes).size, codes.length)
    const exported = Object.entries(jwt).filter(
      ([, v]) => typeof v === 'function' && (v === JwtError || v.prototype instanceof JwtError),
    )
    const covered = new Set([
      ...KINDS.map(([, C]) => C),
      JwtError,
      WasmNotInitialized,
      jwt.WasmTrapped,
      jwt.WasmCapabilityMissing,
    ])
    for (const [name, C] of exported) assert.ok(covered.has(C), `exported error class ${name} has no test here`)
    assert.equal(WasmNotInitialized.code, 'ERR_WASM_NOT_INITIALIZED')
    assert.equal(WasmNotInitialized.name, 'WasmNotInitialized')
    assert.equal(jwt.WasmTrapped.code, 'ERR_WASM_TRAPPED') // thrown in tests/js/core/trap.test.mjs
    assert.equal(jwt.WasmCapabilityMissing.code, 'ERR_WASM_CAPABILITY_MISSING') // thrown in core/artifacts.test.mjs
    assert.equal(JwtError.name, 'JwtError')
    assert.equal(new JwtError('m').name, 'JwtError')
  })

  test('the Rust error table (tests/vectors/protocol.json, when present) has a class for every code', (t) => {
    const file = join(process.env.JWT_WASM_REPO, 'tests', 'vectors', 'protocol.json')
    if (!existsSync(file)) {
      t.diagnostic('tests/vectors/protocol.json is not there yet; the list above is the design list')
      return
    }
    const found = new Set()
    const walk = (v) => {
      if (typeof v === 'string' && /^ERR_[A-Z_]+$/.test(v)) found.add(v)
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(k), walk(x)
    }
    walk(JSON.parse(readFileSync(file, 'utf8')))
    assert.ok(found.size > 0, 'protocol.json lists codes')
    const known = new Set([...KINDS.map(([code]) => code), 'ERR_INVALID_OPTIONS'])
    for (const code of found) {
      // The JWE errors' classes come with the jwt-wasm/jwe entry (issue 11), not with this one.
      if (code.startsWith('ERR_JWE_')) continue
      // The key-set and JWK errors' classes come with the jwt-wasm/keys entry (issue 13).
      if (code === 'ERR_JWKS_INVALID' || code === 'ERR_JWK_INVALID') continue
      assert.ok(known.has(code), `${code} (from Rust) has no JS class`)
    }
    for (const code of known) assert.ok(found.has(code), `${code} is not in protocol.json`)
  })

  /** Copies the installed package, breaks its .wasm with `spoil`, and reports what using it throws. */
  function brokenPackage(spoil) {
    const entry = fileURLToPath(import.meta.resolve('jwt-wasm'))
    const scratch = mkdtempSync(join(process.env.JWT_WASM_REPO, 'tests', '.tmp', 'nowasm-'))
    try {
      cpSync(dirname(entry), scratch, { recursive: true })
      spoil(join(scratch, 'wasm', 'jwt_wasm_hmac_native.wasm')) // the artifact the Node entry loads
      const script = `
        const m = await import(${JSON.stringify(pathToFileURL(join(scratch, 'entry-node.js')).href)})
        await m.ready
        try { new m.Verifier({ keys: [{ alg: 'HS256', secret: 'x'.repeat(32) }], algorithms: ['HS256'] }); console.log('{}') }
        catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, base: e instanceof m.JwtError, own: e instanceof m.WasmNotInitialized, cause: e.cause !== undefined })) }`
      return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }
  const notInitialized = {
    name: 'WasmNotInitialized',
    code: 'ERR_WASM_NOT_INITIALIZED',
    base: true,
    own: true,
    cause: true,
  }

  test('WasmNotInitialized: a corrupt .wasm imports fine and throws on use, with the cause', () => {
    assert.deepEqual(
      brokenPackage((wasm) => writeFileSync(wasm, 'not wasm')),
      notInitialized,
    )
  })

  test('WasmNotInitialized: a missing .wasm imports fine and throws on use, with the cause', () => {
    assert.deepEqual(
      brokenPackage((wasm) => rmSync(wasm)),
      notInitialized,
    )
  })
})

describe('claim and expiry errors carry claim, reason and the verified payload', () => {
  const token = mint({ alg: 'HS256' }, claims)

  test('JWTExpired: claim exp, reason check_failed, payload', () => {
    throwsKind(
      () => verifier().verify(token, at(NOW + 600)),
      JWTExpired,
      (e) => {
        assert.equal(e.claim, 'exp')
        assert.equal(e.reason, 'check_failed')
        assert.deepEqual(e.payload, claims)
      },
    )
  })

  test('JWTExpired for maxTokenAge: claim iat', () => {
    throwsKind(
      () => verifier({ maxTokenAge: 5 }).verify(token, at(NOW)),
      JWTExpired,
      (e) => {
        assert.equal(e.claim, 'iat')
        assert.equal(e.reason, 'check_failed')
        assert.deepEqual(e.payload, claims)
      },
    )
  })

  const claimCases = [
    ['iss mismatch', { issuer: 'other' }, claims, 'iss', 'check_failed'],
    ['aud mismatch', { audience: ['x', 'y'] }, claims, 'aud', 'check_failed'],
    ['sub mismatch', { subject: 'other' }, claims, 'sub', 'check_failed'],
    ['exp missing', {}, { ...claims, exp: undefined }, 'exp', 'missing'],
    ['exp of the wrong type', {}, { ...claims, exp: String(NOW + 600) }, 'exp', 'invalid'],
    ['nbf in the future', {}, { ...claims, nbf: NOW + 60 }, 'nbf', 'check_failed'],
    ['required custom claim missing', { requiredClaims: ['exp', 'tenant'] }, claims, 'tenant', 'missing'],
  ]
  for (const [what, options, payload, claim, reason] of claimCases) {
    test(`JWTClaimValidationFailed: ${what}`, () => {
      throwsKind(
        () => verifier(options).verify(mint({ alg: 'HS256' }, payload), at(NOW)),
        JWTClaimValidationFailed,
        (e) => {
          assert.equal(e.claim, claim)
          assert.equal(e.reason, reason)
          assert.deepEqual(e.payload, JSON.parse(JSON.stringify(payload)))
        },
      )
    })
  }

  test('JWTClaimValidationFailed: typ in the header', () => {
    throwsKind(
      () => verifier({ typ: 'at+jwt' }).verify(mint({ alg: 'HS256', typ: 'JWT' }, claims), at(NOW)),
      JWTClaimValidationFailed,
      (e) => {
        assert.equal(e.claim, 'typ')
        assert.equal(e.reason, 'check_failed')
      },
    )
  })

  test('no payload, claim or reason on failures before the signature verified', () => {
    const before = [
      [
        () => verifier().verify(mint({ alg: 'HS256' }, claims, SECRET + '?'), at(NOW + 600)),
        JWSSignatureVerificationFailed,
      ],
      [() => verifier().verify(`${b64u({ alg: 'none' })}.${b64u(claims)}.`, at(NOW)), JOSEAlgNotAllowed],
      [() => verifier().verify(token + '=', at(NOW)), JWSInvalid],
    ]
    for (const [fn, C] of before) {
      throwsKind(fn, C, (e) => {
        assert.ok(!('payload' in e), `${e.name} must not carry a payload`)
        assert.ok(!('claim' in e) && !('reason' in e), `${e.name} must not carry claim/reason`)
      })
    }
  })

  test('an expired token with a bad signature is a signature failure, not JWTExpired', () => {
    throwsKind(
      () => verifier().verify(mint({ alg: 'HS256' }, { ...claims, exp: 1 }, SECRET + '?'), at(NOW)),
      JWSSignatureVerificationFailed,
    )
  })
})

test('messages contain neither the token, its segments, the secret nor claim values', () => {
  const good = mint({ alg: 'HS256', kid: 'MARKER-KID' }, claims)
  const keys = [{ kid: 'MARKER-KID', alg: 'HS256', secret: SECRET }]
  const v = (o = {}) => new Verifier({ keys, algorithms: ['HS256'], audience: 'MARKER-AUD', ...o })
  const attempts = [
    () => v().verify(good, at(NOW + 601)),
    () => v({ maxTokenAge: 1 }).verify(good, at(NOW)),
    () => v({ issuer: 'x' }).verify(good, at(NOW)),
    () => v({ audience: 'x' }).verify(good, at(NOW)),
    () => v({ subject: 'x' }).verify(good, at(NOW)),
    () => v({ requiredClaims: ['tenant'] }).verify(good, at(NOW)),
    () => v().verify(mint({ alg: 'HS256', kid: 'MARKER-KID' }, claims, SECRET + 'x'), at(NOW)),
    () => v().verify(mint({ alg: 'HS256', kid: 'MARKER-OTHER' }, claims), at(NOW)),
    () => v().verify(mint({ alg: 'HS256', kid: 'MARKER-KID' }, { ...claims, exp: 'MARKER-EXP' }), at(NOW)),
    () => v().verify(mint({ alg: 'MARKER-ALG' }, claims), at(NOW)),
    () => v().verify(mint({ alg: 'HS256', crit: ['MARKER-CRIT'], 'MARKER-CRIT': 1 }, claims), at(NOW)),
    () => v().verify(mint({ alg: 'HS256' }, '"MARKER-STRING-PAYLOAD"'), at(NOW)),
    () => v().verify(`${good}.MARKER`, at(NOW)),
    () => v().verify('MARKER!.MARKER!.MARKER!', at(NOW)),
    () => v({ maxTokenBytes: 50 }).verify(good, at(NOW)),
    () => new Verifier({ keys: [{ kid: 'MARKER-KID', alg: 'HS256', secret: 'MARKER-SHORT' }], algorithms: ['HS256'] }),
    () => new Signer({ key: { alg: 'HS256', secret: SECRET } }).sign({ exp: 'MARKER-EXP' }),
  ]
  const secrets = ['MARKER', SECRET, good, ...good.split('.'), 'marker@example.org']
  for (const [i, fn] of attempts.entries()) {
    let error
    assert.throws(fn, (e) => {
      error = e
      return true
    })
    for (const text of [error.message, String(error), error.stack ?? '']) {
      for (const s of secrets)
        assert.ok(
          !text.includes(s),
          `attempt ${i} (${error.name}): the message echoes input: ${JSON.stringify(error.message)}`,
        )
    }
  }
})

describe('invalid options throw TypeError with code ERR_INVALID_OPTIONS naming the option', () => {
  const key = { alg: 'HS256', secret: SECRET }
  const base = { keys: [key], algorithms: ['HS256'] }
  const token = mint({ alg: 'HS256' }, claims)

  /** Asserts an options TypeError whose message matches `names`. */
  function invalid(fn, names) {
    assert.throws(fn, (e) => {
      assert.ok(e instanceof TypeError, `expected a TypeError, got ${e?.name}: ${e?.message}`)
      assert.ok(e instanceof InvalidOptionsError)
      assert.ok(!(e instanceof JwtError))
      assert.equal(e.name, 'TypeError')
      assert.equal(e.code, 'ERR_INVALID_OPTIONS')
      assert.match(e.message, names)
      return true
    })
  }

  const cases = [
    ['a typo of an option (audiance)', { ...base, audiance: 'api' }, /audiance/],
    ['algorithms missing', { keys: [key] }, /algorithms/],
    ['algorithms empty', { ...base, algorithms: [] }, /algorithms/],
    ['algorithms not an array', { ...base, algorithms: 'HS256' }, /algorithms/],
    ['an unknown algorithm', { ...base, algorithms: ['HS256', 'RS256'] }, /algorithms/],
    ['alg none', { ...base, algorithms: ['none'] }, /algorithms/],
    ['keys missing', { algorithms: ['HS256'] }, /keys/],
    ['keys empty', { ...base, keys: [] }, /keys/],
    [
      'a key alg not in algorithms',
      { keys: [{ alg: 'HS384', secret: SECRET + SECRET }], algorithms: ['HS256'] },
      /keys\[0\]\.alg/,
    ],
    ['a key without alg', { ...base, keys: [{ secret: SECRET }] }, /keys\[0\]\.alg/],
    ['a key with an unknown field', { ...base, keys: [{ ...key, algorithm: 'HS256' }] }, /algorithm/],
    // biome-ignore lint/correctness/noPrecisionLoss: any number will do; it is refused as a secret
    ['a number secret', { ...base, keys: [{ alg: 'HS256', secret: 12345678901234567890123456789012 }] }, /secret/],
    ['an ArrayBuffer secret', { ...base, keys: [{ alg: 'HS256', secret: new ArrayBuffer(32) }] }, /secret/],
    ['an array secret', { ...base, keys: [{ alg: 'HS256', secret: Array(32).fill(1) }] }, /secret/],
    ['a missing secret', { ...base, keys: [{ alg: 'HS256' }] }, /secret/],
    ['an empty kid', { ...base, keys: [{ ...key, kid: '' }] }, /kid/],
    ['a negative clockTolerance', { ...base, clockTolerance: -1 }, /clockTolerance/],
    ['a string clockTolerance', { ...base, clockTolerance: '60' }, /clockTolerance/],
    ['an infinite maxTokenAge', { ...base, maxTokenAge: Infinity }, /maxTokenAge/],
    ['an empty issuer', { ...base, issuer: '' }, /issuer/],
    ['an audience of numbers', { ...base, audience: [1] }, /audience/],
    ['a subject list', { ...base, subject: ['a', 'b'] }, /subject/],
    ['requiredClaims not an array', { ...base, requiredClaims: 'exp' }, /requiredClaims/],
    ['maxTokenBytes 0', { ...base, maxTokenBytes: 0 }, /maxTokenBytes/],
  ]
  for (const [what, options, names] of cases) {
    test(`Verifier: ${what}`, () => invalid(() => new Verifier(options), names))
  }

  test('Verifier: options not an object', () => {
    invalid(() => new Verifier(), /options/)
    invalid(() => new Verifier(null), /options/)
    invalid(() => new Verifier([base]), /options/)
  })

  test('verify: a bad currentDate', () => {
    const v = new Verifier(base)
    invalid(() => v.verify(token, { currentDate: 'now' }), /currentDate/)
    invalid(() => v.verify(token, { currentDate: new Date(Number.NaN) }), /currentDate/)
    invalid(() => v.verify(token, { currentDate: NOW }), /currentDate/)
    invalid(() => v.verify(token, { currentDate: { getTime: () => NOW * 1000 } }), /currentDate/)
    v.free()
  })

  test('verify: a token that is not a string is JWSInvalid', () => {
    const v = new Verifier(base)
    for (const t of [undefined, null, 42, {}, [token], new String(token), Buffer.from(token)]) {
      throwsKind(() => v.verify(t, at(NOW)), JWSInvalid)
    }
    v.free()
  })

  test('Signer: invalid options', () => {
    invalid(() => new Signer({ key, tll: 60 }), /tll/)
    invalid(() => new Signer({ key: { ...key, alg: 'none' } }), /alg/)
    invalid(() => new Signer({ key: { alg: 'HS256', secret: 42 } }), /secret/)
    invalid(() => new Signer({ key, typ: '' }), /typ/)
    invalid(() => new Signer({ key, ttl: -5 }), /ttl/)
    invalid(() => new Signer({ key, jti: 'yes' }), /jti/)
    invalid(() => new Signer({}), /key/)
    invalid(() => new Signer({ key }).sign({}, { currentDate: new Date('nope'), ttl: 60 }), /currentDate/)
  })
})

describe('keys shorter than the hash output are ERR_KEY_INVALID (RFC 7518 §3.2)', () => {
  for (const [alg, min] of [
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ]) {
    test(`${alg}: ${min - 1} bytes refused, ${min} accepted`, () => {
      const opts = (secret) => ({ keys: [{ alg, secret }], algorithms: [alg] })
      throwsKind(() => new Verifier(opts(new Uint8Array(min - 1).fill(7))), KeyInvalid)
      throwsKind(() => new Verifier(opts('k'.repeat(min - 1))), KeyInvalid)
      throwsKind(() => new Signer({ key: { alg, secret: new Uint8Array(min - 1).fill(7) } }), KeyInvalid)
      // A multi-byte string counts in UTF-8 bytes: (min / 2) two-byte characters are exactly min.
      new Verifier(opts('é'.repeat(min / 2))).free()
      throwsKind(() => new Verifier(opts('é'.repeat(min / 2 - 1) + 'e')), KeyInvalid)
      new Verifier(opts(new Uint8Array(min).fill(7))).free()
      new Signer({ key: { alg, secret: new Uint8Array(min).fill(7) } }).free()
    })
  }

  test('empty secrets are refused', () => {
    throwsKind(() => new Verifier({ keys: [{ alg: 'HS256', secret: '' }], algorithms: ['HS256'] }), KeyInvalid)
    throwsKind(
      () => new Verifier({ keys: [{ alg: 'HS256', secret: new Uint8Array(0) }], algorithms: ['HS256'] }),
      KeyInvalid,
    )
    throwsKind(() => new Signer({ key: { alg: 'HS512', secret: '' } }), KeyInvalid)
  })

  test('two keys with the same alg and kid are ambiguous', () => {
    throwsKind(
      () =>
        new Verifier({
          keys: [
            { kid: 'a', alg: 'HS256', secret: SECRET },
            { kid: 'a', alg: 'HS256', secret: SECRET + '2' },
          ],
          algorithms: ['HS256'],
        }),
      KeyInvalid,
    )
  })
})
