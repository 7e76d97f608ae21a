// The session tests' tabs and worlds, over the shared fake environment (../support/fake-env.mjs):
// a world is one clock, one auth server and, when asked, shared Web Locks and a channel bus; a tab
// is a session with its own storage and page events in it, its events logged in order. An
// encrypted world's server answers opaque JWE access tokens (issue 11).
import { createCipheriv, randomBytes } from 'node:crypto'
import { Signer } from 'jwt-wasm'
import { createSession } from 'jwt-wasm/session'
import {
  fakeTime,
  fakeAuthServer,
  fakeLocks,
  channelBus,
  memoryStorage,
  pageEvents,
  json,
} from '../support/fake-env.mjs'

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

const CEK = new Uint8Array(32).fill(9)
const JWE_HEADER = Buffer.from('{"alg":"dir","enc":"A256GCM","cty":"JWT"}').toString('base64url')
/**
 * A nested JWE of a signed token, as `authRoutes({ encrypt })` mints them (RFC 7516 §5.1 with
 * node:crypto, synchronously: the fake clock's flush never races a crypto promise).
 */
export function seal(jws) {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', CEK, iv).setAAD(Buffer.from(JWE_HEADER))
  const ct = Buffer.concat([cipher.update(jws), cipher.final()])
  return [JWE_HEADER, '', iv, ct, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

/** A world (see `world`) whose auth server answers encrypted access tokens (`expires_in` unless `without`). */
export function encryptedWorld({ without = false, ...options } = {}) {
  const w = world(options)
  const s = w.server
  s.tokenAnswer = (token = s.mint()) =>
    json(
      200,
      { access_token: seal(token), token_type: 'Bearer', ...(without ? {} : { expires_in: s.ttl }) },
      s.dateHeader(),
    )
  return w
}

/** Five segments: a JWE compact token. */
export const isJwe = (t) => typeof t === 'string' && t.split('.').length === 5
