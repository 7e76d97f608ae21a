// The Worker of the workerd half of `make bench` (bundled by workerd.mjs as wrangler does, run by
// miniflare with nodejs_compat). It builds the same cases as the Node side (peers.mjs) with the
// libraries a Worker can load, and on request runs one case `n` times:
//   GET /gate                            the soundness gate's failures (empty when sound)
//   GET /clock                           the smallest step of performance.now() over 30 ms
//   GET /run?set=verify_small&id=jose-key&n=1000   n operations; set "empty" for the empty loop
// The caller times each request from outside and subtracts an empty-loop request of the same n,
// because performance.now() in workerd only advances on I/O; the answer reports how far
// performance.now() and Date.now() moved inside the loop, to show it.
import * as nodeCrypto from 'node:crypto'
import * as tsndr from '@tsndr/cloudflare-worker-jwt'
import * as honoJwt from 'hono/utils/jwt/jwt'
import * as jose from 'jose'
import * as jwtWasm from 'jwt-wasm'
import module from 'jwt-wasm/hmac-native.wasm'
import { SECRET, tokens as makeTokens } from './fixtures.mjs'
import { limitCases, limitGate } from './limits.mjs'
import { cases, gate } from './peers.mjs'

/** @type {Promise<any> | undefined} */
let state

async function setup(now) {
  const signer = new jwtWasm.Signer({ key: { alg: 'HS256', secret: SECRET } })
  const tokens = makeTokens((c) => signer.sign(c), now)
  const all = await cases({ jwtWasm, jose, honoJwt, tsndr, nodeCrypto }, now)
  const limits = await limitCases({ jwtWasm, jose, nodeCrypto, module }, tokens, now)
  const failures = [...(await gate(all, tokens)), ...(await limitGate(limits, tokens, { jwtWasm, nodeCrypto }, now))]
  const fns = {
    sign: new Map(all.sign.map((c) => [c.id, c])),
    decode: new Map(all.decode.map((c) => [c.id, { ...c, fn: c.make(tokens.small) }])),
  }
  for (const size of ['small', 'large'])
    fns[`verify_${size}`] = new Map(all.verify.map((c) => [c.id, { ...c, fn: c.make(tokens[size]) }]))
  for (const size of ['small', 'large']) fns[`limits_${size}`] = new Map(limits[size].map((c) => [c.id, c]))
  all.limits = {
    small: limits.small.map(({ id, label }) => ({ id, label })),
    large: limits.large.map(({ id, label }) => ({ id, label })),
  }
  return { failures, fns, bytes: { small: tokens.small.length, large: tokens.large.length }, all }
}

/** The resolution of performance.now() here: its smallest step over a busy 30 ms (or 5M reads, if the clocks stand still). */
function clock() {
  const start = Date.now()
  let last = performance.now()
  let step = Number.POSITIVE_INFINITY
  let steps = 0
  for (let i = 0; i < 5e6 && Date.now() - start < 30; i++) {
    const t = performance.now()
    if (t !== last) {
      step = Math.min(step, t - last)
      steps++
      last = t
    }
  }
  return { stepMs: Number.isFinite(step) ? step : null, steps }
}

let sink = 0
const noop = () => {
  sink++
}

export default {
  async fetch(request, env) {
    state ??= setup(Number(env.NOW))
    const s = await state
    const url = new URL(request.url)
    if (url.pathname === '/gate') {
      const list = (set) => s.all[set].map((c) => ({ id: c.id, label: c.label }))
      return Response.json({
        failures: s.failures,
        bytes: s.bytes,
        verify: list('verify'),
        decode: list('decode'),
        sign: list('sign'),
        limits: s.all.limits,
      })
    }
    if (url.pathname === '/clock') return Response.json(clock())
    const set = url.searchParams.get('set') ?? ''
    const n = Number(url.searchParams.get('n'))
    const c = set === 'empty' ? { fn: noop, async: false } : s.fns[set]?.get(url.searchParams.get('id'))
    if (!c || !(n > 0)) return new Response('unknown case', { status: 404 })
    const p0 = performance.now()
    const d0 = Date.now()
    if (c.async) for (let i = 0; i < n; i++) await c.fn()
    else for (let i = 0; i < n; i++) c.fn()
    return Response.json({ perfMs: performance.now() - p0, dateMs: Date.now() - d0, sink })
  },
}
