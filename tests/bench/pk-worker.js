// The Worker of the workerd half of the public-key case of `make bench` (pk.mjs; pk-workerd.mjs
// bundles and times it):
//   GET /gate?alg=ES256                  the soundness gate's failures, the cases, the token's length
//   GET /run?alg=ES256&id=jwt-wasm&n=100  n verifications; id "empty" for the empty loop
//   GET /fetches?alg=ES256               the remote key set's fetch count
import * as jose from 'jose'
import * as keys from 'jwt-wasm/keys'
import { pkCases, timedFn } from './pk.mjs'
// EdDSA's synchronous alternative (ed25519.mjs), copied beside this file by run.sh; a
// WebAssembly.Module here, as the jwt-wasm artifacts are.
import ed25519 from './ed25519.wasm'

/** @type {Map<string, Promise<any>>} */
const states = new Map()
let sink = 0

export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    const alg = url.searchParams.get('alg') ?? ''
    if (!states.has(alg))
      states.set(
        alg,
        pkCases({ keys, jose, ed25519 }, alg, Number(env.NOW)).then((s) => ({
          ...s,
          fns: new Map(s.cases.map((c) => [c.id, timedFn(c, s.token)])),
        })),
      )
    const s = await states.get(alg)
    if (url.pathname === '/gate')
      return Response.json({
        failures: s.failures,
        bytes: s.token.length,
        cases: s.cases.map(({ id, label }) => ({ id, label })),
      })
    if (url.pathname === '/fetches') return Response.json({ fetches: s.fetches.n })
    const id = url.searchParams.get('id')
    const n = Number(url.searchParams.get('n'))
    const fn = id === 'empty' ? async () => sink++ : s.fns.get(id)
    if (!fn || !(n > 0)) return new Response('unknown case', { status: 404 })
    for (let i = 0; i < n; i++) await fn()
    return Response.json({ sink })
  },
}
