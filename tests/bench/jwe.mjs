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
import { AUD, ISS, SECRET, claims } from './fixtures.mjs'

/** Strict base64url to bytes, for the floor's parts (decoded before anything is timed). @param {string} s */
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

const CEK = new Uint8Array(32).fill(0x5a)
const td = new TextDecoder()

/**
 * The cases and their soundness gate.
 * @param {{ jwe: any, jose: any, jwt: any }} lib jwt-wasm/jwe, jose and jwt-wasm
 * @param {number} now the pinned clock, seconds
 */
export async function jweCases(lib, now) {
  const key = { alg: 'dir', enc: 'A256GCM', secret: CEK }
  const seal = (c) =>
    new lib.jwe.Encrypter({ key, enc: 'A256GCM', signer: { key: { alg: 'HS256', secret: SECRET } } }).encrypt(c)
  const { small } = claims(now)
  const token = seal(small)
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
  }
  return { cases, token, failures }
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
