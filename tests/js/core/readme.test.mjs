// The README's code teaches users what to do: it must not teach an unsafe pattern. Issue 8,
// item 9: re-issuing a token from an expired one's `sub` makes a stolen access token immortal.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const readme = readFileSync(join(repo, 'README.md'), 'utf8')
const code = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
  .filter((m) => ['js', 'ts', 'javascript', 'typescript'].includes(m[1]))
  .map((m) => m[2])
  .join('\n')

test('no README example acts on the claims of an expired token', () => {
  assert.doesNotMatch(code, /JWTExpired[^\n]*e\.payload/, 'an expired token’s payload is used in an example')
  assert.doesNotMatch(code, /refresh\(\s*e\.payload/)
})

test('the quick start sends an expired token through the refresh flow and says why', () => {
  assert.match(code, /instanceof JWTExpired\) return unauthorized\('invalid_token'\)/)
  assert.match(readme, /refresh token in\s+(?:\/\/\s*)?its HttpOnly cookie decides/)
  assert.match(readme, /stolen token be renewed for ever/)
})
