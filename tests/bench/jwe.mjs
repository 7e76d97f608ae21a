// The encrypted-token case of `make bench` (issue 11): decrypt, then verify, a small nested token
// (dir + A256GCM around an HS256 JWS of the small claims; issuer, audience and expiry checked) with
// jwt-wasm's `Decrypter` against jose's `compactDecrypt` + `jwtVerify` (CryptoKeys imported once,
// allowlists set). The baseline is the guard's path, `decryptAsync` with `cipher: 'auto'` (the
// content by WebCrypto on workerd, in wasm in Node); `decrypt` (wasm) beside it; and the floor of
// any design that keeps the JWE's checks and the inner verify in the core: WebCrypto's AES-GCM
// alone over parts decoded beforehand, then our `Verifier.verify` of the inner token. In Node (jwe-node.mjs, a child process) and in workerd (jwe-worker.js, run by
// jwe-workerd.mjs and timed from outside like workerd.mjs). This file is the Worker's too, so it
// imports nothing of Node. Before anything is timed each case must read the valid token and
// refuse a forged tag, a wrong audience and an expired token. run.mjs puts the results beside the
// others as the `decrypt` set of each runtime; report.mjs renders them (`decryptRows`).
// Every timed case takes its tokens from one pool (`POOL` tokens that differ in `jti`, so each has
// its own ciphertext, tag and inner signature; the same headers, as tokens from one issuer have),
// each case turning through it with a counter of its own (`pooled`): nothing keyed on the whole
// token (a cache of a verdict, of a plaintext) can flatter one side.
import { AUD, ISS, SECRET, claims } from './fixtures.mjs'

/** Strict base64url to bytes, for the floor's parts (decoded before anything is timed). @param {string} s */
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

const CEK = new Uint8Array(32).fill(0x5a)
/** How many distinct tokens a timed case turns through. */
export const POOL = 600
const td = new TextDecoder()

/**
 * The cases and their soundness gate.
 * @param {{ jwe: any, jose: any, jwt: any }} lib jwt-wasm/jwe, jose and jwt-wasm
 * @param {number} now the pinned clock, seconds
 */
export async function jweCases(lib, now) {
  const key = { alg: 'dir', enc: 'A256GCM', secret: CEK }
  const encrypter = new lib.jwe.Encrypter({ key, enc: 'A256GCM', signer: { key: { alg: 'HS256', secret: SECRET } } })
  const seal = (c) => encrypter.encrypt(c)
  const { small } = claims(now)
  const token = seal(small)
  // The pool: the small claims with a jti of the same length each, so every token is as long.
  const tokens = Array.from({ length: POOL }, (_, i) => seal({ ...small, jti: i.toString(16).padStart(32, '0') }))
  const tag = token.lastIndexOf('.') + 5
  const bad = {
    'a forged tag': token.slice(0, tag) + (token[tag] === 'A' ? 'B' : 'A') + token.slice(tag + 1),
    'a wrong audience': seal({ ...small, aud: 'api://someone-else' }),
    'an expired token': seal({ ...small, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
  }
  const currentDate = new Date(now * 1000)
  const policy = { keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'], issuer: ISS, audience: AUD }
  const decrypter = new lib.jwe.Decrypter({
    keys: [key],
    algorithms: ['dir'],
    encryptions: ['A256GCM'],
    verifier: policy,
  })
  const verifier = new lib.jwt.Verifier(policy)
  const aes = await crypto.subtle.importKey('raw', CEK, 'AES-GCM', false, ['decrypt'])
  const hmac = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  )
  const outer = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }
  const inner = { algorithms: ['HS256'], issuer: ISS, audience: AUD, currentDate }
  const cases = [
    {
      id: 'jwt-wasm',
      label: "jwt-wasm `Decrypter.decryptAsync` (the guard's; WebCrypto AES on workerd, wasm in Node)",
      async: true,
      make: (t) => () => decrypter.decryptAsync(t, { currentDate }).then((d) => d.payload),
    },
    {
      id: 'jwt-wasm-sync',
      label: 'jwt-wasm `Decrypter.decrypt` (AES in wasm)',
      async: false,
      make: (t) => () => decrypter.decrypt(t, { currentDate }).payload,
    },
    {
      id: 'jose-key',
      label: 'jose `compactDecrypt` + `jwtVerify` (CryptoKeys)',
      async: true,
      make: (t) => async () => {
        const { plaintext, protectedHeader } = await lib.jose.compactDecrypt(t, aes, outer)
        if (protectedHeader.cty !== 'JWT') throw new Error('not nested')
        return (await lib.jose.jwtVerify(td.decode(plaintext), hmac, inner)).payload
      },
    },
    {
      id: 'floor',
      label: 'floor: WebCrypto AES-GCM alone (parts decoded before), then our `Verifier.verify` of the inner JWS',
      async: true,
      make: (t) => {
        const [h, , iv, ct, tg] = t.split('.')
        const [c, g] = [unb64(ct), unb64(tg)]
        const sealed = new Uint8Array(c.length + g.length)
        sealed.set(c)
        sealed.set(g, c.length)
        const alg = { name: 'AES-GCM', iv: unb64(iv), additionalData: new TextEncoder().encode(h) }
        return async () =>
          verifier.verify(td.decode(await crypto.subtle.decrypt(alg, aes, sealed)), { currentDate }).payload
      },
    },
  ]
  const failures = []
  for (const c of cases) {
    try {
      if ((await c.make(token)())?.sub !== small.sub) failures.push(`${c.id}: the nested token gave no sub`)
    } catch (e) {
      failures.push(`${c.id}: refused the nested token (${e?.message ?? e})`)
    }
    for (const [what, t] of Object.entries(bad)) {
      let accepted = false
      try {
        await c.make(t)()
        accepted = true
      } catch {}
      if (accepted) failures.push(`${c.id}: accepted ${what}`)
    }
    // Every token of the pool, with its own jti: a case that read only the first would be timed on errors.
    const fn = pooled(c, tokens)
    for (let i = 0; i < tokens.length; i++) {
      const jti = await Promise.resolve()
        .then(fn)
        .then(
          (p) => p?.jti,
          (e) => `refused (${e?.message ?? e})`,
        )
      if (jti !== i.toString(16).padStart(32, '0')) {
        failures.push(`${c.id}: pool token ${i} gave ${jti}`)
        break
      }
    }
  }
  return { cases, token, tokens, failures }
}

/**
 * One timed case over the pool: the case made for each token once, then called in turn, with a
 * counter of this case's own (a counter shared between cases would let one meet again a token
 * another just used, and remember it).
 * @param {{ make: (t: string) => () => any }} c
 * @param {string[]} tokens
 */
export function pooled(c, tokens) {
  const fns = tokens.map((t) => c.make(t))
  let turn = 0
  return () => {
    const f = fns[turn]
    turn = turn + 1 === fns.length ? 0 : turn + 1
    return f()
  }
}

/**
 * The summary rows of the jwe case (report.mjs): each runtime's time of the guard's path, jose's
 * ratio, and where the goal is not met the limit: the time it asks for and the floor's.
 * @param {any} r one run's results
 * @param {(text: string, ok: boolean, got: string) => string} goal
 * @param {(e: any) => string} us
 */
export function decryptRows(r, goal, us) {
  if (!r.node.decrypt || !r.workerd.decrypt) return []
  return ['node', 'workerd'].map((rt) => {
    const [ours, sync, jose, floor] = ['jwt-wasm', 'jwt-wasm-sync', 'jose-key', 'floor'].map((id) =>
      r[rt].decrypt.find((e) => e.id === id),
    )
    const x = jose.ratio.med
    const f = (n) => n.toFixed(1)
    const limit =
      x >= 2
        ? ''
        : `; the goal asks for ≤ ${f(jose.us.med / 2)} µs (jose ${f(jose.us.med)} ÷ 2), and the floor (WebCrypto's AES-GCM alone, then our verify of the inner JWS) takes ${f(floor.us.med)} µs, ${(jose.us.med / floor.us.med).toFixed(2)}× jose at best`
    return [
      `${rt === 'node' ? 'Node' : 'workerd'}, decrypt + verify, nested JWE (${r[rt].decryptBytes} B)`,
      `${us(ours)} (\`decryptAsync\`); \`decrypt\` (wasm) ${us(sync)}`,
      `jose ${x.toFixed(2)}×`,
      goal('≥ 2× jose', x >= 2, `${x.toFixed(2)}×`) + limit,
    ]
  })
}
