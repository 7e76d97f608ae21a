// The libraries under test, as cases the timing loop can run, for Node and for the Worker alike:
// the caller passes the modules it has (`lib`), so the Worker bundle never sees a Node-only one.
// Each verify case checks issuer and audience (in the library where it can, else right after it,
// inside the timed function) and exp, with the run's pinned clock where the library takes one
// (hono and tsndr read Date.now(); the tokens are valid at both). Each library gets its best
// case: keys imported once (CryptoKey, KeyObject, a Verifier or fast-jwt verifier built once).
//
// `gate` runs before anything is timed: every verify case must accept the valid token and refuse
// a forged signature, a wrong audience, a wrong issuer and an expired token (the floors only MAC,
// so only the forgery applies to them); every sign case's token must verify. A library that lets
// a bad token through fails the run, so the ratios compare real verification.
import { AUD, ISS, SECRET, claims } from './fixtures.mjs'

const enc = new TextEncoder()
const BAD = {
  signature: 'a forged signature',
  audience: 'a wrong audience',
  issuer: 'a wrong issuer',
  expired: 'an expired token',
}

/** Throws unless `p` (a payload) carries the run's issuer and audience. */
function policy(p) {
  if (p?.iss !== ISS) throw new Error('issuer mismatch')
  if (!(Array.isArray(p.aud) ? p.aud : [p.aud]).includes(AUD)) throw new Error('audience mismatch')
  return p
}

/** The signing input and signature bytes of a token, split once (what the floors start from). */
function split(token) {
  const dot = token.lastIndexOf('.')
  const sig = atob(
    token
      .slice(dot + 1)
      .replace(/-/g, '+')
      .replace(/_/g, '/'),
  )
  return { input: enc.encode(token.slice(0, dot)), sig: Uint8Array.from(sig, (ch) => ch.charCodeAt(0)) }
}

/**
 * @param {object} lib { jwtWasm, jose, honoJwt, tsndr, fastJwt?, jsonwebtoken?, nodeCrypto? }
 * @param {number} now the pinned clock, seconds
 */
export async function cases(lib, now) {
  const secretBytes = enc.encode(SECRET)
  const cryptoKey = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ])
  const currentDate = new Date(now * 1000)
  const { Verifier, Signer } = lib.jwtWasm
  const verifier = new Verifier({
    keys: [{ alg: 'HS256', secret: SECRET }],
    algorithms: ['HS256'],
    issuer: ISS,
    audience: AUD,
  })
  const signer = new Signer({ key: { alg: 'HS256', secret: SECRET } })
  const joseOpts = { algorithms: ['HS256'], issuer: ISS, audience: AUD, currentDate }
  const at = { currentDate }
  const honoOpts = { alg: 'HS256', iss: ISS, aud: AUD }
  const tsndrOpts = { algorithm: 'HS256', throwError: true }

  // [id, label, async, floor, (token) => () => payload]
  const verify = [
    ['jwt-wasm', 'jwt-wasm `Verifier.verify`', false, false, (t) => () => verifier.verify(t, at).payload],
    [
      'jose-key',
      'jose `jwtVerify` (CryptoKey)',
      true,
      false,
      (t) => async () => (await lib.jose.jwtVerify(t, cryptoKey, joseOpts)).payload,
    ],
    [
      'jose-raw',
      'jose `jwtVerify` (raw secret)',
      true,
      false,
      (t) => async () => (await lib.jose.jwtVerify(t, secretBytes, joseOpts)).payload,
    ],
    [
      'hono',
      'hono `utils/jwt` `verify` (CryptoKey)',
      true,
      false,
      (t) => () => lib.honoJwt.verify(t, cryptoKey, honoOpts),
    ],
    [
      'tsndr',
      '@tsndr/cloudflare-worker-jwt (CryptoKey; iss/aud after)',
      true,
      false,
      (t) => async () => policy((await lib.tsndr.verify(t, cryptoKey, tsndrOpts))?.payload),
    ],
  ]
  if (lib.fastJwt) {
    const fast = lib.fastJwt.createVerifier({
      key: SECRET,
      algorithms: ['HS256'],
      allowedIss: ISS,
      allowedAud: AUD,
      clockTimestamp: now * 1000,
      cache: false,
    })
    verify.push(['fast-jwt', 'fast-jwt `createVerifier` (cache off)', false, false, (t) => () => fast(t)])
  }
  if (lib.jsonwebtoken) {
    const keyObject = lib.nodeCrypto.createSecretKey(secretBytes)
    const opts = { algorithms: ['HS256'], issuer: ISS, audience: AUD, clockTimestamp: now }
    verify.push([
      'jsonwebtoken',
      'jsonwebtoken `verify` (KeyObject)',
      false,
      false,
      (t) => () => lib.jsonwebtoken.verify(t, keyObject, opts),
    ])
  }
  if (lib.nodeCrypto) {
    const { createHmac, createSecretKey, timingSafeEqual } = lib.nodeCrypto
    const keyObject = createSecretKey(secretBytes)
    verify.push([
      'floor-node',
      'floor: node:crypto HMAC + compare',
      false,
      true,
      (t) => {
        const { input, sig } = split(t)
        return () => {
          if (!timingSafeEqual(createHmac('sha256', keyObject).update(input).digest(), sig)) throw new Error('bad MAC')
          return true
        }
      },
    ])
  }
  verify.push([
    'floor-webcrypto',
    'floor: WebCrypto `verify` alone',
    true,
    true,
    (t) => {
      const { input, sig } = split(t)
      return async () => {
        if (!(await crypto.subtle.verify('HMAC', cryptoKey, sig, input))) throw new Error('bad MAC')
        return true
      }
    },
  ])

  const c = claims(now).small
  const sign = [
    ['jwt-wasm', 'jwt-wasm `Signer.sign`', false, false, () => signer.sign(c)],
    [
      'jose-key',
      'jose `SignJWT` (CryptoKey)',
      true,
      false,
      () => new lib.jose.SignJWT(c).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(cryptoKey),
    ],
    ['hono', 'hono `utils/jwt` `sign` (CryptoKey)', true, false, () => lib.honoJwt.sign(c, cryptoKey, 'HS256')],
    [
      'tsndr',
      '@tsndr/cloudflare-worker-jwt `sign` (CryptoKey)',
      true,
      false,
      () => lib.tsndr.sign({ ...c }, cryptoKey, { algorithm: 'HS256' }),
    ],
  ]
  if (lib.fastJwt) {
    const fast = lib.fastJwt.createSigner({ key: SECRET, algorithm: 'HS256', clockTimestamp: now * 1000 })
    sign.push(['fast-jwt', 'fast-jwt `createSigner`', false, false, () => fast(c)])
  }
  if (lib.jsonwebtoken) {
    const keyObject = lib.nodeCrypto.createSecretKey(secretBytes)
    sign.push([
      'jsonwebtoken',
      'jsonwebtoken `sign` (KeyObject)',
      false,
      false,
      () => lib.jsonwebtoken.sign(c, keyObject, { algorithm: 'HS256' }),
    ])
  }
  // Reading claims without verifying (what an SPA does), on the small token.
  const decode = [
    ['jwt-wasm', 'jwt-wasm `inspect` (no verification)', false, false, (t) => () => lib.jwtWasm.inspect(t, at).payload],
    ['jose-decode', 'jose `decodeJwt`', false, false, (t) => () => lib.jose.decodeJwt(t)],
    ['hono', 'hono `utils/jwt` `decode`', false, false, (t) => () => lib.honoJwt.decode(t).payload],
    ['tsndr', '@tsndr/cloudflare-worker-jwt `decode`', false, false, (t) => () => lib.tsndr.decode(t).payload],
  ]

  // A verify case's `make(token)` gives the timed function (floors split the token there, once);
  // a sign case's `fn` is the timed function itself.
  const shape =
    (kind) =>
    ([id, label, isAsync, floor, f]) => ({ id, label, async: isAsync, floor, [kind]: f })
  return {
    verify: verify.map(shape('make')),
    decode: decode.map(shape('make')),
    sign: sign.map(shape('fn')),
    check: (t) => verifier.verify(t, at).payload,
  }
}

/**
 * The soundness gate (see the top). Returns the list of failures, empty when every case is sound.
 * @param {Awaited<ReturnType<typeof cases>>} all
 * @param {ReturnType<typeof import('./fixtures.mjs').tokens>} tokens
 */
export async function gate(all, tokens) {
  const failures = []
  const sub = claims(0).small.sub
  for (const c of all.verify) {
    for (const size of ['small', 'large']) {
      try {
        const got = await c.make(tokens[size])()
        if (!c.floor && got?.sub !== sub) failures.push(`${c.id}: the valid ${size} token gave no payload with its sub`)
      } catch (e) {
        failures.push(`${c.id}: refused the valid ${size} token (${e?.message ?? e})`)
      }
    }
    for (const [what, bad] of Object.entries(tokens.bad)) {
      if (c.floor && what !== 'signature') continue
      let accepted = false
      try {
        await c.make(bad)()
        accepted = true
      } catch {}
      if (accepted) failures.push(`${c.id}: accepted ${BAD[what]}`)
    }
  }
  for (const c of all.decode ?? []) {
    if (c.make(tokens.small)()?.sub !== sub) failures.push(`${c.id}: did not read the claims`)
  }
  for (const c of all.sign) {
    try {
      const token = await c.fn()
      if (all.check(token)?.sub !== sub) failures.push(`${c.id}: its token does not carry the claims`)
    } catch (e) {
      failures.push(`${c.id}: its token does not verify (${e?.message ?? e})`)
    }
  }
  return failures
}
