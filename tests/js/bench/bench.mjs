// Benchmark (run by `bash tests/js/run.sh --bench`, i.e. `make bench`): jwt-wasm against jose
// and jsonwebtoken in one Node process, HS256.
//
//   verify   Verifier.verify vs jose jwtVerify (awaited in the loop) vs jsonwebtoken verify,
//            for a small (~300 B) and a large (~5 KB) token
//   inspect  inspect vs jose decodeJwt (neither verifies)
//   sign     Signer.sign vs jose SignJWT vs jsonwebtoken sign
//
// Each library gets its best case: keys imported once (a CryptoKey for jose, a KeyObject for
// jsonwebtoken, a Verifier built once). After a warm-up, ROUNDS rounds run each library for
// about SLICE_MS, in a rotating order; the median of the rounds is reported. Absolute times on a
// shared machine are noise; the ratios (time of the other library / time of jwt-wasm, so > 1
// means jwt-wasm is faster) are what to compare.
import { createSecretKey } from 'node:crypto'
import os from 'node:os'
import * as jose from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import { Verifier, Signer, inspect } from 'jwt-wasm'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7)
const SLICE_MS = Number(process.env.BENCH_SLICE_MS ?? 150)
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 300)

const NOW = 1_767_225_600
const currentDate = new Date(NOW * 1000)
const secret = new TextEncoder().encode('bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz')
const cryptoKey = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
  'sign',
  'verify',
])
const keyObject = createSecretKey(secret)

const small = {
  iss: 'https://auth.example.com',
  sub: 'user-8f14e45fceea167a',
  aud: 'api://orders',
  scope: 'orders:read orders:write',
  sid: '5d41402abc4b2a76b9719d911017c592',
}
const large = {
  ...small,
  roles: Array.from({ length: 60 }, (_, i) => `role-${i}-${'r'.repeat(12)}`),
  permissions: Array.from({ length: 60 }, (_, i) => `resource-${i}:read,write,delete`),
  profile: { locale: 'de-CH', tz: 'Europe/Zurich', theme: 'dark', note: 'Grüße 🔑'.repeat(20) },
}

const signer = new Signer({ key: { alg: 'HS256', secret }, ttl: 900 })
const tokens = {
  small: signer.sign(small, { currentDate }),
  large: signer.sign(large, { currentDate }),
}
const verifier = new Verifier({
  keys: [{ alg: 'HS256', secret }],
  algorithms: ['HS256'],
  issuer: small.iss,
  audience: small.aud,
})

// Every library must accept the tokens and agree on the payload before anything is timed.
for (const [size, token] of Object.entries(tokens)) {
  const ours = verifier.verify(token, { currentDate }).payload
  const viaJose = (
    await jose.jwtVerify(token, cryptoKey, {
      algorithms: ['HS256'],
      currentDate,
      issuer: small.iss,
      audience: small.aud,
    })
  ).payload
  const viaJwt = jsonwebtoken.verify(token, keyObject, {
    algorithms: ['HS256'],
    clockTimestamp: NOW,
    issuer: small.iss,
    audience: small.aud,
  })
  const same = JSON.stringify(ours) === JSON.stringify(viaJose) && JSON.stringify(ours) === JSON.stringify(viaJwt)
  if (!same) throw new Error(`the libraries disagree on the ${size} token`)
  if (JSON.stringify(inspect(token, { currentDate }).payload) !== JSON.stringify(jose.decodeJwt(token)))
    throw new Error('inspect and decodeJwt disagree')
}

/** Runs `fn` (sync or async) `n` times; returns the elapsed nanoseconds. */
async function batch(fn, isAsync, n) {
  const t0 = process.hrtime.bigint()
  if (isAsync) for (let i = 0; i < n; i++) await fn()
  else for (let i = 0; i < n; i++) fn()
  return Number(process.hrtime.bigint() - t0)
}

/** The batch size that takes about `ms`. */
async function calibrate(fn, isAsync, ms) {
  let n = 16
  for (;;) {
    const ns = await batch(fn, isAsync, n)
    if (ns > 10e6) return Math.max(1, Math.round((n * ms * 1e6) / ns))
    n *= 4
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Times the libraries of one scenario; the first is jwt-wasm. Returns µs/op per library.
 * @param {string} title
 * @param {[string, () => unknown, boolean][]} libs name, function, async
 */
async function scenario(title, libs) {
  for (const [, fn, isAsync] of libs) await batch(fn, isAsync, await calibrate(fn, isAsync, WARMUP_MS))
  const sizes = []
  for (const [, fn, isAsync] of libs) sizes.push(await calibrate(fn, isAsync, SLICE_MS))
  const samples = libs.map(() => [])
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < libs.length; k++) {
      const j = (k + r) % libs.length
      const [, fn, isAsync] = libs[j]
      samples[j].push((await batch(fn, isAsync, sizes[j])) / sizes[j] / 1000)
    }
  }
  const us = samples.map(median)
  console.log(`\n${title}`)
  console.log(`  ${'library'.padEnd(28)}${'ops/s'.padStart(12)}${'µs/op'.padStart(10)}   ratio (time / jwt-wasm)`)
  libs.forEach(([name], j) => {
    const ratio = us[j] / us[0]
    const note =
      j === 0
        ? '1.00 (baseline)'
        : `${ratio.toFixed(2)} (${ratio >= 1 ? `jwt-wasm ${ratio.toFixed(1)}× faster` : `jwt-wasm ${(1 / ratio).toFixed(1)}× slower`})`
    console.log(
      `  ${name.padEnd(28)}${Math.round(1e6 / us[j])
        .toLocaleString('en-US')
        .padStart(12)}${us[j].toFixed(2).padStart(10)}   ${note}`,
    )
  })
  return Object.fromEntries(
    libs.map(([name], j) => [name, { us: Number(us[j].toFixed(3)), ratio: Number((us[j] / us[0]).toFixed(2)) }]),
  )
}

const started = Date.now()
console.log(
  `jwt-wasm benchmark: HS256, Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, load ${os.loadavg()[0].toFixed(2)}`,
)
console.log(
  `tokens: small ${tokens.small.length} B, large ${tokens.large.length} B; ${ROUNDS} rounds of ~${SLICE_MS} ms per library, median`,
)

const verifyOpts = { currentDate }
const joseOpts = { algorithms: ['HS256'], currentDate, issuer: small.iss, audience: small.aud }
const jwtOpts = { algorithms: ['HS256'], clockTimestamp: NOW, issuer: small.iss, audience: small.aud }
const results = {}

for (const size of ['small', 'large']) {
  const token = tokens[size]
  results[`verify_${size}`] = await scenario(`verify, ${size} token (${token.length} B)`, [
    ['jwt-wasm Verifier.verify', () => verifier.verify(token, verifyOpts), false],
    ['jose jwtVerify (CryptoKey)', () => jose.jwtVerify(token, cryptoKey, joseOpts), true],
    ['jose jwtVerify (Uint8Array)', () => jose.jwtVerify(token, secret, joseOpts), true],
    ['jsonwebtoken verify', () => jsonwebtoken.verify(token, keyObject, jwtOpts), false],
  ])
}

for (const size of ['small', 'large']) {
  const token = tokens[size]
  results[`inspect_${size}`] = await scenario(`inspect (no verification), ${size} token (${token.length} B)`, [
    ['jwt-wasm inspect', () => inspect(token, verifyOpts), false],
    ['jose decodeJwt', () => jose.decodeJwt(token), false],
  ])
}

const iat = NOW
const exp = NOW + 900
results.sign_small = await scenario('sign, small claims (iat, exp from a 900 s ttl)', [
  ['jwt-wasm Signer.sign', () => signer.sign(small, verifyOpts), false],
  [
    'jose SignJWT (CryptoKey)',
    () =>
      new jose.SignJWT(small)
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(cryptoKey),
    true,
  ],
  ['jsonwebtoken sign', () => jsonwebtoken.sign({ ...small, iat, exp }, keyObject, { algorithm: 'HS256' }), false],
])

const ratio = (key, lib) => results[key][lib].ratio
console.log('\nSummary: time of the other library / time of jwt-wasm (> 1: jwt-wasm is faster)')
for (const size of ['small', 'large']) {
  console.log(
    `  verify ${size}:  jose/jwt-wasm ${ratio(`verify_${size}`, 'jose jwtVerify (CryptoKey)')}  (Uint8Array key ${ratio(`verify_${size}`, 'jose jwtVerify (Uint8Array)')}),  jsonwebtoken/jwt-wasm ${ratio(`verify_${size}`, 'jsonwebtoken verify')}`,
  )
}
for (const size of ['small', 'large'])
  console.log(`  inspect ${size}: jose decodeJwt/jwt-wasm inspect ${ratio(`inspect_${size}`, 'jose decodeJwt')}`)
console.log(
  `  sign small:    jose/jwt-wasm ${ratio('sign_small', 'jose SignJWT (CryptoKey)')},  jsonwebtoken/jwt-wasm ${ratio('sign_small', 'jsonwebtoken sign')}`,
)
console.log(
  `\nBENCH_JSON ${JSON.stringify({ node: process.version, tokens: { small: tokens.small.length, large: tokens.large.length }, results })}`,
)
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)
verifier.free()
signer.free()
