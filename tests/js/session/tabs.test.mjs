// jwt-wasm/session, several tabs (fake Web Locks and BroadcastChannel, a server whose refresh
// token rotates and that flags reuse): one refresh across tabs, the lock granted before the
// channel message, logout and expiry everywhere, the BroadcastChannel lease fallback, and
// duplicated tabs (sessionStorage copied) recognised so they do not race their parent.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { TOKEN_KEY, TAB_KEY, MIN, json, memoryStorage, tab, world } from './harness.mjs'

// ================================================================ tabs

describe('tabs: one refresh across tabs, a rotated refresh token never presented twice', () => {
  /** Two tabs of one origin, both holding the token A logged in with. */
  async function twoTabs({ locks = true, delay = 200, lag } = {}) {
    const w = world({ locks, bus: true, lag })
    w.server.delay = delay
    const a = tab(w, { name: 'A' })
    const b = tab(w, { name: 'B' })
    const login = a.session.login('alice', 'pw')
    await w.time.advance(delay)
    await login
    await w.time.flush()
    return { ...w, a, b }
  }

  test('a login in one tab reaches the other (change:broadcast), which stores it in its own storage', async () => {
    const { a, b } = await twoTabs()
    assert.equal(b.session.token, a.session.token)
    assert.equal(b.storage.map.get(TOKEN_KEY), a.session.token)
    assert.deepEqual(b.log, ['change:broadcast'])
    assert.equal(a.session.mode.coordination, 'locks')
    a.session.close()
    b.session.close()
  })

  test('both tabs due at the same instant: one refresh; the waiting tab re-checks inside the lock and adopts', async () => {
    const { time, server, locks, a, b } = await twoTabs()
    assert.equal(a.session.timing.refreshAt, b.session.timing.refreshAt)
    await time.advance(837_500 - 200)
    await time.advance(1000)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    assert.equal(a.session.token, b.session.token)
    assert.ok(locks.grants.length >= 2, 'both took the lock')
    assert.deepEqual(a.log, ['change:login', 'change:refresh', 'refresh'])
    assert.deepEqual(b.log, ['change:broadcast', 'change:broadcast'])
    a.session.close()
    b.session.close()
  })

  test('the lock is granted before the new token arrives on the channel: the waiting tab waits for it, one refresh', async () => {
    // Seen in Chromium: the lock grant and the BroadcastChannel message travel separately, so
    // the next holder may get the lock first. The holder announced `refreshing`; the next one
    // waits (bounded) for its `refreshed` before the double check.
    const { time, server, a, b } = await twoTabs({ lag: { types: ['token', 'refreshed'], ms: 20 } })
    await time.advance(837_500 - 200)
    await time.advance(1000)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    assert.equal(a.session.token, b.session.token)
    a.session.close()
    b.session.close()
  })

  test('100 getToken() in each of two tabs after a sleep: one refresh', async () => {
    const { time, server, a, b } = await twoTabs()
    time.sleep(20 * MIN)
    const all = Promise.all([
      ...Array.from({ length: 100 }, () => a.session.getToken()),
      ...Array.from({ length: 100 }, () => b.session.getToken()),
    ])
    await time.advance(1000)
    const tokens = await all
    assert.equal(new Set(tokens).size, 1)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    a.session.close()
    b.session.close()
  })

  test('control: with no coordination at all, the same race presents a rotated refresh token twice', async () => {
    const w = world({ locks: false, bus: false })
    w.server.delay = 200
    const a = tab(w, { name: 'A' })
    const b = tab(w, { name: 'B' })
    const resumed = a.session.resume() // one refresh: rt-0 → rt-1
    await w.time.advance(200)
    assert.equal(await resumed, true)
    const resumedB = b.session.resume() // rt-1 → rt-2, one after the other: fine
    await w.time.advance(200)
    assert.equal(await resumedB, true)
    w.time.sleep(20 * MIN)
    const both = Promise.all([a.session.refresh().catch((e) => e.code), b.session.refresh().catch((e) => e.code)])
    await w.time.advance(200)
    const results = await both
    assert.equal(w.server.reuse, 1, 'the server saw the same refresh token twice')
    assert.ok(results.includes('ERR_SESSION_EXPIRED'))
    assert.equal(a.session.mode.coordination, 'none')
    a.session.close()
    b.session.close()
  })

  test('logout in one tab clears every tab', async () => {
    const { server, a, b } = await twoTabs({ delay: 0 })
    await a.session.logout()
    await new Promise((r) => setImmediate(r))
    assert.equal(b.session.token, null)
    assert.equal(b.storage.map.has(TOKEN_KEY), false)
    assert.deepEqual(b.log, ['change:broadcast', 'change:logout', 'logout'])
    assert.deepEqual(b.detail('logout'), [{ source: 'broadcast', revoked: null }])
    assert.equal(server.count('/auth/logout'), 1, 'only the tab that logged out calls the endpoint')
    a.session.close()
    b.session.close()
  })

  test('after a logout, only a login (not a stray refresh) brings the other tab back', async () => {
    const { bus, server, a, b } = await twoTabs({ delay: 0 })
    await a.session.logout()
    await new Promise((r) => setImmediate(r))
    const stray = bus.open('jwt-wasm')
    stray.postMessage({
      v: 1,
      type: 'token',
      from: 'someone',
      tab: 'x',
      token: server.mint(),
      skew: 0,
      reason: 'refresh',
    })
    await new Promise((r) => setImmediate(r))
    assert.equal(b.session.token, null)
    await a.session.login('alice', 'pw')
    await new Promise((r) => setImmediate(r))
    assert.equal(b.session.token, a.session.token)
    stray.close()
    a.session.close()
    b.session.close()
  })

  test('a refresh token found dead in one tab ends the session in every tab holding that token', async () => {
    const { time, server, a, b } = await twoTabs({ delay: 0 })
    server.refresh = () => json(401, { error: 'invalid_grant' })
    await time.advance(837_500)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(a.session.token, null)
    assert.equal(b.session.token, null)
    assert.deepEqual(b.log, ['change:broadcast', 'change:expired', 'expired'])
    assert.equal(b.detail('expired')[0].reason, 'broadcast')
    a.session.close()
    b.session.close()
  })

  test('no Web Locks: a BroadcastChannel lease serialises the tabs (and a warning says so)', async () => {
    const { time, server, a, b } = await twoTabs({ locks: false })
    assert.equal(a.session.mode.coordination, 'broadcast-lease')
    const warnings = a.detail('warning')
    assert.equal(warnings.length, 1)
    assert.equal(warnings[0].code, 'locks_unavailable')
    assert.equal(warnings[0].coordination, 'broadcast-lease')
    // Both start a refresh in the same tick: their lease announcements cross; one backs off.
    const both = Promise.all([a.session.refresh(), b.session.refresh()])
    await time.advance(2000)
    const [ta, tb] = await both
    assert.equal(ta, tb)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    a.session.close()
    b.session.close()
  })
})

// ================================================================ duplicated tabs

describe('a duplicated tab (sessionStorage copied) is recognised and does not race its parent', () => {
  test('the copy finds its id alive in another tab: it takes a new id and remembers its parent', async () => {
    const w = world({ bus: true })
    const a = tab(w, { name: 'A' })
    await a.session.login('alice', 'pw')
    const parentId = a.session.tab.id
    w.time.sleep(-5000) // the wall clock steps back (NTP): the copy even looks older than its parent
    const copy = memoryStorage(a.storage.map) // what window.open / "Duplicate tab" does
    const b = tab(w, { name: 'B', storage: copy })
    assert.equal(b.session.tab.id, parentId, 'starts with the copied id')
    await w.time.flush()
    assert.equal(b.session.tab.duplicateOf, parentId)
    assert.notEqual(b.session.tab.id, parentId)
    assert.equal(copy.map.get(TAB_KEY), b.session.tab.id)
    assert.equal(a.storage.map.get(TAB_KEY), parentId, 'the parent keeps its id')
    assert.equal(a.session.tab.duplicateOf, null)
    assert.equal(b.session.token, a.session.token)
    a.session.close()
    b.session.close()
  })

  test('two tabs restored at once with the same id (neither established): the one that started first keeps it', async () => {
    const w = world({ bus: true })
    const shared = [[TAB_KEY, 'e'.repeat(32)]]
    const first = tab(w, { name: 'A', storage: memoryStorage(shared) })
    await w.time.advance(10)
    const second = tab(w, { name: 'B', storage: memoryStorage(shared) })
    await w.time.advance(200)
    assert.deepEqual(first.session.tab, { id: 'e'.repeat(32), duplicateOf: null })
    assert.equal(second.session.tab.duplicateOf, 'e'.repeat(32))
    assert.notEqual(second.session.tab.id, 'e'.repeat(32))
    first.session.close()
    second.session.close()
  })

  test('a parent that answers late (after the copy finished its handshake) still makes it a copy', async () => {
    const w = world({ bus: true })
    const a = tab(w, { name: 'A' })
    await a.session.login('alice', 'pw')
    const parentId = a.session.tab.id
    await w.time.advance(1000) // the duplicate opens a second later
    // The parent is busy: B's hello reaches it late.
    const channels = w.bus
    const late = []
    const b = tab(
      {
        ...w,
        bus: {
          open: (name) => {
            const ch = channels.open(name)
            const post = ch.postMessage
            ch.postMessage = (m) => (m.type === 'hello' ? late.push(() => post(m)) : post(m))
            return ch
          },
        },
      },
      { name: 'B', storage: memoryStorage(a.storage.map) },
    )
    await w.time.advance(200) // the handshake times out: B believes it owns the id
    assert.equal(b.session.tab.duplicateOf, null)
    for (const send of late) send() // the parent finally hears B's hello and answers
    await w.time.flush()
    assert.equal(b.session.tab.duplicateOf, parentId)
    assert.notEqual(b.session.tab.id, parentId)
    assert.equal(a.session.tab.id, parentId)
    a.session.close()
    b.session.close()
  })

  test('a reload (the id found, nobody else has it) keeps its id', async () => {
    const w = world({ bus: true })
    const storage = memoryStorage([[TAB_KEY, 'f'.repeat(32)]])
    const t = tab(w, { storage })
    await w.time.advance(200)
    assert.deepEqual(t.session.tab, { id: 'f'.repeat(32), duplicateOf: null })
    t.session.close()
  })

  test('a copy with a due token waits for its parent to refresh and adopts the result: one refresh, by the parent', async () => {
    const w = world({ bus: true })
    w.server.delay = 300
    const a = tab(w, { name: 'A' })
    const login = a.session.login('alice', 'pw')
    await w.time.advance(300)
    await login
    w.time.sleep(20 * MIN) // the parent is asleep in the background; its token expired
    const b = tab(w, { name: 'B', storage: memoryStorage(a.storage.map) })
    const resumed = b.session.resume()
    await w.time.advance(1000)
    assert.equal(await resumed, true)
    assert.equal(w.server.count('/auth/refresh'), 1)
    assert.equal(w.server.count('/auth/refresh', 'A'), 1, 'the parent refreshed, the copy did not')
    assert.equal(b.session.token, a.session.token)
    assert.equal(w.server.reuse, 0)
    a.session.close()
    b.session.close()
  })
})
