// Proves that `make demo` installs only what the demo needs (issue 12): the Makefile's demo chain
// (a dry run, `make -n -B demo`) and .ci/setup as that chain runs it (JWT_WASM_SETUP=pkg, in a
// sandbox whose tools are stubs that log what they are asked to install) reach exactly two npm
// projects, .ci/tools (binaryen's wasm-opt) and www (wrangler, esbuild), and nothing of tests/;
// binaryen is pinned to one version wherever it is named. Cheap (about a second): `make demo-check`.
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const cleanEnv = () => {
  const env = { ...process.env }
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'JWT_WASM_SETUP']) delete env[name]
  return env
}

// 1. The Makefile: every command of the demo chain, none of them naming tests/.
const dry = execFileSync('make', ['--no-print-directory', '-n', '-B', 'demo'], {
  cwd: repo,
  env: cleanEnv(),
  encoding: 'utf8',
}).replaceAll('\\\n', ' ')
const touchesTests = dry.split('\n').filter((line) => /(^|[\s'"=/(])tests\//.test(line) || /cd tests\b/.test(line))
assert.deepEqual(touchesTests, [], 'the demo chain (make -n -B demo) names nothing of tests/')
assert.match(dry, /bash \.ci\/setup/, 'the demo chain runs the setup')
assert.match(dry, /\.ci\/tools\/node_modules\/\.bin\/wasm-opt -Oz/, "the pkg build's wasm-opt is the build tools' one")
const makeProjects = [...dry.matchAll(/cd (\S+) && [^\n]*\bnpm ci\b/g)].map((m) => m[1])
assert.deepEqual(makeProjects, ['www'], 'the Makefile itself runs npm ci only in www')

// 2. .ci/setup in a sandbox (a fresh machine: no Rust target, no wasm-bindgen, no node_modules),
// its tools stubs that log each call with its directory.
/** @param {'pkg' | 'all'} mode */
function setupCalls(mode) {
  const box = mkdtempSync(join(tmpdir(), 'jwt-wasm-demo-path-'))
  try {
    for (const file of [
      '.ci/setup',
      'Cargo.lock',
      '.ci/tools/package.json',
      '.ci/tools/package-lock.json',
      'tests/package.json',
      'tests/package-lock.json',
      'tests/requirements.txt',
    ]) {
      mkdirSync(dirname(join(box, file)), { recursive: true })
      copyFileSync(join(repo, file), join(box, file))
    }
    const bin = join(box, 'home', '.cargo', 'bin')
    mkdirSync(bin, { recursive: true })
    const log = join(box, 'calls.log')
    const stub = (name, extra = '') =>
      writeFileSync(
        join(bin, name),
        `#!/usr/bin/env bash\nprintf '%s\\t%s\\n' "$(pwd)" "${name} $*" >> '${log}'\n${extra}\nexit 0\n`,
      )
    for (const name of ['rustup', 'cargo', 'apt-get', 'pip']) stub(name)
    stub('npm', '[ "$1" = ci ] && mkdir -p node_modules')
    stub('python3', '[ "$1" = -m ] && mkdir -p "$3/bin" && cp "$0" "$3/bin/pip" && cp "$0" "$3/bin/python"')
    for (const name of ['rustup', 'cargo', 'apt-get', 'pip', 'npm', 'python3']) {
      chmodSync(join(bin, name), 0o755)
    }
    writeFileSync(log, '')
    const env = { ...cleanEnv(), HOME: join(box, 'home'), PATH: `${bin}:/usr/bin:/bin` }
    if (mode === 'pkg') env.JWT_WASM_SETUP = 'pkg'
    execFileSync('bash', [join(box, '.ci', 'setup')], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([, call]) => !/^rustup (component|target) list/.test(call))
      .map(([dir, call]) => `${relative(box, dir) || '.'}: ${call}`)
  } finally {
    rmSync(box, { recursive: true, force: true })
  }
}

const wasmBindgen = /^name = "wasm-bindgen"\nversion = "([^"]+)"/m.exec(readFileSync(join(repo, 'Cargo.lock'), 'utf8'))
assert.ok(wasmBindgen, 'Cargo.lock pins wasm-bindgen')
const pkgCalls = setupCalls('pkg')
assert.deepEqual(
  pkgCalls,
  [
    '.: rustup target add wasm32-unknown-unknown',
    `.: cargo install --force wasm-bindgen-cli --version ${wasmBindgen[1]}`,
    '.ci/tools: npm ci --no-audit --no-fund --loglevel=error',
  ],
  'the setup of `make demo` installs only the wasm target, wasm-bindgen-cli and the build tools',
)
// The same sandbox sees the test toolchain when it is asked for (so the check above can fail).
const allCalls = setupCalls('all')
assert.ok(allCalls.includes('tests: npm ci --no-audit --no-fund --loglevel=error'), allCalls.join('\n'))
assert.ok(
  allCalls.some((call) => call.includes('cargo install --force --locked wasm-pack')),
  'the full setup installs wasm-pack',
)

// 3. The npm projects of the demo path, and binaryen pinned once.
const projects = [...new Set([...pkgCalls.filter((c) => c.includes('npm ci')).map((c) => c.split(':')[0]), 'www'])]
assert.deepEqual(projects, ['.ci/tools', 'www'])
const pin = (file) => JSON.parse(readFileSync(join(repo, file), 'utf8'))
const binaryen = pin('.ci/tools/package.json').devDependencies.binaryen
assert.match(binaryen, /^\d+\.\d+\.\d+$/, 'binaryen is pinned exactly')
assert.equal(pin('.ci/tools/package-lock.json').packages['node_modules/binaryen'].version, binaryen)
const testsPin = pin('tests/package.json').devDependencies.binaryen
if (testsPin !== undefined) assert.equal(testsPin, binaryen, "tests/'s binaryen is the build tools' version")
// Every consumer of binaryen (tests/bench/bytes.mjs, tests/js/core/native-mac.test.mjs) runs that copy.
const stray = spawnSync(
  'git',
  ['grep', '-n', '-E', "tests/node_modules/\\.bin/wasm-|'tests', 'node_modules', '\\.bin', 'wasm-", '--', '.'],
  { cwd: repo, encoding: 'utf8' },
)
assert.equal(stray.status, 1, `binaryen's tools run from .ci/tools only:\n${stray.stdout}${stray.stderr}`)
console.log(`demo path: npm projects ${projects.join(', ')}; binaryen ${binaryen} from .ci/tools`)
