// A TypeScript consumer (`tsc --strict`, module resolution `nodenext` and `bundler`, declarations
// checked too: no skipLibCheck) of the installed package: fixtures/typescript/worker.ts, the
// README's, with `guard<Env>` (Env the first type parameter) and `verify<T>`, and checks.ts, whose
// every @ts-expect-error must be an error and which compiles guard's first order of type parameters.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { run } from './support.mjs'

for (const [resolution, config] of [
  ['nodenext', 'tsconfig.json'],
  ['bundler (Vite, esbuild)', 'tsconfig.bundler.json'],
]) {
  test(`tsc --strict, ${resolution} resolution: accepts the consumer and every expected error is one`, async () => {
    const r = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', `fixtures/typescript/${config}`])
    assert.equal(r.stdout + r.stderr, '')
    assert.equal(r.code, 0)
  })
}
