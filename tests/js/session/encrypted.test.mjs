// jwt-wasm/session with encrypted access tokens (JWE, issue 11): the session cannot read their
// claims, so their expiry comes from the token answer's `expires_in` (the edge always sends it),
// is kept beside the token in storage (a reload) and sent with it to other tabs; an encrypted
// token without `expires_in` is a clear, fatal error, never a token that is refreshed in a loop
// or never.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { T0, TOKEN_KEY, encryptedWorld, isJwe, memoryStorage, tab, world } from './harness.mjs'

describe('session: encrypted access tokens, timed by expires_in', () => {
  test('login: the JWE is held, its claims are null, its expiry is the answer expires_in', async () => {
    const w = encryptedWorld()
    const t = tab(w)
    assert.equal(await t.session.login('alice', 'pw'), null)
    assert.ok(isJwe(t.session.token))
    assert.equal(t.session.claims, null)
    assert.equal(t.session.timing.expiresAt, T0 + 900_000)
    assert.ok(t.session.timing.refreshAt < T0 + 900_000 && t.session.timing.refreshAt > T0)
    assert.deepEqual(t.log, ['change:login'])
    assert.equal(t.detail('change')[0].claims, null)
    assert.ok(!t.log.includes('warning:no_exp'))
    t.session.close()
  })

  test('it is refreshed at its refresh point like a JWS, and the next one is timed the same way', async () => {
    const w = encryptedWorld()
    const t = tab(w)
    await t.session.login('alice', 'pw')
    const first = t.session.token
    const { refreshAt } = t.session.timing
    await w.time.advance(refreshAt - T0 - 1)
    assert.equal(w.server.count('/auth/refresh'), 0)
    await w.time.advance(2)
    await w.time.flush()
    assert.equal(w.server.count('/auth/refresh'), 1)
    assert.ok(isJwe(t.session.token) && t.session.token !== first)
    assert.equal(t.session.timing.expiresAt, refreshAt + 900_000, 'sent at the refresh point')
    t.session.close()
  })

  test('the server clock ahead by 60 s (Date header): the expiry is on the server clock, shifted', async () => {
    const w = encryptedWorld()
    w.server.skew = 60_000
    const t = tab(w)
    await t.session.login('alice', 'pw')
    assert.equal(t.session.timing.skew, 60_000)
    assert.equal(t.session.timing.expiresAt, T0 + 900_000)
    t.session.close()
  })

  test('a reload restores the JWE with its times from storage; without them it is dropped', async () => {
    const w = encryptedWorld()
    const t = tab(w)
    await t.session.login('alice', 'pw')
    const { token, timing } = t.session
    assert.match(t.storage.map.get(`${TOKEN_KEY}:times`), /^\d+(\.\d+)? \d+(\.\d+)?$/)
    t.session.close()
    const again = tab(w, { storage: memoryStorage(t.storage.map) })
    assert.equal(again.session.token, token)
    assert.equal(again.session.timing.expiresAt, timing.expiresAt)
    again.session.close()
    const lost = memoryStorage(t.storage.map)
    lost.map.delete(`${TOKEN_KEY}:times`)
    const blind = tab(w, { storage: lost })
    assert.equal(blind.session.token, null, 'a JWE whose expiry is unknown is never used')
    assert.equal(lost.map.get(TOKEN_KEY), undefined)
    blind.session.close()
  })

  test('another tab adopts the JWE with the times its message carries', async () => {
    const w = encryptedWorld({ bus: true })
    const a = tab(w, { name: 'A' })
    const b = tab(w, { name: 'B' })
    await a.session.login('alice', 'pw')
    await w.time.flush()
    assert.equal(b.session.token, a.session.token)
    assert.equal(b.session.timing.expiresAt, a.session.timing.expiresAt)
    assert.ok(b.log.includes('change:broadcast'))
    assert.equal(b.storage.map.get(`${TOKEN_KEY}:times`), a.storage.map.get(`${TOKEN_KEY}:times`))
    a.session.close()
    b.session.close()
  })

  test('a JWE answer without expires_in: login fails at once with a clear bad_response', async () => {
    const w = encryptedWorld({ without: true })
    const t = tab(w)
    await assert.rejects(t.session.login('alice', 'pw'), (e) => {
      assert.equal(e.code, 'ERR_SESSION_LOGIN_FAILED')
      assert.equal(e.reason, 'bad_response')
      assert.match(e.message, /encrypted.*expires_in/)
      return true
    })
    assert.equal(t.session.token, null)
    assert.equal(w.server.count('/auth/login'), 1, 'not retried')
    t.session.close()
  })

  test('a JWS keeps no times in storage (its own exp rules)', async () => {
    const w = world()
    const t = tab(w)
    await t.session.login('alice', 'pw')
    assert.equal(t.storage.map.get(`${TOKEN_KEY}:times`), undefined)
    t.session.close()
  })
})
