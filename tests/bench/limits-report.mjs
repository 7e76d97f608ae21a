// The report of where the time goes (limits.mjs measured it): the README's "Where the time goes"
// table (every piece in Node and workerd, small and large token, and what follows from them by
// subtraction) and, for every goal of issue 10, one line naming the limit with the numbers of
// this run. Pure functions of the results, tested in pieces.test.mjs.
import { CROSSINGS } from './limits.mjs'

const f1 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(1))
const f2 = (x) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(2))
const med = (list, id) => list?.find((e) => e.id === id)?.us.med

/** SHA-256 blocks of an HMAC over `n` bytes with a pre-keyed state: the inner message, padded, and the outer one. */
export const blocks = (n) => Math.ceil((n + 9) / 64) + 1

/**
 * The medians of one limits set by id, and what follows from them by subtraction. `perBlock`
 * (µs per SHA-256 block in wasm, from the large token) gives the MAC in wasm of a small token,
 * whose two-path difference is lost in the native path's own fixed cost; `inputBytes` is the
 * length of the signing input.
 */
export function derive(list, inputBytes = 0, perBlock = undefined) {
  const m = (id) => med(list, id)
  const d = {
    verify: m('verify-auto'),
    wasm: m('verify-wasm'),
    native: m('verify-native'),
    decode: m('decode'),
    sign: m('sign'),
    macNode: m('mac-node'),
    macWeb: m('mac-webcrypto'),
    jsSide: m('js-side'),
    boundary: m('boundary'),
    jsLeast: m('js-least'),
    jose: m('jose-key'),
    fast: m('fast-jwt'),
  }
  // The MAC in wasm is not reachable alone through the API, but the two paths of one verify
  // differ only in it: the wasm path MACs in wasm; the native one calls createHmac (timed alone)
  // and crosses into wasm 4 times more to hand the MAC over (timed alone: `boundary`).
  const twoPaths = d.wasm - d.native + d.macNode + d.boundary * (CROSSINGS.native - CROSSINGS.wasm)
  const macWasm = perBlock === undefined ? twoPaths : perBlock * blocks(inputBytes)
  const rest = d.wasm - macWasm
  return {
    ...d,
    macWasm,
    perBlock: twoPaths / blocks(inputBytes),
    // Our verify without its MAC: split, base64url, strict header, typed claims, policy, result.
    rest,
    // Of which the wasm side (the JS around the call is `jsSide`, the same for verify and decode).
    core: rest - d.jsSide,
    crossings: d.boundary * CROSSINGS.wasm,
  }
}

const ROWS = [
  ['verify', "(f) our verify as shipped (`mac: 'auto'`)"],
  ['wasm', "(f) our verify, MAC in wasm (`mac: 'wasm'`)"],
  ['native', "(f) our verify, MAC by node:crypto (`mac: 'native'`)"],
  [
    'macWasm',
    '(b) the MAC in wasm (large: verify wasm − verify native + createHmac + 4 crossings; small: the same per SHA-256 block × its blocks)',
  ],
  ['rest', 'our verify without its MAC (= verify wasm − the MAC in wasm)'],
  ['core', '  of which in wasm: split, base64url, strict header and claims, policy'],
  ['jsSide', '  of which in JS: encodeInto the token, TextDecoder and `JSON.parse` of the result'],
  ['decode', '(c) `decodeUnverified` (reads the whole payload into a value tree: more than verify)'],
  ['sign', '`Signer.sign` of the same claims (MAC in wasm, JSON checked, base64url)'],
  ['macNode', '(a) node:crypto `createHmac` over the signing input'],
  ['macWeb', '(a) WebCrypto `verify` alone (asynchronous)'],
  ['boundary', '(d) one empty call into wasm'],
  ['crossings', `  × the ${CROSSINGS.wasm} crossings of a verify on the wasm path (${CROSSINGS.native} natively)`],
  ['jsLeast', '(e) the least JS: split, base64url, `JSON.parse` of header and payload'],
  ['jose', 'jose `jwtVerify` (CryptoKey), same rounds'],
  ['fast', 'fast-jwt (cache off), same rounds'],
]

/** Both tokens of runtime `rt` derived, the small one's MAC in wasm at the large one's rate per block. */
export function derived(r, rt) {
  const input = (size) => r[rt].bytes[size] - 44 // the signing input: the token less '.' and 43 signature characters
  const large = derive(r[rt].limits_large, input('large'))
  return { large, small: derive(r[rt].limits_small, input('small'), large.perBlock) }
}

/** The table: one row per piece, µs (median of the rounds), Node and workerd, small and large. */
export function timeTable(r) {
  const n = derived(r, 'node')
  const w = derived(r, 'workerd')
  const cols = [
    ['Node, small', n.small],
    ['Node, large', n.large],
    ['workerd, small', w.small],
    ['workerd, large', w.large],
  ]
  const head = ['where the time goes, µs (median)', ...cols.map(([n]) => n)]
  const rows = ROWS.map(([key, label]) => [label, ...cols.map(([, d]) => (key === 'boundary' ? f2 : f1)(d[key]))])
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')
}

const ratioOf = (list, id) => list?.find((e) => e.id === id)?.ratio.med
const verdict = (ok) => (ok ? 'met' : 'not met')

/**
 * One line per goal of issue 10: what this run reached and, where it falls short, the limit
 * named by its measured pieces (times from the limits sets; verdicts from the verify sets, as
 * in the summary table).
 */
export function limitNotes(r) {
  const n = derived(r, 'node')
  const w = derived(r, 'workerd')
  const jose = (rt, size) => ratioOf(r[rt][`verify_${size}`], 'jose-key')
  const floorTimes = (rt, id) => 1 / ratioOf(r[rt].verify_small, id)
  const floorUs = (rt, id) => med(r[rt].verify_small, id)
  const fast = ratioOf(r.node.verify_large, 'fast-jwt')
  const withoutMac = (d) =>
    `verify without its MAC takes ${f1(d.rest)} µs (${f1(d.core)} in wasm: split, strict base64url, strict JSON, claims; ${f1(d.jsSide)} in JS: the token in, \`JSON.parse\` of the result)`
  const lines = [
    `Node, small, ≥ 8× jose: ${f2(jose('node', 'small'))}× (${verdict(jose('node', 'small') >= 8)}). The goal asks for ≤ ${f1(n.small.jose / 8)} µs (jose ${f1(n.small.jose)} µs ÷ 8); our ${withoutMac(n.small)}, the least a JS library does for the payload ${f1(n.small.jsLeast)} µs, and the MAC ${f1(n.small.macWasm)} µs in wasm (${f1(n.small.macNode)} µs as a node:crypto \`createHmac\`).`,
    `Node, small, ≤ 1.0× the HMAC-only floor: ${f2(floorTimes('node', 'floor-node'))}× (${verdict(floorTimes('node', 'floor-node') <= 1)}). The floor (${f1(floorUs('node', 'floor-node'))} µs) returns no claims: the least JS read of them alone takes ${f1(n.small.jsLeast)} µs, our verify without its MAC ${f1(n.small.rest)} µs, so a verify that returns the payload stays above a bare MAC.`,
    `Node, large, ≥ 3× jose: ${f2(jose('node', 'large'))}× (${verdict(jose('node', 'large') >= 3)}). The goal asks for ≤ ${f1(n.large.jose / 3)} µs; the 5.8 KB token's HMAC takes ${f1(n.large.macNode)} µs natively (${f1(n.large.macWasm)} µs in wasm), but our ${withoutMac(n.large)}.`,
    `Node, large, ≥ 1.0× fast-jwt: ${f2(fast)}× (${verdict(fast >= 1)}). fast-jwt (${f1(n.large.fast)} µs) is about the least JS read and one HMAC (${f1(n.large.jsLeast)} + ${f1(n.large.macNode)} µs): one lenient \`JSON.parse\`; we read the payload twice, strictly in wasm (${f1(n.large.core)} µs) and again with \`JSON.parse\` to build the result (${f1(n.large.jsSide)} µs).`,
    `workerd, small, ≥ 4× jose: ${f2(jose('workerd', 'small'))}× (${verdict(jose('workerd', 'small') >= 4)}). The goal asks for ≤ ${f1(w.small.jose / 4)} µs (jose ${f1(w.small.jose)} µs ÷ 4); our ${withoutMac(w.small)}, the MAC ${f1(w.small.macWasm)} µs in wasm.`,
    `workerd, small, ≤ 1.5× the WebCrypto verify-only floor: ${f2(floorTimes('workerd', 'floor-webcrypto'))}× (${verdict(floorTimes('workerd', 'floor-webcrypto') <= 1.5)}). 1.5× the floor is ${f1(1.5 * floorUs('workerd', 'floor-webcrypto'))} µs; the least JS read of the claims alone takes ${f1(w.small.jsLeast)} µs and our verify without its MAC ${f1(w.small.rest)} µs.`,
    `workerd, large, ≥ 1.5× jose: ${f2(jose('workerd', 'large'))}× (${verdict(jose('workerd', 'large') >= 1.5)}). The goal asks for ≤ ${f1(w.large.jose / 1.5)} µs; jose MACs with WebCrypto (${f1(w.large.macWeb)} µs, asynchronous, so a synchronous verify cannot use it) and reads the payload with one \`JSON.parse\`; our ${withoutMac(w.large)}, node:crypto's HMAC ${f1(w.large.macNode)} µs.`,
    `workerd against Node, large token: our verify ${f1(w.large.verify)} against ${f1(n.large.verify)} µs (native path ${f1(w.large.native)} against ${f1(n.large.native)}); without the MAC ${f1(w.large.rest)} against ${f1(n.large.rest)} (wasm side ${f1(w.large.core)} against ${f1(n.large.core)}, JS side ${f1(w.large.jsSide)} against ${f1(n.large.jsSide)}), node:crypto's HMAC ${f1(w.large.macNode)} against ${f1(n.large.macNode)}, the MAC in wasm ${f1(w.large.macWasm)} against ${f1(n.large.macWasm)}, the least JS read ${f1(w.large.jsLeast)} against ${f1(n.large.jsLeast)}.`,
  ]
  return lines.map((l) => `- ${l}`).join('\n')
}
