// jwt-wasm/session: the options are checked (unknown names and bad values throw TypeError
// ERR_INVALID_OPTIONS), and importing the module touches no browser global.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createSession } from 'jwt-wasm/session'

// ================================================================ options and import

describe('options and import', () => {
  test('options are checked: unknown names and bad values throw TypeError ERR_INVALID_OPTIONS', () => {
    for (const bad of [
      { refreshBefor: 60 },
      { refresh: () => null, refreshUrl: '/x' },
      { refreshBefore: -1 },
      { retry: { attempts: 0 } },
      { retry: { tries: 3 } },
      { timeout: 0 },
      { csrfHeader: { name: 'bad header', value: 'x' } },
      { apiOrigins: ['https://a.example/path'] },
      { storage: {} },
      { locks: {} },
    ]) {
      assert.throws(
        () => createSession({ channel: null, events: null, storage: null, ...bad }),
        (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS',
        JSON.stringify(bad),
      )
    }
  })

  test('importing jwt-wasm/session touches no browser global (SSR-safe)', () => {
    const code = `
      for (const name of ['sessionStorage', 'localStorage', 'navigator', 'window', 'document', 'location', 'BroadcastChannel']) {
        Object.defineProperty(globalThis, name, { configurable: true, get() { throw new Error('touched ' + name) } })
      }
      const m = await import('jwt-wasm/session')
      console.log(typeof m.createSession, typeof m.SessionError)`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: process.cwd(),
      encoding: 'utf8',
    })
    assert.equal(out.trim(), 'function function')
  })
})
