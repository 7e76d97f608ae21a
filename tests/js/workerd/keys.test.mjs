// jwt-wasm/keys on real workerd (issue 13): the Worker bundles the keys entry's workerd build,
// whose signatures are WebCrypto's (workerd's node:crypto refuses a KeyObject in crypto.verify:
// tests/bench/keys-paths.mjs). Every case of Wycheproof's json_web_signature_test.json gets there
// the very code it gets in Node (tests/js/keys/wycheproof-jws.test.mjs judges those), the five
// primitive files run through the core + WebCrypto path with their `result`, and the guard
// verifies tokens signed here by WebCrypto against a localKeySet and a remoteKeySet (fetches
// counted: none on the hot path), answering 401 and 503 as in Node.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PublicKeyVerifier, JwtError } from 'jwt-wasm/keys'
import { startWorker } from './harness.mjs'
import { NOW, claims, keyPair, sign } from '../keys/signing.mjs'
import { RFC7515_A2, RFC7515_A3, RFC8037_A4 } from '../keys/rfc-vectors.mjs'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const pkgDir = dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')))
const vectors = (file) => JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'wycheproof', file), 'utf8'))
const PK = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519']
const POLICY = { issuer: 'https://idp.test', audience: 'api' }
let mf
let keys

before(async () => {
  const a = await keyPair('ES256', { kid: 'a' })
  const b = await keyPair('EdDSA', { kid: 'b' })
  keys = { a, b }
  const dir = mkdtempSync(join(process.cwd(), 'workerd-keys-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { PublicKeyVerifier, JwtError, localKeySet, remoteKeySet } from 'jwt-wasm/keys'
import { guard } from 'jwt-wasm/edge'
import { Ring } from ${JSON.stringify(join(pkgDir, 'keys', 'ring.js'))}
import { signatures } from ${JSON.stringify(join(pkgDir, 'keys', 'signature.js'))}
const PK = ${JSON.stringify(PK)}
const hex = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16))
const b64 = (u) => btoa(String.fromCharCode(...u)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')
const POLICY = ${JSON.stringify(POLICY)}
let fetches = 0
let guards
const guardsOf = (env) => (guards ??= {
  local: guard((r, e, c, { payload }) => Response.json({ sub: payload.sub }), {
    verifier: new PublicKeyVerifier({ keys: localKeySet(env.JWKS), algorithms: ['ES256', 'EdDSA'], ...POLICY }),
    clock: () => new Date(${NOW * 1000}),
  }),
  remote: guard((r, e, c, { payload }) => Response.json({ sub: payload.sub }), {
    verifier: new PublicKeyVerifier({
      keys: remoteKeySet('https://idp.test/jwks.json', { fetch: async () => (fetches++, new Response(env.JWKS, { headers: { 'cache-control': 'max-age=600' } })), cache: false }),
      algorithms: ['ES256', 'EdDSA'],
      ...POLICY,
    }),
    clock: () => new Date(${NOW * 1000}),
  }),
  down: guard(() => new Response('unreachable'), {
    verifier: new PublicKeyVerifier({ keys: remoteKeySet('https://idp.test/jwks.json', { fetch: async () => new Response('no', { status: 500 }), cache: false }), algorithms: ['ES256'] }),
    clock: () => new Date(${NOW * 1000}),
    onError: () => {},
  }),
})
async function verify({ keys, algorithms, token, now, policy }) {
  let v
  try {
    v = new PublicKeyVerifier({ keys, algorithms, ...policy })
    const { header, payload } = await v.verifyAsync(token, { now: new Date(now * 1000) })
    return { header, payload }
  } catch (e) {
    if (!(e instanceof JwtError)) return { thrown: String(e) }
    return { code: e.code }
  } finally {
    v?.free()
  }
}
async function primitive({ jwk, alg, cases }) {
  const ring = new Ring({ lists: [[4, ['exp']]], mask: 1 << PK.indexOf(alg), args: [0, 0, -1, 16384, 8192] }, 'jwks', JSON.stringify({ keys: [{ ...jwk, alg }] }), 'keys')
  const header = b64(new TextEncoder().encode(JSON.stringify({ alg })))
  const out = []
  for (const { msg, sig } of cases) {
    const token = header + '.e30.' + b64(hex(sig))
    const [key, , , error] = ring.begin(token, 1700000000)
    out.push(error ? 'core' : (await ring.verify(key, hex(msg), hex(sig))) ? 'accepted' : 'runtime')
  }
  ring.core.free()
  return out
}
// Phase 1's views handed to WebCrypto, the memory overwritten right after the call (ring.js).
async function views({ jwk, alg, valid, forged }) {
  const ring = new Ring({ lists: [[4, ['exp']]], mask: 1 << PK.indexOf(alg), args: [0, 0, -1, 16384, 8192] }, 'jwks', JSON.stringify({ keys: [jwk] }), 'keys')
  let [key, data, signature] = ring.begin(valid, ${NOW})
  const imported = await ring.verify(key, data, signature)
  ;[key, data, signature] = ring.begin(valid, ${NOW})
  const pending = ring.verify(key, data, signature)
  data.fill(0)
  signature.fill(0)
  const zeroed = await pending
  ;[key, data, signature] = ring.begin(forged, ${NOW})
  const bad = ring.verify(key, data, signature)
  const same = ring.begin(valid, ${NOW})[1].byteOffset === data.byteOffset
  const out = { imported, zeroed, forged: await bad, same }
  ring.core.free()
  return out
}
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url)
    if (url.pathname === '/provider') return Response.json({ provider: signatures.provider.name })
    if (url.pathname === '/verify') return Response.json(await Promise.all((await request.json()).map(verify)))
    if (url.pathname === '/primitive') return Response.json(await primitive(await request.json()))
    if (url.pathname === '/views') return Response.json(await views(await request.json()))
    if (url.pathname === '/fetches') return Response.json({ fetches })
    const g = guardsOf(env)[url.pathname.slice(1)]
    return g ? g(request, env, ctx) : new Response(null, { status: 404 })
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js'), {
    bindings: { JWKS: JSON.stringify({ keys: [a.jwk, b.jwk] }) },
  }))
})

after(async () => {
  await mf?.dispose()
})

const post = async (path, body) =>
  (await mf.dispatchFetch(`http://localhost${path}`, { method: 'POST', body: JSON.stringify(body) })).json()

/** The same case verified in Node: its code, or its header and payload. */
async function inNode({ keys, algorithms, token, now, policy }) {
  let v
  try {
    v = new PublicKeyVerifier({ keys, algorithms, ...policy })
    const { header, payload } = await v.verifyAsync(token, { now: new Date(now * 1000) })
    return { header, payload }
  } catch (e) {
    assert.ok(e instanceof JwtError)
    return { code: e.code }
  } finally {
    v?.free()
  }
}

test("on workerd the signature is WebCrypto's", async () => {
  assert.deepEqual(await (await mf.dispatchFetch('http://localhost/provider')).json(), { provider: 'webcrypto' })
})

test("phase 1's views of the core's memory go to workerd's WebCrypto, which reads them before it returns: overwritten right after, the verdict is the token's", async () => {
  for (const alg of ['ES256', 'RS256', 'EdDSA']) {
    const pair = await keyPair(alg, { kid: 'k' })
    const valid = await sign(pair, {}, claims({ sub: 'valid', aud: undefined }))
    const [h, p] = (await sign(pair, {}, claims({ sub: 'other', aud: undefined }))).split('.')
    const forged = `${h}.${p}.${valid.split('.')[2]}`
    const got = await post('/views', { jwk: pair.jwk, alg, valid, forged })
    assert.deepEqual(got, { imported: true, zeroed: true, forged: false, same: true }, alg)
  }
})

test('the RFC examples verify on workerd as in Node', async () => {
  const cases = [RFC7515_A2, RFC7515_A3, RFC8037_A4].map((v) => ({
    keys: [v.jwk],
    algorithms: [v.alg],
    token: v.token,
    now: v.now ?? NOW,
    policy: {},
  }))
  const got = await post('/verify', cases)
  assert.deepEqual(got[0].payload, RFC7515_A2.payload)
  assert.deepEqual(got[1].payload, RFC7515_A3.payload)
  assert.deepEqual(got[2], { code: 'ERR_JWT_INVALID' }, 'RFC 8037: verified, then its text payload refused')
  assert.deepEqual(got, await Promise.all(cases.map(inNode)))
})

test('json_web_signature_test.json: every public-key case gets the same answer on workerd as in Node', async () => {
  const doc = vectors('json_web_signature_test.json')
  const cases = []
  for (const g of doc.testGroups) {
    if ((g.private ?? g.public).kty === 'oct') continue
    const jwk = g.public
    const alg = PK.includes(jwk.alg)
      ? jwk.alg
      : jwk.crv === 'P-256'
        ? 'ES256'
        : PK.includes(g.comment.toUpperCase())
          ? g.comment.toUpperCase()
          : 'ES384'
    for (const t of g.tests)
      cases.push({
        tcId: t.tcId,
        keys: [jwk],
        algorithms: [alg],
        token: typeof t.jws === 'string' ? t.jws : JSON.stringify(t.jws),
        now: 1_700_000_000,
        policy: {},
      })
  }
  assert.ok(cases.length > 350)
  const got = await post('/verify', cases)
  const want = await Promise.all(cases.map(inNode))
  for (const [i, c] of cases.entries()) assert.deepEqual(got[i], want[i], `tcId ${c.tcId}`)
})

for (const [file, alg, jwkOf] of [
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256', (g) => g.publicKeyJwk],
  ['ecdsa_secp384r1_sha384_p1363_test.json', 'ES384', (g) => g.publicKeyJwk],
  ['ed25519_test.json', 'EdDSA', (g) => g.publicKeyJwk],
  ['rsa_signature_2048_sha256_test.json', 'RS256', (g) => g.keyJwk],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256', (g) => g.publicKeyJwk],
]) {
  test(`${file}: every case through the core and workerd's WebCrypto, by its result`, async () => {
    const doc = vectors(file)
    let ran = 0
    for (const g of doc.testGroups) {
      const jwk = jwkOf(g)
      if (!jwk) continue // the P1363 files' last groups give only a point: run in Node (wycheproof-primitives)
      const { kid, ...key } = jwk
      void kid
      const verdicts = await post('/primitive', { jwk: key, alg, cases: g.tests.map(({ msg, sig }) => ({ msg, sig })) })
      for (const [i, t] of g.tests.entries()) {
        ran++
        // The one `acceptable` case (PKCS#1 v1.5 DigestInfo without NULL) is refused, as in Node.
        const want = t.result === 'valid' ? 'accepted' : 'refused'
        assert.equal(
          verdicts[i] === 'accepted' ? 'accepted' : 'refused',
          want,
          `${file} tcId ${t.tcId} (${t.comment}): ${verdicts[i]}`,
        )
      }
    }
    assert.ok(ran >= doc.numberOfTests - 12, `${ran} of ${doc.numberOfTests}`)
  })
}

test("an EC point off its curve: workerd's WebCrypto refuses the key at import, so its tokens get ERR_JWK_INVALID", async () => {
  const pair = await keyPair('ES256', { kid: 'ec' })
  const y = Buffer.from(pair.jwk.y, 'base64url')
  y[y.length - 1] ^= 1
  const token = await sign(pair, {}, claims())
  const cases = [1, 2].map(() => ({
    keys: [{ ...pair.jwk, y: y.toString('base64url') }],
    algorithms: ['ES256'],
    token,
    now: NOW,
    policy: POLICY,
  }))
  assert.deepEqual(await post('/verify', cases), [{ code: 'ERR_JWK_INVALID' }, { code: 'ERR_JWK_INVALID' }])
  // The true point verifies.
  assert.equal((await post('/verify', [{ ...cases[0], keys: [pair.jwk] }]))[0].payload.sub, 'u1')
})

test('the guard with a localKeySet and with a remoteKeySet: 200, 401 for a forgery, no fetch on the hot path, 503 when the key set is down', async () => {
  const ask = async (path, token) =>
    mf.dispatchFetch(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } })
  const good = await sign(keys.a, { typ: 'JWT' }, claims())
  const ed = await sign(keys.b, {}, claims({ sub: 'u-ed' }))
  const forged = await sign({ ...(await keyPair('ES256')), kid: 'a' }, {}, claims())
  for (const path of ['/local', '/remote']) {
    assert.deepEqual(await (await ask(path, good)).json(), { sub: 'u1' }, path)
    assert.deepEqual(await (await ask(path, ed)).json(), { sub: 'u-ed' }, path)
    const no = await ask(path, forged)
    assert.equal(no.status, 401, path)
    assert.match(
      no.headers.get('www-authenticate'),
      /error="invalid_token", error_description="The access token signature is invalid"/,
    )
    await no.arrayBuffer()
  }
  for (let i = 0; i < 30; i++) assert.equal((await ask('/remote', good)).status, 200)
  assert.deepEqual(await (await mf.dispatchFetch('http://localhost/fetches')).json(), { fetches: 1 })
  const down = await ask('/down', good)
  assert.equal(down.status, 503)
  assert.equal((await down.json()).error, 'temporarily_unavailable')
})
