// `make demo`: runs the demo's wrangler project with `wrangler dev` on http://127.0.0.1:8787
// (PORT to change), offline. First start: fresh secrets in .dev.vars, the local D1's schema and
// the demo user (seed.mjs); later starts reuse both (delete .dev.vars or .wrangler/ to reset).
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureDevVars, here, seedLocal, startDev } from './wrangler.mjs'

const started = performance.now()
const port = Number(process.env.PORT ?? 8787)
const wrote = ensureDevVars()
if (wrote) console.log(`demo: ${wrote}`)
const seeded = join(here, '.wrangler', 'demo-seeded')
if (!existsSync(seeded)) {
  console.log('demo: creating the local D1 (migrations/) and seeding demo / demo-password')
  await seedLocal()
  writeFileSync(seeded, `${new Date().toISOString()}\n`)
}
const dev = await startDev({ port, echo: true })
console.log(
  `demo: ready in ${((performance.now() - started) / 1000).toFixed(1)} s on http://127.0.0.1:${port}/ (wrangler dev). Log in as demo / demo-password (a local-only user). Ctrl-C stops it.`,
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.stop().then(() => process.exit(0)))
