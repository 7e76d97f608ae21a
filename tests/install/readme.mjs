// The README's runnable examples are the tested fixtures of tests/install/fixtures/: each code
// block after a `<!-- include: <path> -->` line is that file's text. `node tests/install/readme.mjs`
// writes them in (`make fmt` runs it); `--check` fails when a block differs from its file or a
// fixture that must be shown is not included (`make lint` runs it), so the README cannot drift
// from what `make test-install` runs.
import { readFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const README = join(root, 'README.md')
// Every fixture a user copies: the README shows each at least once.
const REQUIRED = [
  'node/esm.mjs',
  'node/cjs.cjs',
  'worker-verify/wrangler.toml',
  'worker-verify/worker.js',
  'worker-auth/src/worker.js',
  'worker-auth/wrangler.toml',
  'worker-auth/schema.sql',
  'worker-auth/seed.mjs',
  'worker-keys/wrangler.toml',
  'worker-keys/worker.js',
  'browser/main.js',
  'browser/vite.config.js',
  'browser/importmap.html',
  'hono/server.mjs',
  'typescript/worker.ts',
].map((f) => `tests/install/fixtures/${f}`)

const BLOCK = /^<!-- include: (\S+) -->\n```(\w*)\n[\s\S]*?^```$/gm
const text = readFileSync(README, 'utf8')
const seen = new Set()
const written = text.replace(BLOCK, (_, path, lang) => {
  seen.add(path)
  const body = readFileSync(join(root, path), 'utf8').replace(/\n$/, '')
  return `<!-- include: ${path} -->\n\`\`\`${lang}\n${body}\n\`\`\``
})
const problems = REQUIRED.filter((f) => !seen.has(f)).map((f) => `README.md does not include ${f}`)
if (process.argv.includes('--check')) {
  if (written !== text)
    problems.push('README.md differs from its fixtures: run `make fmt` (node tests/install/readme.mjs)')
} else if (written !== text) writeFileSync(README, written)
for (const p of problems) console.error(`readme: ${p}`)
process.exit(problems.length ? 1 : 0)
