// How the demo's scripts drive wrangler (pinned in www/package.json): the local D1's schema and
// seed, .dev.vars, and one `wrangler dev` process on 127.0.0.1, waited for until it answers.
// Shared by dev.mjs (`make demo`) and check.mjs (`make demo-check`).
import { spawn, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { seedSql } from './seed.mjs'

export const here = dirname(fileURLToPath(import.meta.url))
const bin = join(here, 'node_modules', '.bin', 'wrangler')
// Offline and quiet: no metrics, no prompt, no update check against the registry.
const ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_UPDATE_NOTIFIER: '1' }

const wrangler = (args) => execFileSync(bin, args, { cwd: here, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })

/** Fresh random secrets (the access-token key, the refresh secret, the encryption key), and the flag of the demo-only routes (demo-routes.js). */
export function devVars() {
  const secret = () => randomBytes(32).toString('base64url')
  return `ACCESS_SECRET=${secret()}\nREFRESH_SECRET=${secret()}\nENCRYPTION_KEY=${secret()}\nDEMO_ROUTES=local\n`
}

/**
 * Writes .dev.vars (git-ignored) unless it exists: the first start's fresh secrets. One written
 * before the encrypted tokens gets its ENCRYPTION_KEY added. Says what it did ('' for nothing).
 * @param {string} [file]
 */
export function ensureDevVars(file = join(here, '.dev.vars')) {
  if (!existsSync(file)) {
    writeFileSync(file, devVars(), { mode: 0o600 })
    return 'wrote fresh secrets to www/.dev.vars'
  }
  const text = readFileSync(file, 'utf8')
  if (/^ENCRYPTION_KEY=/m.test(text)) return ''
  const line = devVars().match(/^ENCRYPTION_KEY=.*$/m)?.[0]
  writeFileSync(file, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${line}\n`, { mode: 0o600 })
  return 'added a fresh ENCRYPTION_KEY to www/.dev.vars'
}

/** Applies the schema (migrations/) to the local D1 under `persistTo` and seeds demo / demo-password. */
export async function seedLocal(persistTo) {
  const persist = persistTo ? ['--persist-to', persistTo] : []
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', ...persist])
  const file = join(persistTo ?? join(here, '.wrangler'), 'seed.sql')
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, await seedSql('demo', 'demo-password'))
  wrangler(['d1', 'execute', 'DB', '--local', ...persist, '--file', file])
}

/**
 * Starts `wrangler dev` on 127.0.0.1:`port` and resolves once the page answers.
 * @param {{ port: number, persistTo?: string, envFile?: string, vars?: Record<string, string>, echo?: boolean }} o
 */
export async function startDev(o) {
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(o.port), '--local', '--show-interactive-dev-session=false']
  if (o.persistTo) args.push('--persist-to', o.persistTo)
  if (o.envFile) args.push('--env-file', o.envFile)
  for (const [k, v] of Object.entries(o.vars ?? {})) args.push('--var', `${k}:${v}`)
  const child = spawn(bin, args, { cwd: here, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  let ready = false
  // Until it answers, its output is kept for the error; after that, with `echo`, it is shown.
  const keep = (out) => (d) => {
    if (!ready) output += d
    else if (o.echo) out.write(d)
  }
  child.stdout?.on('data', keep(process.stdout))
  child.stderr?.on('data', keep(process.stderr))
  const url = new URL(`http://127.0.0.1:${o.port}/`)
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(undefined)
      child.once('exit', resolve)
      child.kill('SIGTERM')
    })
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`)
    const res = await fetch(url).catch(() => null)
    if (res?.status === 200) {
      ready = true
      return { url, stop, output: () => output }
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`wrangler dev did not answer on ${url} within 90 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}
