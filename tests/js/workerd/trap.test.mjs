// A trap is survived on real workerd (issue 8, item 10): a jwt-wasm/edge guard of the test-only
// build `jwt-wasm-trap` (`make pkg-trap`), made at module scope, keeps answering correctly after
// the one request that trapped. That request answers 500 (the engine failed, not the token:
// never a 200 or a 401); every later one gets the right answer from a fresh instance,
// re-instantiated from the module workerd compiled at load time (it forbids compiling at run
// time), so the isolate needs no recycling.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startWorker } from './harness.mjs'
import { Signer } from 'jwt-wasm'
import { UNREACHABLE, STACK } from '../support/trap-scenario.mjs'

const NOW = 1_767_225_600
const SECRET = 'workerd-trap-secret-0123456789-abcdef'
const FORGER = 'workerd-trap-forger-0123456789-abcdef'
let mf

before(async () => {
  const dir = mkdtempSync(join(process.cwd(), 'workerd-trap-'))
  writeFileSync(
    join(dir, 'worker.js'),
    `import { guard } from 'jwt-wasm-trap/edge'
import { decodeUnverified } from 'jwt-wasm-trap'
const errors = []
const api = guard((request, env, ctx, auth) => Response.json({ sub: auth.payload.sub, read: decodeUnverified(auth.token ?? request.headers.get('authorization').slice(7)).payload.sub }), {
  keys: [{ kid: 'k1', alg: 'HS256', secret: '${SECRET}' }],
  algorithms: ['HS256'],
  audience: 'api',
  clock: () => new Date(${NOW} * 1000),
  onError: (e) => errors.push(e.code + ' ' + (e.cause && e.cause.name)),
})
export default {
  fetch: (request, env, ctx) => new URL(request.url).pathname === '/errors' ? Response.json(errors) : api(request, env, ctx),
}
`,
  )
  ;({ mf } = await startWorker(join(dir, 'worker.js')))
})

after(async () => {
  await mf?.dispose()
})

const at = { currentDate: new Date(NOW * 1000) }
const good = new Signer({ key: { kid: 'k1', alg: 'HS256', secret: SECRET }, typ: 'at+jwt', ttl: 600 }).sign(
  { sub: 'u1', aud: 'api' },
  at,
)
const forged = new Signer({ key: { kid: 'k1', alg: 'HS256', secret: FORGER }, typ: 'at+jwt', ttl: 600 }).sign(
  { sub: 'u1', aud: 'api' },
  at,
)
const ask = async (token) => {
  const res = await mf.dispatchFetch('http://localhost/api', { headers: { authorization: `Bearer ${token}` } })
  return { status: res.status, body: await res.json() }
}

test('workerd: after each trap (unreachable, stack overflow) the guard answers every request right, no 500', async () => {
  assert.deepEqual(await ask(good), { status: 200, body: { sub: 'u1', read: 'u1' } })
  for (const marker of [UNREACHABLE, STACK, UNREACHABLE]) {
    assert.deepEqual(await ask(marker), { status: 500, body: { error: 'server_error' } }, `${marker} answers 500`)
    const statuses = []
    for (let i = 0; i < 20; i++) statuses.push((await ask(good)).status)
    assert.deepEqual(statuses, Array(20).fill(200), `after ${marker}`)
    assert.equal((await ask(forged)).status, 401, 'a forgery is still refused')
    assert.deepEqual(await ask(good), { status: 200, body: { sub: 'u1', read: 'u1' } })
  }
  const errors = await (await mf.dispatchFetch('http://localhost/errors')).json()
  assert.deepEqual(errors, [
    'ERR_WASM_TRAPPED RuntimeError',
    'ERR_WASM_TRAPPED RangeError',
    'ERR_WASM_TRAPPED RuntimeError',
  ])
})
