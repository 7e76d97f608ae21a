// jwt-wasm/session: storage. Only the access token and a tab id are written, under the prefixed
// keys; a storage that is missing, throws or refuses writes falls back to memory with exactly one
// warning; `storage: null` is memory on purpose.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { createSession } from 'jwt-wasm/session'
import { TOKEN_KEY, memoryStorage, fakeLocks, tab, world, loggedIn } from './harness.mjs'

// ================================================================ storage

describe('storage: the access token only; memory with one warning when storage fails', () => {
  test('sessionStorage holds the access token under the prefixed key, and a tab id; nothing else', async () => {
    const { session, storage } = await loggedIn({ options: { keyPrefix: 'app1:' } })
    assert.deepEqual([...storage.map.keys()].sort(), ['app1:access_token', 'app1:tab'])
    assert.equal(storage.map.get('app1:access_token'), session.token)
    assert.match(storage.map.get('app1:tab'), /^[0-9a-f]{32}$/)
    assert.equal(session.mode.storage, 'storage')
    session.close()
  })

  test('getItem/setItem/removeItem all throw (sandboxed iframe): memory, exactly one warning', async () => {
    const denied = () => {
      throw new DOMException('The document is sandboxed', 'SecurityError')
    }
    const storage = { getItem: denied, setItem: denied, removeItem: denied }
    const w = world()
    const t = tab(w, { storage })
    await t.session.login('alice', 'pw')
    await w.time.advance(837_500)
    await t.session.logout()
    await t.session.login('alice', 'pw')
    assert.equal(t.session.mode.storage, 'memory')
    assert.ok(t.session.token)
    assert.deepEqual(
      t.log.filter((l) => l.startsWith('warning')),
      ['warning:storage_unavailable'],
    )
    assert.equal(t.detail('warning')[0].cause.name, 'SecurityError')
    t.session.close()
  })

  test('a storage that starts refusing writes (quota): the token moves to memory, one warning', async () => {
    const storage = memoryStorage()
    const setItem = storage.setItem
    storage.setItem = (k, v) => {
      if (k === TOKEN_KEY) throw new DOMException('quota', 'QuotaExceededError')
      setItem(k, v)
    }
    const w = world()
    const t = tab(w, { storage })
    assert.equal(t.session.mode.storage, 'storage')
    await t.session.login('alice', 'pw')
    assert.equal(t.session.mode.storage, 'memory')
    const t1 = t.session.token
    assert.ok(t1)
    assert.equal(await t.session.getToken(), t1)
    await w.time.advance(837_500)
    assert.notEqual(t.session.token, t1)
    await w.time.flush()
    assert.deepEqual(
      t.log.filter((l) => l.startsWith('warning')),
      ['warning:storage_unavailable'],
    )
    t.session.close()
  })

  test('no sessionStorage at all (Node, a worker): the default falls back to memory with a warning', async () => {
    const w = world()
    const events = []
    const session = createSession({
      clock: w.time.clock,
      timers: w.time.timers,
      fetch: w.server.fetch,
      locks: fakeLocks(),
      channel: null,
      events: null,
      random: () => 0.5,
    })
    session.addEventListener('warning', (e) => events.push(e.detail.code))
    await w.time.flush()
    assert.deepEqual(events, ['storage_unavailable'])
    assert.equal(session.mode.storage, 'memory')
    session.close()
  })

  test('storage: null is memory on purpose: no warning', async () => {
    const { session, log } = await loggedIn({ options: { storage: null } })
    await new Promise((r) => setImmediate(r))
    assert.equal(session.mode.storage, 'memory')
    assert.deepEqual(log, ['change:login'])
    session.close()
  })
})
