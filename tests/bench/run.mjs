// `make bench` (started by run.sh inside a throwaway project that holds jwt-wasm and the peers):
// sizes, Node (a child process), workerd (miniflare), cold starts, memory (a child with
// --expose-gc), each after its soundness gate; prints the report and writes it into the README
// between its markers. BENCH_QUICK=1: a short smoke run that leaves the README alone.
// Overrides: BENCH_ROUNDS, BENCH_SLICE_MS, BENCH_WARMUP_MS, BENCH_COLD_RUNS, BENCH_VERIFIES,
// BENCH_VERIFIERS.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { Signer } from 'jwt-wasm'
import { benchJweWorkerd } from './jwe-workerd.mjs'
import { benchPkWorkerd } from './pk-workerd.mjs'
import { coldStart } from './coldstart.mjs'
import { SECRET, tokens as makeTokens } from './fixtures.mjs'
import { render, replaceSection } from './report.mjs'
import { jsBytes, wasmBytes } from './bytes.mjs'
import { ENTRIES, sizes } from './size.mjs'
import { benchWorkerd } from './workerd.mjs'

const started = Date.now()
const quick = process.env.BENCH_QUICK === '1'
const env = (name, full, short) => Number(process.env[name] ?? (quick ? short : full))
const method = {
  quick,
  rounds: env('BENCH_ROUNDS', 11, 3),
  sliceMs: env('BENCH_SLICE_MS', 150, 30),
  warmupMs: env('BENCH_WARMUP_MS', 150, 30),
}
const coldRuns = env('BENCH_COLD_RUNS', 15, 3)
const verifies = env('BENCH_VERIFIES', 1_000_000, 100_000)
const verifiersCount = env('BENCH_VERIFIERS', 100_000, 10_000)
const dir = process.cwd()
const repo = process.env.JWT_WASM_REPO ?? ''
const now = Math.floor(Date.now() / 1000)
const log = (msg) => console.error(`bench [${((Date.now() - started) / 1000).toFixed(0)} s] ${msg}`)
const fail = (what, failures) => {
  console.error(`bench: the soundness gate failed in ${what}:\n  ${failures.join('\n  ')}`)
  process.exit(1)
}

const version = (name) => JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version
const git = (...args) => {
  try {
    return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()
  } catch {
    return ''
  }
}
const commit = git('rev-parse', '--short', 'HEAD')
const dirty = git('status', '--porcelain', '--', 'src', 'Cargo.toml', 'Cargo.lock', 'pkg.json') ? '+changes' : ''
const machine = {
  date: new Date().toISOString().slice(0, 10),
  cpu: os.cpus()[0]?.model ?? 'unknown CPU',
  cores: os.cpus().length,
  load: os.loadavg()[0].toFixed(2),
  node: process.version,
  workerd: version('workerd'),
  miniflare: version('miniflare'),
  jwtWasm: `${version('jwt-wasm')}${commit ? ` (${commit}${dirty})` : ''}`,
  peers: Object.fromEntries(
    [
      'jose',
      'hono',
      '@tsndr/cloudflare-worker-jwt',
      'fast-jwt',
      'jsonwebtoken',
      'oidc-client-ts',
      '@auth0/auth0-spa-js',
    ].map((n) => [n, version(n)]),
  ),
}
log(`${quick ? 'quick smoke run' : 'full run'}: ${method.rounds} rounds of ~${method.sliceMs} ms per case`)

const child = (args, extra) =>
  JSON.parse(
    execFileSync(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, BENCH_NOW: String(now), ...extra },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    })
      .trim()
      .split('\n')
      .pop(),
  )

log('sizes (esbuild, gzip -9)')
const sized = await sizes(dir)
log('where the bytes go (the artifacts rebuilt with names; the entries by module)')
const bytes = {
  wasm: wasmBytes(repo, (f) => join(dir, 'node_modules', 'jwt-wasm', 'wasm', f)),
  js: await Promise.all(ENTRIES.slice(0, 2).map(async ([name, , c]) => ({ name, ...(await jsBytes(dir, c)) }))),
}
log('Node: gate, then verify small, large, decode, sign')
const node = child(['node.mjs'], {
  BENCH_ROUNDS: String(method.rounds),
  BENCH_SLICE_MS: String(method.sliceMs),
  BENCH_WARMUP_MS: String(method.warmupMs),
})
if (node.gate.length) fail('Node', node.gate)
log('workerd: bundle, gate, then verify small, large, decode, sign')
const workerd = await benchWorkerd({ dir, now, ...method })
if (workerd.gate.length) fail('workerd', workerd.gate)
log('jwe: gate, then decrypt + verify of a nested token, Node then workerd (jwe.mjs)')
const jweNode = child(['jwe-node.mjs'], {
  BENCH_ROUNDS: String(method.rounds),
  BENCH_SLICE_MS: String(method.sliceMs),
  BENCH_WARMUP_MS: String(method.warmupMs),
})
if (jweNode.gate.length) fail('Node (jwe)', jweNode.gate)
const jweWorkerd = await benchJweWorkerd({ dir, now, ...method })
if (jweWorkerd.gate.length) fail('workerd (jwe)', jweWorkerd.gate)
Object.assign(node, { decrypt: jweNode.decrypt, decryptBytes: jweNode.bytes })
Object.assign(workerd, { decrypt: jweWorkerd.decrypt, decryptBytes: jweWorkerd.bytes })
log('keys: gate, then verify of a small ES256, RS256 and EdDSA token, Node then workerd (pk.mjs)')
const pkNode = child(['pk-node.mjs'], {
  BENCH_ROUNDS: String(method.rounds),
  BENCH_SLICE_MS: String(method.sliceMs),
  BENCH_WARMUP_MS: String(method.warmupMs),
})
if (pkNode.gate.length) fail('Node (keys)', pkNode.gate)
const pkWorkerd = await benchPkWorkerd({ dir, now, ...method })
if (pkWorkerd.gate.length) fail('workerd (keys)', pkWorkerd.gate)
Object.assign(node, { pk: pkNode.pk })
Object.assign(workerd, { pk: pkWorkerd.pk })
log(`cold start: ${coldRuns} fresh processes each`)
const signer = new Signer({ key: { alg: 'HS256', secret: SECRET } })
const cold = coldStart({ dir, runs: coldRuns, now, token: makeTokens((c) => signer.sign(c), now).small })
log(`memory: ${verifies.toLocaleString('en-US')} verifies, ${verifiersCount.toLocaleString('en-US')} verifiers`)
const memory = child(['--expose-gc', '--max-semi-space-size=1', 'memory.mjs'], {
  BENCH_VERIFIES: String(verifies),
  BENCH_VERIFIERS: String(verifiersCount),
})

const results = {
  machine,
  method,
  sizes: sized,
  bytes,
  node,
  workerd,
  cold,
  memory,
  seconds: (Date.now() - started) / 1000,
}
const section = render(results)
console.log(`\n${section}\n`)
const saved = join(repo, 'tests', '.tmp', 'bench-results.json')
writeFileSync(saved, `${JSON.stringify(results, null, 1)}\n`)
log(`every number of this run: ${saved}`)
if (quick) {
  // The smoke run still proves the README can take the section, without writing it.
  replaceSection(readFileSync(join(repo, 'README.md'), 'utf8'), section)
  log('done (BENCH_QUICK: README not written)')
} else {
  const readme = join(repo, 'README.md')
  writeFileSync(readme, replaceSection(readFileSync(readme, 'utf8'), section))
  log('done; README.md performance section written')
}
