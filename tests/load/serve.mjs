// One workerd process per Worker for `make load` (run.mjs): writes the capnp config for a bundled
// Worker (its .js and .wasm modules, its bindings, and Durable Object namespaces when it has
// any, stored on disk in a directory of the bundle's), starts the pinned npm workerd on 127.0.0.1
// (port chosen by the system, reported on the control pipe) and returns the process and port.
// One process per Worker, so that each one's memory is its own.
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * @param {{
 *   workerdPath: string, dir: string, name: string, v8Flags: string[], children: import('node:child_process').ChildProcess[],
 *   texts: Record<string, string>, durableObjects?: Record<string, string>,
 * }} o `texts`: text bindings; `durableObjects`: binding name → exported class (stored on disk:
 *   workerd shuts an idle object down, and in-memory storage did not keep its data across that)
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, port: number }>}
 */
export async function startWorkerd(o) {
  const { dir, name } = o
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f.endsWith('.wasm'))
    .sort((a, b) => (a.endsWith('.js') ? -1 : b.endsWith('.js') ? 1 : 0))
    .map(
      (f) => `(name = ${JSON.stringify(f)}, ${f.endsWith('.wasm') ? 'wasm' : 'esModule'} = embed ${JSON.stringify(f)})`,
    )
  const objects = Object.entries(o.durableObjects ?? {})
  const bindings = [
    ...Object.entries(o.texts).map(([k, v]) => `(name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)})`),
    ...objects.map(([k, cls]) => `(name = ${JSON.stringify(k)}, durableObjectNamespace = ${JSON.stringify(cls)})`),
  ]
  const storage = join(dir, 'durable-objects')
  if (objects.length) mkdirSync(storage, { recursive: true })
  const namespaces = objects.length
    ? `  durableObjectNamespaces = [ ${objects.map(([, cls]) => `(className = ${JSON.stringify(cls)}, uniqueKey = ${JSON.stringify(`jwt-wasm-load-${cls}`)})`).join(', ')} ],
  durableObjectStorage = (localDisk = "durable-objects"),
`
    : ''
  const disk = objects.length
    ? `, (name = "durable-objects", disk = (path = ${JSON.stringify(storage)}, writable = true))`
    : ''
  const config = join(dir, 'config.capnp')
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker)${disk} ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
  v8Flags = ${JSON.stringify(o.v8Flags)},
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  compatibilityDate = "2026-04-01",
  bindings = [ ${bindings.join(', ')} ],
${namespaces});
`,
  )
  const child = spawn(o.workerdPath, ['serve', config, '--control-fd=3'], {
    stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
  })
  o.children.push(child)
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`workerd (${name}) did not start in 30 s`)), 30_000)
    child.once('exit', (code) => reject(new Error(`workerd (${name}) exited with ${code}`)))
    createInterface(/** @type {import('node:stream').Readable} */ (child.stdio[3])).on('line', (line) => {
      const m = JSON.parse(line)
      if (m.event === 'listen' && m.socket === 'http') {
        clearTimeout(timer)
        resolvePort(m.port)
      }
    })
  })
  return { child, port }
}
