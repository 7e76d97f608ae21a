// jwt-wasm/session: login and logout, and the events they fire, in order. The requests sent
// (JSON, CSRF header), the login failures as SessionError, a logout whose endpoint fails.
import { test, describe } from 'node:test'
import assert from 'node:assert/strict'
import { SessionError } from 'jwt-wasm/session'
import { TOKEN_KEY, json, tab, world, loggedIn } from './harness.mjs'

// ================================================================ login, logout, events

describe('login, logout and the order of events', () => {
  test('login → refresh → logout: change:login, change:refresh, refresh, change:logout, logout', async () => {
    const w = world()
    const t = tab(w)
    const claims = await t.session.login('alice', 'correct horse')
    assert.equal(claims.sub, 'u1')
    assert.deepEqual(t.session.claims, claims)
    await w.time.advance(837_500)
    const result = await t.session.logout()
    assert.deepEqual(result, { revoked: true })
    assert.deepEqual(t.log, ['change:login', 'change:refresh', 'refresh', 'change:logout', 'logout'])
    assert.deepEqual(
      t.details.map((d) => (d.detail.token === undefined ? d.type : typeof d.detail.token)),
      ['string', 'string', 'string', 'object', 'logout'],
    )
    assert.deepEqual(t.detail('logout'), [{ source: 'local', revoked: true }])
    assert.equal(t.session.token, null)
    assert.equal(t.storage.map.has(TOKEN_KEY), false)
    t.session.close()
  })

  test('the login request: JSON { login, password }, the CSRF header; refresh and logout: POST, the CSRF header, no body', async () => {
    const w = world()
    const t = tab(w)
    await t.session.login('alice', 'pw')
    await t.session.refresh()
    await t.session.logout()
    const [login, refresh, logout] = w.server.calls
    assert.equal(login.method, 'POST')
    assert.equal(login.headers['content-type'], 'application/json')
    assert.deepEqual(JSON.parse(login.body), { login: 'alice', password: 'pw' })
    for (const c of [login, refresh, logout]) assert.equal(c.headers['x-requested-with'], 'jwt-wasm')
    assert.deepEqual([refresh.method, refresh.body, logout.method, logout.body], ['POST', '', 'POST', ''])
    t.session.close()
  })

  test("login refused: 400 invalid_grant (authRoutes, RFC 6749 §5.2) and 401 both read as 'the login was refused'", async () => {
    const w = world()
    const t = tab(w)
    const refused = (status) => (e) =>
      e instanceof SessionError &&
      e.code === 'ERR_SESSION_LOGIN_FAILED' &&
      e.message === 'the login was refused' &&
      e.status === status &&
      e.error === 'invalid_grant'
    w.server.login = () => json(400, { error: 'invalid_grant' })
    await assert.rejects(t.session.login('alice', 'wrong'), refused(400))
    w.server.login = () => json(401, { error: 'invalid_grant' })
    await assert.rejects(t.session.login('alice', 'wrong'), refused(401))
    w.server.login = () => json(400, { error: 'invalid_request' })
    await assert.rejects(
      t.session.login('alice', 'wrong'),
      (e) => e.message === 'the login failed' && e.status === 400 && e.error === 'invalid_request',
    )
    t.session.close()
  })

  test('login refused (401), throttled (429), unreachable: SessionError ERR_SESSION_LOGIN_FAILED with status', async () => {
    const w = world()
    const t = tab(w)
    w.server.login = () => json(401, { error: 'invalid_grant' })
    await assert.rejects(
      t.session.login('alice', 'wrong'),
      (e) =>
        e instanceof SessionError &&
        e.code === 'ERR_SESSION_LOGIN_FAILED' &&
        e.status === 401 &&
        e.error === 'invalid_grant',
    )
    w.server.login = () => json(429, { error: 'too_many_requests' }, { 'retry-after': '900' })
    await assert.rejects(t.session.login('alice', 'wrong'), (e) => e.status === 429 && e.retryAfter === 900)
    w.server.login = () => {
      throw new TypeError('fetch failed')
    }
    await assert.rejects(
      t.session.login('alice', 'pw'),
      (e) => e.code === 'ERR_SESSION_LOGIN_FAILED' && e.status === 0 && e.reason === 'network',
    )
    assert.equal(t.session.token, null)
    assert.deepEqual(t.log, [])
    t.session.close()
  })

  test('logout when the endpoint fails: the local session ends anyway; revoked false and an error event', async () => {
    const { server, session, log, detail } = await loggedIn()
    server.logout = () => json(503, { error: 'temporarily_unavailable' })
    assert.deepEqual(await session.logout(), { revoked: false })
    assert.equal(session.token, null)
    assert.deepEqual(log, ['change:login', 'change:logout', 'logout', 'error'])
    assert.equal(detail('error')[0].error.code, 'ERR_SESSION_LOGOUT_FAILED')
    assert.equal(detail('error')[0].error.status, 503)
    assert.equal(await session.resume(), false, 'no silent log-in again after a logout')
    session.close()
  })
})
