// `make demo` (until the demo Worker lands): serves www/ and the built package on 127.0.0.1.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, normalize, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const roots = { '/pkg/': join(here, '..', 'pkg'), '/': here }
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' }
const port = Number(process.env.PORT ?? 8787)

createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
  const prefix = path.startsWith('/pkg/') ? '/pkg/' : '/'
  const rel = normalize(path.slice(prefix.length) || 'index.html')
  if (rel.startsWith('..')) return res.writeHead(400).end()
  try {
    const body = await readFile(join(roots[prefix], rel))
    res.writeHead(200, { 'content-type': types[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body)
  } catch {
    res.writeHead(404).end('not found')
  }
}).listen(port, '127.0.0.1', () => console.log(`jwt-wasm demo on http://127.0.0.1:${port}/`))
