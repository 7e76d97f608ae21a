// The package on real workerd (the runtime behind Cloudflare Workers), through miniflare.
// The Worker is bundled the way wrangler does it: `import 'jwt-wasm'` resolved with the
// `workerd` condition, the .wasm kept as a separate module that workerd compiles at load time
// (run-time compilation from bytes is forbidden there). workerd also forbids random values at
// module scope, so a start-up that reached them would fail here.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'

const SECRET = 'workerd-test-secret-0123456789-abcdef'
const NOW = 1_767_225_600
let mf
let dir

before(async () => {
  dir = mkdtempSync(join(process.cwd(), 'workerd-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { Verifier, Signer, inspect, JwtError } from 'jwt-wasm'
let verifier
export default {
  async fetch(request, env) {
    verifier ??= new Verifier({ keys: [{ kid: 'k1', alg: 'HS256', secret: env.SECRET }], algorithms: ['HS256'], audience: 'api' })
    const url = new URL(request.url)
    const now = new Date(Number(url.searchParams.get('now')) * 1000)
    if (url.pathname === '/mint') {
      const signer = new Signer({ key: { kid: 'k1', alg: 'HS256', secret: env.SECRET }, ttl: 60, jti: true })
      return new Response(signer.sign({ sub: 'u1', aud: 'api' }, { currentDate: now }))
    }
    const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '')
    try {
      const { payload } = verifier.verify(token, { currentDate: now })
      return Response.json({ ok: true, sub: payload.sub, lifetime: inspect(token, { currentDate: now }).lifetime })
    } catch (e) {
      if (!(e instanceof JwtError)) throw e
      return Response.json({ ok: false, code: e.code, claim: e.claim ?? null }, { status: 401 })
    }
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js'), { bindings: { SECRET } }))
})

after(async () => {
  await mf?.dispose()
})

test('the workerd condition was used: the bundle imports the .wasm as a module, not bytes', () => {
  const out = join(dir, 'out')
  const files = readdirSync(out)
  assert.ok(
    files.some((f) => f.endsWith('.wasm')),
    `no .wasm module beside the bundle: ${files}`,
  )
  const js = readFileSync(join(out, 'worker.js'), 'utf8')
  assert.match(js, /from\s*"\.\/[^"]+\.wasm"/)
  assert.doesNotMatch(js, /readFileSync|fetch\(new URL/)
})

test('a token minted in workerd verifies in workerd, with claims', async () => {
  const token = await (await mf.dispatchFetch(`http://localhost/mint?now=${NOW}`)).text()
  assert.equal(token.split('.').length, 3)
  const res = await mf.dispatchFetch(`http://localhost/?now=${NOW + 10}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { ok: true, sub: 'u1', lifetime: 60 })
})

test('failures in workerd carry the same codes as everywhere else', async () => {
  const token = await (await mf.dispatchFetch(`http://localhost/mint?now=${NOW}`)).text()
  const ask = async (t, now) =>
    (await mf.dispatchFetch(`http://localhost/?now=${now}`, { headers: { authorization: `Bearer ${t}` } })).json()
  assert.deepEqual(await ask(token, NOW + 60), { ok: false, code: 'ERR_JWT_EXPIRED', claim: 'exp' })
  assert.deepEqual(await ask(token.slice(0, -1) + (token.endsWith('A') ? 'E' : 'A'), NOW), {
    ok: false,
    code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    claim: null,
  })
  assert.deepEqual(await ask('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9.', NOW), {
    ok: false,
    code: 'ERR_JOSE_ALG_NOT_ALLOWED',
    claim: null,
  })
  assert.deepEqual(await ask('garbage', NOW), { ok: false, code: 'ERR_JWS_INVALID', claim: null })
})
