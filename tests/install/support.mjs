// What the install tests share: running a command with a deadline, and starting the Hono fixture
// (tests/install/fixtures/hono/server.mjs) on a free port of 127.0.0.1, stopped by the caller.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'

/**
 * Runs `cmd args` in `cwd` to its end (at most `timeout` ms); resolves to its exit code and output.
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function run(cmd, args, { cwd, env = {}, input, timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
    child.stdin.end(input ?? '')
  })
}

/** Fresh secrets for a fixture, as `wrangler secret put` or the environment would give them. */
export const secret = () => randomBytes(32).toString('base64url')

/**
 * Starts the Hono app with its static root (relative to `cwd`); resolves once it listens.
 * @returns {Promise<{ origin: string, env: Record<string, string>, stop: () => Promise<void>, output: () => string }>}
 */
export function startHono(cwd, staticRoot, extraEnv = {}) {
  const env = {
    ACCESS_SECRET: secret(),
    REFRESH_SECRET: secret(),
    APP_LOGIN: 'alice',
    APP_PASSWORD: 'correct horse battery staple',
    STATIC_ROOT: staticRoot,
    PORT: '0',
    ...extraEnv,
  }
  const child = spawn(process.execPath, ['fixtures/hono/server.mjs'], { cwd, env: { ...process.env, ...env } })
  let output = ''
  const exited = new Promise((resolve) => child.on('exit', resolve))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no listen line: ${output}`))), 15_000)
    const seen = (d) => {
      output += d
      const m = /listening on (http:\/\/localhost:\d+)/.exec(output)
      if (!m) return
      clearTimeout(timer)
      resolve({
        origin: m[1],
        env,
        output: () => output,
        stop: async () => {
          child.kill('SIGTERM')
          await exited
        },
      })
    }
    child.stdout.on('data', seen)
    child.stderr.on('data', (d) => (output += d))
    child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`server exited ${code}: ${output}`))))
  })
}
