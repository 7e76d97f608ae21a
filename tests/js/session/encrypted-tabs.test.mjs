// jwt-wasm/session, several tabs with encrypted access tokens (JWE, issue 11): the page cannot
// read their claims, so every tab must time them by the times the token answer told (kept in
// storage as `<key>:times`, sent with the `token` and `expired` messages). One refresh across
// tabs, reloads and copied tabs, `token` messages and stored times that cannot be trusted
// (refused: a JWE is never used with made-up times), logout and expiry everywhere.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { TOKEN_KEY, TAB_KEY, MIN, encryptedWorld, isJwe, json, memoryStorage, seal, tab } from './harness.mjs'

const TIMES = `${TOKEN_KEY}:times`

/** Two tabs of one origin, both holding the JWE that A logged in with (B got it on the channel). */
async function twoTabs({ delay = 200, lag } = {}) {
  const w = encryptedWorld({ bus: true, lag })
  w.server.delay = delay
  const a = tab(w, { name: 'A' })
  const b = tab(w, { name: 'B' })
  await a.session.login('alice', 'pw')
  await w.time.advance(100) // the channel's lag, if any
  assert.ok(isJwe(a.session.token))
  assert.equal(a.session.claims, null, 'the page cannot read it')
  assert.equal(b.session.token, a.session.token)
  return { ...w, a, b }
}

/** Both tabs hold the same token, timed alike, with the same times in their storage. */
function same(a, b) {
  assert.equal(b.session.token, a.session.token)
  assert.equal(b.session.timing.expiresAt, a.session.timing.expiresAt)
  assert.equal(b.session.timing.refreshAt, a.session.timing.refreshAt)
  assert.equal(b.storage.map.get(TOKEN_KEY), a.session.token)
  assert.match(a.storage.map.get(TIMES), /^\d+(\.\d+)? \d+(\.\d+)?$/)
  assert.equal(b.storage.map.get(TIMES), a.storage.map.get(TIMES))
}

const closeAll = (...tabs) => {
  for (const t of tabs) t.session.close()
}

describe('encrypted tokens across tabs: one refresh, the same token and times everywhere', () => {
  test('both tabs due at once: one refresh request; both end with the same new JWE and the same times', async () => {
    const { time, server, locks, a, b } = await twoTabs()
    const first = a.session.token
    same(a, b)
    await time.advance(a.session.timing.refreshAt - time.now)
    await time.advance(1000)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    assert.ok(isJwe(a.session.token) && a.session.token !== first)
    assert.ok(a.session.timing.expiresAt > time.now + 800_000, 'timed by the new answer')
    same(a, b)
    assert.ok(locks.grants.length >= 2, 'both took the lock')
    assert.deepEqual(a.log, ['change:login', 'change:refresh', 'refresh'])
    assert.deepEqual(b.log, ['change:broadcast', 'change:broadcast'])
    closeAll(a, b)
  })

  test('the lock granted before the new JWE arrives on the channel: the waiting tab waits for it, one refresh', async () => {
    const { time, server, a, b } = await twoTabs({ lag: { types: ['token', 'refreshed'], ms: 20 } })
    await time.advance(a.session.timing.refreshAt - time.now)
    await time.advance(1000)
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    same(a, b)
    closeAll(a, b)
  })

  test('100 getToken() in each tab after a sleep past expiry: one refresh, one JWE for all', async () => {
    const { time, server, a, b } = await twoTabs()
    time.sleep(20 * MIN)
    const all = Promise.all([
      ...Array.from({ length: 100 }, () => a.session.getToken()),
      ...Array.from({ length: 100 }, () => b.session.getToken()),
    ])
    await time.advance(1000)
    const tokens = await all
    assert.equal(new Set(tokens).size, 1)
    assert.ok(isJwe(tokens[0]))
    assert.equal(server.count('/auth/refresh'), 1)
    assert.equal(server.reuse, 0)
    same(a, b)
    closeAll(a, b)
  })
})

describe('encrypted tokens: a tab that starts later, and a copied tab', () => {
  test('a tab reloaded later takes the stored JWE with its stored times: no refresh, its own id kept', async () => {
    const w = await twoTabs({ delay: 0 })
    const { time, server, a, b } = w
    await time.advance(5 * MIN) // times counted from now would differ by 5 min
    const kept = new Map(b.storage.map)
    b.session.close()
    const again = tab(w, { name: 'B', storage: memoryStorage(kept) })
    assert.equal(again.session.token, a.session.token)
    assert.equal(again.session.timing.expiresAt, a.session.timing.expiresAt)
    assert.equal(again.session.timing.refreshAt, a.session.timing.refreshAt)
    await time.advance(200) // its handshake: nobody else has its id
    assert.equal(again.session.tab.duplicateOf, null)
    assert.equal(await again.session.resume(), true)
    assert.equal(await again.session.getToken(), a.session.token)
    assert.equal(server.count('/auth/refresh'), 0)
    same(a, again)
    closeAll(a, again)
  })

  test('a copied tab (sessionStorage with the tab id) handshakes and takes the token its parent sends, with its times', async () => {
    const w = encryptedWorld({ bus: true })
    const a = tab(w, { name: 'A' })
    await a.session.login('alice', 'pw')
    const copied = new Map(a.storage.map) // duplicated while the parent is about to refresh
    const old = a.session.token
    await w.time.advance(MIN)
    await a.session.refresh()
    assert.notEqual(a.session.token, old)
    const b = tab(w, { name: 'B', storage: memoryStorage(copied) })
    assert.equal(b.session.token, old, 'the copied token first')
    await w.time.flush()
    assert.equal(b.session.tab.duplicateOf, a.session.tab.id)
    assert.notEqual(b.storage.map.get(TAB_KEY), a.session.tab.id)
    same(a, b)
    assert.ok(b.log.includes('change:broadcast'))
    assert.equal(w.server.count('/auth/refresh'), 1, 'only the parent refreshed')
    closeAll(a, b)
  })

  test('a copy whose copied JWE is expired waits for its parent to refresh and adopts it: one refresh, by the parent', async () => {
    const w = encryptedWorld({ bus: true })
    w.server.delay = 300
    const a = tab(w, { name: 'A' })
    await a.session.login('alice', 'pw')
    w.time.sleep(20 * MIN) // the parent slept in the background; its token expired
    const b = tab(w, { name: 'B', storage: memoryStorage(a.storage.map) })
    const resumed = b.session.resume()
    await w.time.advance(1000)
    assert.equal(await resumed, true)
    assert.equal(w.server.count('/auth/refresh'), 1)
    assert.equal(w.server.count('/auth/refresh', 'A'), 1, 'the parent refreshed, the copy did not')
    assert.equal(w.server.reuse, 0)
    same(a, b)
    closeAll(a, b)
  })
})

describe('encrypted tokens: times that cannot be trusted are never used', () => {
  /** A stray member of the channel posting a `token` message (reason login: adopted after a logout too). */
  function post(bus, fields) {
    const stray = bus.open('jwt-wasm')
    stray.postMessage({ v: 1, type: 'token', from: 'stray', tab: 'x', skew: 0, reason: 'login', ...fields })
    stray.close()
  }

  test('a `token` message with a JWE but no usable iat/exp is ignored; with its times it is taken', async () => {
    const { time, bus, server, a, b } = await twoTabs({ delay: 0 })
    const held = b.session.token
    const { expiresAt, refreshAt } = b.session.timing
    const times = b.storage.map.get(TIMES)
    const iat = Math.floor(time.now / 1000)
    const cases = [
      {},
      { iat: null, exp: null },
      { iat },
      { exp: iat + 900 },
      { iat: String(iat), exp: String(iat + 900) },
      { iat: 'soon', exp: 'later' },
      { iat: Number.NaN, exp: Number.NaN },
      { iat: -Infinity, exp: Infinity },
    ]
    for (const fields of cases) {
      post(bus, { token: seal(server.mint()), ...fields })
      await time.flush()
      const what = JSON.stringify(fields)
      assert.equal(b.session.token, held, `not adopted: ${what}`)
      assert.deepEqual([b.session.timing.expiresAt, b.session.timing.refreshAt], [expiresAt, refreshAt], what)
      assert.equal(b.storage.map.get(TIMES), times, what)
    }
    assert.deepEqual(b.log, ['change:broadcast'])
    // The control: the same kind of message with times is taken, timed by them.
    const token = seal(server.mint())
    post(bus, { token, iat: iat + 1, exp: iat + 1 + 900 })
    await time.flush()
    assert.equal(b.session.token, token)
    assert.equal(b.session.timing.expiresAt, (iat + 1 + 900) * 1000)
    assert.equal(b.storage.map.get(TIMES), `${iat + 1} ${iat + 1 + 900}`)
    assert.equal(server.count('/auth/refresh'), 0)
    closeAll(a, b)
  })

  test('a `token` message whose exp is not after its iat is ignored (no token lives backwards)', async () => {
    const { time, bus, server, a, b } = await twoTabs({ delay: 0 })
    const held = b.session.token
    const times = b.storage.map.get(TIMES)
    const now = Math.floor(time.now / 1000)
    // A later iat would make it look newer than the token held; its exp would still be ahead.
    for (const [iat, exp] of [
      [now + 3600, now + 900],
      [now + 900, now + 900],
    ]) {
      post(bus, { token: seal(server.mint()), iat, exp })
      await time.flush()
      assert.equal(b.session.token, held, `iat ${iat}, exp ${exp}`)
      assert.equal(b.storage.map.get(TIMES), times)
    }
    assert.deepEqual(b.log, ['change:broadcast'])
    closeAll(a, b)
  })

  const BAD_TIMES = [
    ['missing', undefined],
    ['empty', ''],
    ['one number', '1767225600'],
    ['not numbers', 'soon later'],
    ['NaN', 'NaN NaN'],
    ['infinite', 'Infinity Infinity'],
    ['exp before iat', '1767229200 1767226500'],
    ['exp equal to iat', '1767226500 1767226500'],
  ]
  for (const [name, bad] of BAD_TIMES) {
    test(`stored times ${name}: the stored JWE is dropped, getToken() gives null, resume() refreshes once`, async () => {
      const w = await twoTabs({ delay: 0 })
      const { server, a, b } = w
      const kept = new Map(b.storage.map)
      if (bad === undefined) kept.delete(TIMES)
      else kept.set(TIMES, bad)
      b.session.close()
      const again = tab(w, { name: 'B', storage: memoryStorage(kept) })
      assert.equal(again.session.token, null, 'not used with times it cannot trust')
      assert.equal(again.session.timing, null)
      assert.equal(again.storage.map.has(TOKEN_KEY), false)
      assert.equal(await again.session.getToken(), null)
      assert.equal(server.count('/auth/refresh'), 0)
      const resumed = again.session.resume()
      await w.time.advance(1000)
      assert.equal(await resumed, true)
      assert.equal(server.count('/auth/refresh'), 1)
      assert.equal(server.reuse, 0)
      assert.ok(isJwe(again.session.token))
      assert.equal(await again.session.getToken(), again.session.token)
      const [iat, exp] = again.storage.map.get(TIMES).split(' ').map(Number)
      assert.ok(iat < exp)
      assert.equal(Math.round(exp * 1000 - again.session.timing.skew), again.session.timing.expiresAt)
      same(again, a) // the other tab took the new token
      closeAll(a, again)
    })
  }
})

describe('encrypted tokens: logout and expiry end every tab', () => {
  test('logout in one tab clears the JWE and its times in both', async () => {
    const { time, server, a, b } = await twoTabs({ delay: 0 })
    assert.ok(b.storage.map.has(TIMES))
    await a.session.logout()
    await time.flush()
    for (const t of [a, b]) {
      assert.equal(t.session.token, null)
      assert.equal(t.session.timing, null)
      assert.equal(await t.session.getToken(), null)
      assert.equal(t.storage.map.has(TOKEN_KEY), false, t.name)
      assert.equal(t.storage.map.has(TIMES), false, t.name)
    }
    assert.deepEqual(b.log, ['change:broadcast', 'change:logout', 'logout'])
    assert.equal(server.count('/auth/logout'), 1)
    closeAll(a, b)
  })

  test('invalid_grant on refresh in one tab ends the session in both (the expired message carries the JWE times)', async () => {
    const { time, server, a, b } = await twoTabs({ delay: 0 })
    server.refresh = () => json(400, { error: 'invalid_grant' })
    await time.advance(a.session.timing.refreshAt - time.now)
    await time.flush()
    assert.equal(server.count('/auth/refresh'), 1)
    for (const t of [a, b]) {
      assert.equal(t.session.token, null, t.name)
      assert.equal(t.storage.map.has(TOKEN_KEY), false, t.name)
      assert.equal(t.storage.map.has(TIMES), false, t.name)
    }
    assert.deepEqual(
      a.detail('expired').map((d) => d.reason),
      ['invalid_grant'],
    )
    assert.deepEqual(b.log, ['change:broadcast', 'change:expired', 'expired'])
    assert.equal(b.detail('expired')[0].reason, 'broadcast')
    closeAll(a, b)
  })
})
