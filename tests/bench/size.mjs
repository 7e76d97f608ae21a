// Sizes for `make bench`: what a browser downloads for each entry, jwt-wasm's and the peers',
// bundled by esbuild for the browser (minified, tree-shaken), gzip -9, plus the .wasm files the
// bundle fetches (found by name in the bundle and looked up in the installed package, so it keeps
// working whatever artifacts the package ships). A jwt-wasm bundle without a .wasm fails the run:
// a bundle that tree-shook its loader away would be small and broken.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { BROWSER_BUNDLE } from './browser-bundle.mjs'

export const ENTRIES = [
  ['jwt-wasm/session', 'jwt-wasm', "import { createSession } from 'jwt-wasm/session'; globalThis.x = createSession"],
  ['jwt-wasm `Verifier`', 'jwt-wasm', "import { Verifier } from 'jwt-wasm'; globalThis.x = Verifier"],
  ['jwt-wasm `inspect`', 'jwt-wasm', "import { inspect } from 'jwt-wasm'; globalThis.x = inspect"],
  ['jwt-wasm/claims `inspect`', 'jwt-wasm', "import { inspect } from 'jwt-wasm/claims'; globalThis.x = inspect"],
  ['jose `jwtVerify`', 'jose', "import { jwtVerify } from 'jose'; globalThis.x = jwtVerify"],
  ['jose `decodeJwt`', 'jose', "import { decodeJwt } from 'jose'; globalThis.x = decodeJwt"],
  ['hono `verify`', 'hono', "import { verify } from 'hono/utils/jwt/jwt'; globalThis.x = verify"],
  [
    'tsndr `verify`',
    '@tsndr/cloudflare-worker-jwt',
    "import { verify } from '@tsndr/cloudflare-worker-jwt'; globalThis.x = verify",
  ],
  [
    'oidc-client-ts `UserManager`',
    'oidc-client-ts',
    "import { UserManager } from 'oidc-client-ts'; globalThis.x = UserManager",
  ],
  [
    'auth0-spa-js `Auth0Client`',
    '@auth0/auth0-spa-js',
    "import { Auth0Client } from '@auth0/auth0-spa-js'; globalThis.x = Auth0Client",
  ],
]

const gz = (buf) => gzipSync(buf, { level: 9 }).length

/** Every file below `dir` (following the package's own layout), by base name. */
function files(dir, into = new Map()) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) files(p, into)
    else if (!into.has(name)) into.set(name, p)
  }
  return into
}

/** @param {string} dir the bench project (its node_modules holds jwt-wasm and the peers) */
export async function sizes(dir) {
  const ours = files(join(dir, 'node_modules', 'jwt-wasm'))
  const rows = []
  for (const [name, pkg, contents] of ENTRIES) {
    const out = await build({
      stdin: { contents, resolveDir: dir, loader: 'js' },
      ...BROWSER_BUNDLE,
    })
    const js = Buffer.from(out.outputFiles[0].contents)
    const wasmNames = new Set([...js.toString('utf8').matchAll(/[\w.-]+\.wasm\b/g)].map((m) => basename(m[0])))
    let wasmGz = 0
    for (const w of pkg === 'jwt-wasm' ? wasmNames : []) {
      const path = ours.get(w) // a name the package does not ship is only a string in the code
      if (path) wasmGz += gz(readFileSync(path))
    }
    if (pkg === 'jwt-wasm' && wasmGz === 0) throw new Error(`${name}: the bundle lost the wasm loader`)
    rows.push({ name, pkg, js: js.length, jsGz: gz(js), wasmGz, total: gz(js) + wasmGz })
  }
  return rows
}
