// The Worker of the workerd half of the jwe case of `make bench` (jwe.mjs bundles and times it):
//   GET /gate                   the soundness gate's failures, the cases, the token's length
//   GET /run?id=jwt-wasm&n=1000 n decrypts, in turn over the pool of tokens (jwe.mjs's `pooled`: a
//                               counter per case); id "empty" for the empty loop
import * as jose from 'jose'
import * as jwt from 'jwt-wasm'
import * as jwe from 'jwt-wasm/jwe'
import { jweCases, pooled } from './jwe.mjs'

/** @type {Promise<any> | undefined} */
let state
let sink = 0
const noop = () => {
  sink++
}

export default {
  async fetch(request, env) {
    state ??= jweCases({ jwe, jose, jwt }, Number(env.NOW)).then((s) => ({
      ...s,
      fns: new Map(s.cases.map((c) => [c.id, { ...c, fn: pooled(c, s.tokens) }])),
    }))
    const s = await state
    const url = new URL(request.url)
    if (url.pathname === '/gate')
      return Response.json({
        failures: s.failures,
        bytes: s.token.length,
        cases: s.cases.map(({ id, label, async }) => ({ id, label, async })),
      })
    const id = url.searchParams.get('id')
    const n = Number(url.searchParams.get('n'))
    const c = id === 'empty' ? { fn: noop, async: false } : s.fns.get(id)
    if (!c || !(n > 0)) return new Response('unknown case', { status: 404 })
    if (c.async) for (let i = 0; i < n; i++) await c.fn()
    else for (let i = 0; i < n; i++) c.fn()
    return Response.json({ sink })
  },
}
