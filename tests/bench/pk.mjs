// The public-key case of `make bench` (issue 13): verify a small token (the small claims; issuer,
// audience and expiry checked) signed with ES256, RS256 and EdDSA, with jwt-wasm's
// `PublicKeyVerifier` (a fixed JWKS, and a `remoteKeySet` whose fetch is counted: a cached key set
// costs no fetch on the hot path) against jose's `jwtVerify` with `createLocalJWKSet` and with a
// `CryptoKey` imported once, every side on tokens it sees for the first time (600 in turn: more
// than a verifier remembers), and jwt-wasm also on one token again (its remembered signature);
// and the floor of any design that leaves the signature to the runtime: WebCrypto's verify alone
// with a cached CryptoKey over the signing input and signature decoded before anything is timed
// (it judges no claims: its gate is the valid token and the forged signature only). In Node (pk-node.mjs, a child process) and in workerd (pk-worker.js,
// run by pk-workerd.mjs and timed from outside like workerd.mjs). This file is the Worker's too, so
// it imports nothing of Node. Before anything is timed each case must read the valid token and
// refuse a forged signature, a wrong audience and an expired token; after, the remote key set
// must have fetched once. run.mjs puts the results beside the others as the `pk` set of each
// runtime; report.mjs renders them (`pkRows`).
import { dalekCase } from './ed25519.mjs'
import { AUD, ISS, claims } from './fixtures.mjs'

export const PK_ALGS = ['ES256', 'RS256', 'EdDSA']
const GEN = {
  ES256: [
    { name: 'ECDSA', namedCurve: 'P-256' },
    { name: 'ECDSA', hash: 'SHA-256' },
  ],
  RS256: [
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    { name: 'RSASSA-PKCS1-v1_5' },
  ],
  EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
}
const b64 = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
const part = (o) => b64(new TextEncoder().encode(JSON.stringify(o)))
/** Strict base64url to bytes, for the floor's parts (decoded before anything is timed). @param {string} s */
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))

/** How many distinct tokens the fresh cases take in turn: more than a Ring remembers (512). */
export const FRESH = 600

/**
 * The next item of `items` at each call, in turn, by a cursor of this call's own: a case's turn
 * never moves with another's, so a case that verifies every FRESH-th token sees each token again
 * only after FRESH verifies of its own (more than it remembers). With one cursor shared by all
 * cases, another case's batch moved it back into the window the verifier still remembered.
 * @template T
 * @param {T[]} items
 */
export function cursor(items) {
  let turn = 0
  return () => /** @type {T} */ (items[turn++ % items.length])
}

/** The function a case is timed with: its own (`timed`), else its gate's over `token`. @param {any} c @param {string} token */
export const timedFn = (c, token) => (c.timed ? c.timed() : c.make(token))

/**
 * The cases of one algorithm and their soundness gate.
 * @param {{ keys: any, jose: any, ed25519?: WebAssembly.Module, nodeFloor?: Function }} lib
 *   jwt-wasm/keys, jose, ed25519-wasm's artifact for EdDSA's synchronous alternative
 *   (ed25519.mjs), and in Node the node:crypto floor's maker (pk-node-floor.mjs)
 * @param {string} alg
 * @param {number} now the pinned clock, seconds
 */
export async function pkCases(lib, alg, now) {
  const [gen, params] = GEN[alg]
  const pair = await crypto.subtle.generateKey(gen, true, ['sign', 'verify'])
  const { key_ops, ext, ...exported } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  void key_ops, void ext
  const jwk = { ...exported, kid: `bench-${alg}`, alg, use: 'sig' }
  const jwks = { keys: [jwk] }
  const sign = async (c) => {
    const input = `${part({ alg, kid: jwk.kid, typ: 'JWT' })}.${part(c)}`
    return `${input}.${b64(await crypto.subtle.sign(params, pair.privateKey, new TextEncoder().encode(input)))}`
  }
  const { small } = claims(now)
  const token = await sign(small)
  // Tokens seen for the first time: more distinct tokens than a verifier remembers (512), each
  // timed function taking them in turn by a cursor of its own (`cursor`), so each is verified
  // afresh every time (jose verifies every token afresh).
  const pool = await Promise.all(Array.from({ length: FRESH }, (_, i) => sign({ ...small, jti: `${small.jti}-${i}` })))
  const sig = token.lastIndexOf('.') + 10
  const bad = {
    'a forged signature': token.slice(0, sig) + (token[sig] === 'A' ? 'B' : 'A') + token.slice(sig + 1),
    'a wrong audience': await sign({ ...small, aud: 'api://someone-else' }),
    'an expired token': await sign({ ...small, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
  }
  const at = { now: new Date(now * 1000) }
  const policy = { algorithms: [alg], issuer: ISS, audience: AUD }
  const fixed = new lib.keys.PublicKeyVerifier({ keys: jwks, ...policy })
  const fetches = { n: 0 }
  const body = JSON.stringify(jwks)
  const remote = new lib.keys.PublicKeyVerifier({
    keys: lib.keys.remoteKeySet('https://idp.example/.well-known/jwks.json', {
      cache: false,
      fetch: async () => {
        fetches.n++
        return new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'max-age=86400' } })
      },
      maxTtl: 86400,
    }),
    ...policy,
  })
  const local = lib.jose.createLocalJWKSet(jwks)
  const cryptoKey = await lib.jose.importJWK(jwk, alg)
  const joseOptions = { ...policy, currentDate: at.now }
  // The floor's key is made as ours is (signature.js) and jose's are: imported from the JWK,
  // non-extractable (not the generated pair's own public key).
  const { name, namedCurve, hash } = gen
  const verifyKey = await crypto.subtle.importKey('jwk', jwk, { name, namedCurve, hash }, false, ['verify'])
  /** The floor over `t`: its signing input and signature decoded now, then WebCrypto's verify alone. @param {string} t */
  const floor = (t) => {
    const dot = t.lastIndexOf('.')
    const [data, signature] = [new TextEncoder().encode(t.slice(0, dot)), unb64(t.slice(dot + 1))]
    return async () => {
      if (!(await crypto.subtle.verify(params, verifyKey, signature, data))) throw new Error('refused')
      return small
    }
  }
  const floors = pool.map(floor)
  /** A timed function over the pool, with its own cursor. @param {(t: string) => Promise<any>} f */
  const fresh = (f) => () => {
    const next = cursor(pool)
    return () => f(next())
  }
  const cases = [
    {
      id: 'jwt-wasm',
      label: 'jwt-wasm `PublicKeyVerifier.verifyAsync` (a JWKS), each token seen for the first time',
      make: (t) => async () => (await fixed.verifyAsync(t, at)).payload,
      timed: fresh(async (t) => (await fixed.verifyAsync(t, at)).payload),
    },
    {
      id: 'jwt-wasm-seen',
      label: 'jwt-wasm, the same token again (its signature remembered; claims and time judged)',
      make: (t) => async () => (await fixed.verifyAsync(t, at)).payload,
    },
    {
      id: 'jwt-wasm-remote',
      label: 'jwt-wasm (a cached `remoteKeySet`), each token seen for the first time',
      make: (t) => async () => (await remote.verifyAsync(t, at)).payload,
      timed: fresh(async (t) => (await remote.verifyAsync(t, at)).payload),
    },
    {
      id: 'jose-jwks',
      label: 'jose `jwtVerify` + `createLocalJWKSet`',
      make: (t) => async () => (await lib.jose.jwtVerify(t, local, joseOptions)).payload,
      timed: fresh(async (t) => (await lib.jose.jwtVerify(t, local, joseOptions)).payload),
    },
    {
      id: 'jose-key',
      label: 'jose `jwtVerify` (a CryptoKey imported once)',
      make: (t) => async () => (await lib.jose.jwtVerify(t, cryptoKey, joseOptions)).payload,
      timed: fresh(async (t) => (await lib.jose.jwtVerify(t, cryptoKey, joseOptions)).payload),
    },
    {
      id: 'floor',
      label: 'floor: WebCrypto verify alone (a cached CryptoKey, the bytes decoded beforehand; no claims)',
      floor: true,
      make: floor,
      timed: () => {
        const next = cursor(floors)
        return () => next()()
      },
    },
  ]
  // EdDSA's synchronous alternative in wasm, measured beside WebCrypto (ed25519.mjs).
  if (alg === 'EdDSA' && lib.ed25519) cases.push(dalekCase(lib.ed25519, jwk, pool, cursor, small))
  // In Node, the floor of what our Node entry verifies with (pk-node-floor.mjs).
  if (lib.nodeFloor) cases.push(lib.nodeFloor(alg, jwk, pool, cursor, small))
  const failures = []
  for (const c of cases) {
    try {
      if ((await c.make(token)())?.sub !== small.sub) failures.push(`${alg} ${c.id}: the token gave no sub`)
    } catch (e) {
      failures.push(`${alg} ${c.id}: refused the token (${e?.message ?? e})`)
    }
    for (const [what, t] of Object.entries(bad)) {
      if (c.floor && what !== 'a forged signature') continue
      let accepted = false
      try {
        await c.make(t)()
        accepted = true
      } catch {}
      if (accepted) failures.push(`${alg} ${c.id}: accepted ${what}`)
    }
  }
  return { cases, token, failures, fetches }
}

/**
 * The summary rows of the public-key case (report.mjs): per runtime and algorithm, jwt-wasm's
 * time, jose's ratios and the goal (≥ 1.2× jose, both of jose's forms), and the fetch count.
 * @param {any} r one run's results
 * @param {(text: string, ok: boolean, got: string) => string} goal
 * @param {(e: any) => string} us
 */
export function pkRows(r, goal, us) {
  if (!r.node.pk || !r.workerd.pk) return []
  const rows = []
  for (const rt of ['node', 'workerd'])
    for (const alg of PK_ALGS) {
      const set = r[rt].pk[alg]
      const [ours, seen, jwks, key, floor, dalek, native] = [
        'jwt-wasm',
        'jwt-wasm-seen',
        'jose-jwks',
        'jose-key',
        'floor',
        'wasm-ed25519',
        'floor-node',
      ].map((id) => set.timed.find((e) => e.id === id))
      const x = Math.min(jwks.ratio.med, key.ratio.med)
      const again = Math.min(jwks.ratio.med, key.ratio.med) / seen.ratio.med
      // What is left above the floor (WebCrypto's verify alone), ours and jose's (the faster form).
      const f = (n) => n.toFixed(1)
      /** A difference with its sign (below the floor is the noise of one run). @param {number} d */
      const above = (d) => `${d < 0 ? '−' : '+'}${f(Math.abs(d))}`
      const jose = Math.min(jwks.us.med, key.us.med)
      const limit =
        x >= 1.2
          ? ''
          : `; the goal asks for ≤ ${f(jose / 1.2)} µs (jose ${f(jose)} ÷ 1.2), and the floor takes ${f(floor.us.med)} µs, ${(jose / floor.us.med).toFixed(2)}× jose at best`
      rows.push([
        `${rt === 'node' ? 'Node' : 'workerd'}, verify ${alg} (${set.bytes} B), ${set.fetches} fetch${set.fetches === 1 ? '' : 'es'} for the cached key set`,
        `${us(ours)}; the same token again ${us(seen)}; floor (WebCrypto verify alone) ${us(floor)}: ours ${above(ours.us.med - floor.us.med)} µs above it, jose ${above(jose - floor.us.med)}${native ? `; node:crypto's verify alone (ours in Node) ${us(native)}: ours ${above(ours.us.med - native.us.med)} µs above it, jose ${above(jose - native.us.med)}, so ${(jose / native.us.med).toFixed(2)}× jose at best` : ''}${dalek ? `; ed25519-dalek's verify alone in wasm (synchronous) ${us(dalek)}, ${(dalek.us.med / floor.us.med).toFixed(2)}× WebCrypto's` : ''}`,
        `jose (JWKS) ${jwks.ratio.med.toFixed(2)}×, jose (CryptoKey) ${key.ratio.med.toFixed(2)}×; again ${again.toFixed(1)}×`,
        goal('≥ 1.2× jose', x >= 1.2 && set.fetches === 1, `${x.toFixed(2)}×`) + limit,
      ])
    }
  return rows
}
