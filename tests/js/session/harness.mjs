// The session tests' tabs and worlds, over the shared fake environment (../support/fake-env.mjs):
// a world is one clock, one auth server and, when asked, shared Web Locks and a channel bus; a tab
// is a session with its own storage and page events in it, its events logged in order.
import { Signer } from 'jwt-wasm'
import { createSession } from 'jwt-wasm/session'
import { fakeTime, fakeAuthServer, fakeLocks, channelBus, memoryStorage, pageEvents } from '../support/fake-env.mjs'

export { T0, json, memoryStorage, fakeLocks } from '../support/fake-env.mjs'

export const ORIGIN = 'https://app.example'
export const KEY = { kid: 'at-1', alg: 'HS256', secret: 'session-test-secret-0123456789-abcdef' }
export const signer = new Signer({ key: KEY, jti: true }) // like the edge: two tokens minted in one second differ
export const TOKEN_KEY = 'jwt-wasm:access_token'
export const TAB_KEY = 'jwt-wasm:tab'
export const MIN = 60_000

const EVENTS = ['change', 'refresh', 'expired', 'logout', 'error', 'warning']

/** One tab: a session with its own storage and page events, sharing time/server/locks/bus. */
export function tab(shared, { name = 'A', storage, options = {} } = {}) {
  const events = pageEvents()
  const store = storage ?? memoryStorage()
  const log = []
  const details = []
  const session = createSession({
    clock: shared.time.clock,
    timers: shared.time.timers,
    fetch: shared.server.fetchFor(name),
    storage: store,
    locks: shared.locks,
    channel: shared.bus ? shared.bus.open : null,
    events,
    random: () => 0.5,
    apiOrigins: [ORIGIN],
    ...options,
  })
  for (const type of EVENTS) {
    session.addEventListener(type, (e) => {
      log.push(type === 'change' ? `change:${e.detail.reason}` : type === 'warning' ? `warning:${e.detail.code}` : type)
      details.push({ type, detail: e.detail })
    })
  }
  return {
    name,
    session,
    storage: store,
    events,
    log,
    details,
    detail: (type) => details.filter((d) => d.type === type).map((d) => d.detail),
  }
}

export function world({ locks = true, bus = false, lag } = {}) {
  const time = fakeTime()
  const server = fakeAuthServer(time, { signer, origin: ORIGIN })
  return {
    time,
    server,
    locks: locks ? fakeLocks() : null,
    bus: bus ? channelBus(lag && { ...lag, timers: time.timers }) : null,
  }
}

/** One tab in its own world, logged in at T0 (server clock = client clock unless `skew`). */
export async function loggedIn({ skew = 0, options = {}, storage, w = world() } = {}) {
  w.server.skew = skew
  const t = tab(w, { options, storage })
  await t.session.login('alice', 'pw')
  return { ...w, ...t }
}

/** A token's `exp`, read without verifying. */
export const exp = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp
