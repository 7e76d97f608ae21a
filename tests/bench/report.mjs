// The report of `make bench`: renders one run's results as the README's performance section (the
// machine, every version, the issue's summary rows with their goals, then the detail tables) and
// writes it between the markers, so the claim and its evidence stay together.
import { bytesLines } from './bytes-report.mjs'
import { limitNotes, timeTable } from './limits-report.mjs'

export const BEGIN = '<!-- make bench: begin (written by tests/bench/run.mjs from one run; do not edit by hand) -->'
export const END = '<!-- make bench: end -->'
// The encrypted-token rows (issue 11) come from jwe.mjs, beside its cases.
import { decryptRows } from './jwe.mjs'
// The public-key rows (issue 13) come from pk.mjs, beside its cases.
import { pkRows } from './pk.mjs'

const f2 = (x) => x.toFixed(2)
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const range = (s, fmt) => `${fmt(s.med)} (${fmt(s.min)}–${fmt(s.max)})`
const us = (e) => (e ? `${range(e.us, f2)} µs` : '–')
const ratio = (e) => (e ? `${range(e.ratio, f2)}×` : '–')
/** jwt-wasm's time as a multiple of `e`'s (a floor), per round: the inverse of e's ratio. */
const timesOf = (e) => ({ med: 1 / e.ratio.med, min: 1 / e.ratio.max, max: 1 / e.ratio.min })
const find = (list, id) => list?.find((e) => e.id === id)
const met = (ok) => (ok ? ' (met)' : ' (not met)')
/** One goal and its verdict: `text` (the goal), `got` (what this run measured). */
const goal = (text, ok, got) => `${text}: ${got}${met(ok)}`
const SHORT = { 'jose-key': 'jose (CryptoKey)', 'jose-raw': 'jose (raw secret)', 'jose-decode': 'jose' }
const short = (id) => SHORT[id] ?? id

/** Replaces the text between BEGIN and END in `text` by `section`; throws without both markers. */
export function replaceSection(text, section) {
  const a = text.indexOf(BEGIN)
  const b = text.indexOf(END)
  if (a < 0 || b < a) throw new Error('the README has no make-bench markers')
  return `${text.slice(0, a + BEGIN.length)}\n${section.trim()}\n${text.slice(b)}`
}

/** Whether memory stayed flat: wasm unchanged start → end, RSS growing < 8 MB half → end. */
export function flat(run) {
  const [start, half, end] = run.snaps
  return end.wasm === start.wasm && end.rss - half.rss < 8 * 1024 * 1024
}

function memoryLine(run, what) {
  const [start, half, end] = run.snaps
  const kib = (n) => `${(n / 1024).toLocaleString('en-US')} KiB`
  const mb = (n) => `${(n / 1024 / 1024).toFixed(1)}`
  return `${run.count.toLocaleString('en-US')} ${what}: wasm memory ${kib(start.wasm)} → ${kib(half.wasm)} → ${kib(end.wasm)}, RSS ${mb(start.rss)} → ${mb(half.rss)} → ${mb(end.rss)} MB${flat(run) ? ' (flat)' : ' (NOT flat)'}`
}

/** The summary rows of issue 10, from one run. */
function summary(r) {
  const size = (name) => r.sizes.find((s) => s.name === name)
  const sizeCell = (s) => `${kb(s.total)} (JS ${kb(s.jsGz)} + wasm ${kb(s.wasmGz)})`
  const peerSize = (names) => names.map((n) => `${n} ${kb(size(n).total)}`).join('; ')
  const rows = []
  const session = size('jwt-wasm/session')
  const verifier = size('jwt-wasm `Verifier`')
  const inspect = size('jwt-wasm `inspect`')
  const claims = size('jwt-wasm/claims `inspect`')
  rows.push([
    "SPA: `import { createSession } from 'jwt-wasm/session'`",
    sizeCell(session),
    peerSize(['oidc-client-ts `UserManager`', 'auth0-spa-js `Auth0Client`']),
    goal('≤ 12 KB', session.total <= 12 * 1024, kb(session.total)),
  ])
  rows.push([
    'browser `import { Verifier }`',
    sizeCell(verifier),
    peerSize(['jose `jwtVerify`', 'hono `verify`', 'tsndr `verify`']),
    goal('≤ 12 KB', verifier.total <= 12 * 1024, kb(verifier.total)),
  ])
  rows.push(['browser `import { inspect }`', sizeCell(inspect), '', ''])
  rows.push([
    "browser `import { inspect } from 'jwt-wasm/claims'`",
    sizeCell(claims),
    peerSize(['jose `decodeJwt`']),
    '',
  ])
  for (const [rt, floorId, floorName] of [
    ['node', 'floor-node', 'node:crypto HMAC-only'],
    ['workerd', 'floor-webcrypto', 'WebCrypto verify-only'],
  ]) {
    for (const size of ['small', 'large']) {
      const list = r[rt][`verify_${size}`]
      const e = (id) => find(list, id)
      const ours = `${us(e('jwt-wasm'))}; ${ratio(e('jose-key'))} jose (CryptoKey), ${ratio(e('jose-raw'))} jose (raw secret); ${range(timesOf(e(floorId)), f2)}× the time of the ${floorName} floor`
      const peers = ['hono', 'tsndr', 'fast-jwt', 'jsonwebtoken']
        .filter((id) => e(id))
        .map((id) => `${short(id)} ${ratio(e(id))}`)
        .join(', ')
      const jose = e('jose-key').ratio.med
      const floorTimes = timesOf(e(floorId)).med
      const vsJose = (x) => goal(`≥ ${x}× jose`, jose >= x, `${f2(jose)}×`)
      const vsFloor = (x) => goal(`≤ ${x.toFixed(1)}× the floor's time`, floorTimes <= x, `${f2(floorTimes)}×`)
      const goals = {
        node_small: [vsJose(8), vsFloor(1.0)],
        node_large: [
          vsJose(3),
          goal('≥ 1.0× fast-jwt', e('fast-jwt')?.ratio.med >= 1, `${f2(e('fast-jwt')?.ratio.med ?? 0)}×`),
        ],
        workerd_small: [vsJose(4), vsFloor(1.5)],
        workerd_large: [vsJose(1.5)],
      }[`${rt}_${size}`].join('; ')
      rows.push([`${rt === 'node' ? 'Node' : 'workerd'}, ${size} token (${r[rt].bytes[size]} B)`, ours, peers, goals])
    }
  }
  for (const rt of ['node', 'workerd']) {
    const e = (id) => find(r[rt].sign, id)
    const peers = r[rt].sign
      .filter((x) => x.id !== 'jwt-wasm')
      .map((x) => `${short(x.id)} ${ratio(x)}`)
      .join(', ')
    rows.push([`${rt === 'node' ? 'Node' : 'workerd'}, sign (small claims)`, us(e('jwt-wasm')), peers, ''])
  }
  rows.push(...decryptRows(r, goal, us))
  rows.push(...pkRows(r, goal, us))
  const cold = r.cold
  const delta = cold['jwt-wasm'].firstVerifyMs.med - cold.jose.firstVerifyMs.med
  rows.push([
    'cold start (import → first verify, new Node process)',
    `${range(cold['jwt-wasm'].firstVerifyMs, f2)} ms; ${delta <= 0 ? `${f2(-delta)} ms faster` : `${f2(delta)} ms slower`} than jose`,
    `jose ${range(cold.jose.firstVerifyMs, f2)} ms`,
    goal('keep ≤ jose + 2 ms', delta <= 2, `${delta <= 0 ? '−' : '+'}${f2(Math.abs(delta))} ms`),
  ])
  rows.push([
    `memory, ${r.memory.verifies.count.toLocaleString('en-US')} verifies / ${r.memory.verifiers.count.toLocaleString('en-US')} verifiers freed`,
    `${memoryLine(r.memory.verifies, 'verifies')}; ${memoryLine(r.memory.verifiers, 'verifiers created and freed')}`,
    '',
    `keep flat${met(flat(r.memory.verifies) && flat(r.memory.verifiers))}`,
  ])
  return rows
}

const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')

/** Node and workerd side by side for one scenario. */
function sideBySide(r, set, title) {
  const ids = [...new Set([...r.node[set], ...r.workerd[set]].map((e) => e.id))]
  const rows = ids.map((id) => {
    const n = find(r.node[set], id)
    const w = find(r.workerd[set], id)
    return [(n ?? w).label, us(n), ratio(n), us(w), ratio(w)]
  })
  return table([title, 'Node, µs/op', 'Node, ratio', 'workerd, µs/op', 'workerd, ratio'], rows)
}

/** The whole section (Markdown). */
export function render(r) {
  const m = r.machine
  const peers = Object.entries(m.peers)
    .map(([n, v]) => `${n} ${v}`)
    .join(', ')
  const lines = [
    `Measured by \`make bench\` on ${m.date}: ${m.cpu}, ${m.cores} cores (load ${m.load} at the start), Node ${m.node}, workerd ${m.workerd} (miniflare ${m.miniflare}, \`nodejs_compat\`), jwt-wasm ${m.jwtWasm}; peers: ${peers}. ${r.method.rounds} interleaved rounds of about ${r.method.sliceMs} ms per case; medians with min–max over the rounds. A ratio is the peer's time over jwt-wasm's, taken within each round (> 1: jwt-wasm is faster). Every library verifies issuer, audience and expiry (pinned clock where it takes one; tsndr checks iss/aud in a wrapper) and had to refuse a forged signature, a wrong audience, a wrong issuer and an expired token before it was timed. In workerd each request runs one case many times and is timed from outside, minus an empty-loop request of the same count (${r.workerd.coarse.stepMs === null ? 'performance.now() stood still during execution' : `performance.now() there advanced in steps of ${r.workerd.coarse.stepMs} ms`}). Sizes: esbuild-minified browser bundles, gzip -9, with the wasm they fetch. The run took ${Math.round(r.seconds)} s${r.method.quick ? ' (BENCH_QUICK: a smoke run, not for the record)' : ''}.`,
    '',
    table(['measure', 'jwt-wasm', 'peers, same run', 'goal'], summary(r)),
    '',
    sideBySide(r, 'verify_small', `verify, small token (${r.node.bytes.small} B)`),
    '',
    sideBySide(r, 'verify_large', `verify, large token (${r.node.bytes.large} B)`),
    '',
    sideBySide(r, 'decode', 'read claims without verifying, small token'),
    '',
    ...(r.node.decrypt ? [sideBySide(r, 'decrypt', 'decrypt + verify, nested JWE (small claims)'), ''] : []),
    sideBySide(r, 'sign', 'sign, small claims'),
    '',
    timeTable(r),
    '',
    limitNotes(r),
    '',
    table(
      ['entry (browser bundle)', 'JS min', 'JS gzip', 'wasm gzip', 'total gzip'],
      r.sizes.map((s) => [
        s.name,
        `${s.js.toLocaleString('en-US')} B`,
        kb(s.jsGz),
        s.wasmGz ? kb(s.wasmGz) : '–',
        kb(s.total),
      ]),
    ),
    '',
    bytesLines(r.bytes),
    '',
    table(
      ['cold start, new Node process', 'import → first verify', 'whole process (spawn to exit)'],
      Object.entries(r.cold).map(([n, c]) => [n, `${range(c.firstVerifyMs, f2)} ms`, `${range(c.processMs, f2)} ms`]),
    ),
  ]
  return lines.join('\n')
}
