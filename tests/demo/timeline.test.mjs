// The demo timeline's arithmetic (www/page/timeline-plot.js): the server's iat/exp and the
// client's times (logout, expiry, now) land in one clock, the server's, through the session's
// skew estimate in force when each event was recorded. Run by `make demo-check`.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { plot } from '../../www/page/timeline-plot.js'

// The server is 5 s ahead of this client: serverNow = clientNow + 5000 ms.
const S = 1_000_000 // server seconds at login
const client = (serverSeconds, skewMs) => serverSeconds * 1000 - skewMs

test('client times are moved into server time by the skew estimate', () => {
  const events = [
    { kind: 'login', at: client(S, 5000), clock: 5000, iat: S, exp: S + 30 },
    // A logout leaves the session without an estimate: the last one holds.
    { kind: 'logout', at: client(S + 20, 5000) },
  ]
  const p = plot(events, client(S + 40, 5000), 8)
  assert.ok(p)
  assert.deepEqual(p.ends, [{ kind: 'logout', t: S + 20 }])
  assert.equal(p.now, S + 40)
  assert.equal(p.start, S)
  assert.equal(p.end, S + 40, 'the axis reaches now, in server time')
  // Plotted against the raw client clock the logout would fall 5 s before it happened.
  assert.notEqual(p.ends[0].t, events[1].at / 1000)
})

test('each client time takes the estimate in force when it was recorded', () => {
  const events = [
    { kind: 'login', at: client(S, 5000), clock: 5000, iat: S, exp: S + 30 },
    { kind: 'refresh', at: client(S + 25, 2000), clock: 2000, skew: 2000, iat: S + 25, exp: S + 55, gen: 1 },
    { kind: 'expired', at: client(S + 50, 2000) },
    { kind: 'login', at: client(S + 60, -3000), clock: -3000, iat: S + 60, exp: S + 90 },
    { kind: 'logout', at: client(S + 70, -3000) },
  ]
  const p = plot(events, client(S + 100, -3000), 8)
  assert.ok(p)
  assert.deepEqual(p.ends, [
    { kind: 'expired', t: S + 50 },
    { kind: 'logout', t: S + 70 },
  ])
  assert.equal(p.now, S + 100)
  assert.deepEqual(
    p.tokens.map((t) => t.iat),
    [S, S + 25, S + 60],
  )
})

test('without any estimate the clocks are taken to agree; only the newest rows; ends before them dropped', () => {
  const events = [
    { kind: 'logout', at: (S - 10) * 1000 },
    { kind: 'login', at: S * 1000, iat: S, exp: S + 30 },
    { kind: 'login', at: (S + 40) * 1000, iat: S + 40, exp: S + 70 },
    { kind: 'replay', at: (S + 45) * 1000 },
  ]
  const p = plot(events, (S + 50) * 1000, 1)
  assert.ok(p)
  assert.deepEqual(
    p.tokens.map((t) => t.iat),
    [S + 40],
  )
  assert.deepEqual(p.ends, [{ kind: 'replay', t: S + 45 }])
  assert.equal(p.end, S + 70)
  assert.equal(plot([{ kind: 'logout', at: S * 1000 }], S * 1000, 8), null, 'no token: nothing to plot')
  assert.equal(plot([{ kind: 'login', at: S * 1000, enc: true }], S * 1000, 8), null, 'a JWE row without times')
})
