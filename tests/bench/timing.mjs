// The bench's method, one place for Node and workerd: calibrate a batch size per case, warm up,
// then ROUNDS interleaved rounds (each round runs every case once, in a rotating order), and
// report per case the median µs/op with min–max, and per round the ratio of each case's time to
// the baseline's (the first case, jwt-wasm) in that same round, so that a slow moment of a shared
// machine moves both sides of a ratio together. A ratio > 1 means the baseline is faster.
//
// `run(case, n)` performs n operations of the case and resolves to the nanoseconds they took;
// how it does that (a loop in this process, or a request to workerd timed from outside minus an
// empty-loop request) is the caller's business.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** { med, min, max } of a list of numbers. */
export const spread = (xs) => ({ med: median(xs), min: Math.min(...xs), max: Math.max(...xs) })

/** The batch size that takes about `ms`, growing from 8 until a batch takes over 15 ms. */
async function calibrate(run, c, ms) {
  let n = 8
  for (;;) {
    const ns = await run(c, n)
    if (ns > 15e6) return Math.max(1, Math.round((n * ms * 1e6) / ns))
    n *= 4
  }
}

/**
 * @template C
 * @param {C[]} cases the first is the baseline
 * @param {(c: C, n: number) => Promise<number>} run
 * @param {{ rounds: number, sliceMs: number, warmupMs: number }} opts
 * @returns {Promise<{ us: {med:number,min:number,max:number}, ratio: {med:number,min:number,max:number}, n: number }[]>}
 */
export async function measure(cases, run, { rounds, sliceMs, warmupMs }) {
  for (const c of cases) await run(c, await calibrate(run, c, warmupMs))
  const sizes = []
  for (const c of cases) sizes.push(await calibrate(run, c, sliceMs))
  /** @type {number[][]} µs/op, [case][round] */
  const us = cases.map(() => [])
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const j = (k + r) % cases.length
      us[j].push((await run(cases[j], sizes[j])) / sizes[j] / 1000)
    }
  }
  return summarise(us).map((s, j) => ({ ...s, n: sizes[j] }))
}

/** Per case: the spread of its µs/op over the rounds, and of its ratio to case 0 in each round. */
export function summarise(us) {
  return us.map((row) => ({ us: spread(row), ratio: spread(row.map((t, r) => t / us[0][r])) }))
}
