// jwt-wasm/claims on real workerd: a Worker that only reads tokens bundles the claims artifact
// alone (a static .wasm import, as wrangler bundles it; the hmac artifact stays out), and
// decodeUnverified and inspect answer there as in Node; Verifier stays in jwt-wasm.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'
import { Signer } from 'jwt-wasm'
import * as claims from 'jwt-wasm/claims'

const NOW = 1_767_225_600
const token = new Signer({ key: { alg: 'HS256', secret: 'c'.repeat(32) } }).sign({ sub: 'u1', iat: NOW, exp: NOW + 90 })
let mf
let dir

before(async () => {
  dir = mkdtempSync(join(process.cwd(), 'workerd-claims-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { decodeUnverified, inspect, JwtError } from 'jwt-wasm/claims'
export default {
  async fetch(request) {
    const url = new URL(request.url)
    const token = url.searchParams.get('token')
    const currentDate = new Date(Number(url.searchParams.get('now')) * 1000)
    try {
      const { exp, expiresIn, lifetime, warnings } = inspect(token, { currentDate })
      return Response.json({ sub: decodeUnverified(token).payload.sub, exp, expiresIn, lifetime, warnings })
    } catch (e) {
      if (!(e instanceof JwtError)) throw e
      return Response.json({ code: e.code }, { status: 400 })
    }
  },
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js')))
})

after(async () => {
  await mf?.dispose()
})

test('the Worker bundles the claims artifact only, as a static .wasm module', () => {
  const out = join(dir, 'out')
  const wasm = readdirSync(out).filter((f) => f.endsWith('.wasm'))
  assert.equal(wasm.length, 1, `one .wasm beside the bundle: ${wasm}`)
  assert.match(wasm[0], /^jwt_wasm_claims/)
  assert.match(readFileSync(join(out, 'worker.js'), 'utf8'), /from\s*"\.\/jwt_wasm_claims[^"]*\.wasm"/)
})

test('inspect and decodeUnverified answer on workerd as in Node', async () => {
  const ask = async (t) => {
    const r = await mf.dispatchFetch(`http://x/?now=${NOW + 30}&token=${encodeURIComponent(t)}`)
    return { status: r.status, body: await r.json() }
  }
  const expected = claims.inspect(token, { currentDate: new Date((NOW + 30) * 1000) })
  assert.deepEqual(await ask(token), {
    status: 200,
    body: { sub: 'u1', exp: expected.exp, expiresIn: 60, lifetime: 90, warnings: [] },
  })
  assert.deepEqual(await ask('a.b'), { status: 400, body: { code: 'ERR_JWS_INVALID' } })
})
