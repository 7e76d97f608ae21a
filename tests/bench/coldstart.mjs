// Cold start for `make bench`: import → first verify in fresh Node processes, jwt-wasm against
// jose (raw secret: importing the key is part of its first verify), alternating which goes first.
// Each child reports performance.now() from just before its import to just after its first
// verify resolved; the parent also times the whole process (spawn to exit).
import { execFileSync } from 'node:child_process'
import { AUD, ISS, SECRET } from './fixtures.mjs'
import { spread } from './timing.mjs'

const common = `
  const token = process.env.BENCH_TOKEN
  const currentDate = new Date(Number(process.env.BENCH_NOW) * 1000)
  const policy = { issuer: ${JSON.stringify(ISS)}, audience: ${JSON.stringify(AUD)} }
  const secret = ${JSON.stringify(SECRET)}
`
const scripts = {
  'jwt-wasm': `${common}
    const t0 = performance.now()
    const { Verifier } = await import('jwt-wasm')
    const v = new Verifier({ keys: [{ alg: 'HS256', secret }], algorithms: ['HS256'], ...policy })
    if (v.verify(token, { currentDate }).payload.iss !== policy.issuer) throw new Error('no payload')
    console.log(performance.now() - t0)`,
  jose: `${common}
    const t0 = performance.now()
    const { jwtVerify } = await import('jose')
    const r = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'], currentDate, ...policy })
    if (r.payload.iss !== policy.issuer) throw new Error('no payload')
    console.log(performance.now() - t0)`,
}

/**
 * @param {{ dir: string, runs: number, now: number, token: string }} o
 * @returns {Record<string, { firstVerifyMs: {med:number,min:number,max:number}, processMs: {med:number,min:number,max:number} }>}
 */
export function coldStart({ dir, runs, now, token }) {
  const names = Object.keys(scripts)
  const samples = Object.fromEntries(names.map((n) => [n, { first: [], proc: [] }]))
  for (let r = 0; r < runs; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) {
      const t0 = process.hrtime.bigint()
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', scripts[name]], {
        cwd: dir,
        env: { ...process.env, BENCH_TOKEN: token, BENCH_NOW: String(now) },
        encoding: 'utf8',
      })
      samples[name].proc.push(Number(process.hrtime.bigint() - t0) / 1e6)
      samples[name].first.push(Number(out.trim()))
    }
  }
  return Object.fromEntries(
    names.map((n) => [n, { firstVerifyMs: spread(samples[n].first), processMs: spread(samples[n].proc) }]),
  )
}
