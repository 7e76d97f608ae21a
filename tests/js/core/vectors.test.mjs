// Every case of every tests/vectors/*.json through the public JS API of the installed package.
// The same files drive the Rust tests (tests/*.rs), so both sides agree case by case.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Verifier, JwtError } from 'jwt-wasm'

const repo = process.env.JWT_WASM_REPO
assert.ok(repo, 'JWT_WASM_REPO is not set: run the JS tests with `bash tests/js/run.sh`')
const dir = join(repo, 'tests', 'vectors')

/** A key entry of a vector → a key of `Verifier` (UTF-8 secrets go in as strings, on purpose). */
function key(k, where) {
  const { secret, ...rest } = k
  if (typeof secret?.utf8 === 'string') return { ...rest, secret: secret.utf8 }
  if (typeof secret?.base64url === 'string')
    return { ...rest, secret: new Uint8Array(Buffer.from(secret.base64url, 'base64url')) }
  throw new Error(`${where}: a key secret must be {utf8} or {base64url}`)
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, data: JSON.parse(readFileSync(join(dir, file), 'utf8')) }))
  .filter(({ data }) => Array.isArray(data?.cases))

const total = files.reduce((n, { data }) => n + data.cases.length, 0)

test('tests/vectors holds cases', () => {
  assert.ok(total > 0, `no vector cases found in ${dir}`)
})

for (const { file, data } of files) {
  data.cases.forEach((c, i) => {
    test(`${file}/${i}/${c.name}`, () => {
      assert.equal(typeof c.token, 'string', 'a case has a token string')
      assert.equal(typeof c.now, 'number', 'a case pins `now` (seconds)')
      assert.ok(Array.isArray(c.keys), 'a case has keys')
      const options = { ...c.options, keys: c.keys.map((k, j) => key(k, `keys[${j}]`)) }
      const currentDate = new Date(c.now * 1000)
      const { expect } = c

      // Refused when the Verifier is built: a key (a JwtError) or an option (a TypeError).
      if (expect.code === 'ERR_KEY_INVALID' || expect.code === 'ERR_INVALID_OPTIONS') {
        assert.throws(
          () => new Verifier(options),
          (e) => {
            const C = expect.code === 'ERR_KEY_INVALID' ? JwtError : TypeError
            assert.ok(e instanceof C, `expected a ${C.name}, got ${e?.name}: ${e?.message}`)
            assert.equal(e.code, expect.code)
            return true
          },
        )
        return
      }

      const verifier = new Verifier(options)
      try {
        if ('payload' in expect) {
          const { header, payload } = verifier.verify(c.token, { currentDate })
          assert.deepEqual(payload, expect.payload)
          if (expect.header !== undefined) assert.deepEqual(header, expect.header)
          return
        }
        assert.equal(typeof expect.code, 'string', 'expect is {payload, header?} or {code, claim?, reason?}')
        assert.throws(
          () => verifier.verify(c.token, { currentDate }),
          (e) => {
            assert.equal(e.code, expect.code, `${e.name}: ${e.message}`)
            if (expect.code !== 'ERR_INVALID_OPTIONS') assert.ok(e instanceof JwtError)
            if ('claim' in expect) assert.equal(e.claim, expect.claim)
            if ('reason' in expect) assert.equal(e.reason, expect.reason)
            return true
          },
        )
      } finally {
        verifier.free()
      }
    })
  })
}
