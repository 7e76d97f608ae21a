// The demo page: logs in through the demo Worker, keeps the session with jwt-wasm/session,
// shows the token's anatomy (anatomy.js), the attack cards (attacks.js) and the timeline
// (timeline.js), and calls the guarded API. The switch "encrypt access tokens" logs in through
// the Worker's /auth-jwe/* routes instead: a session of its own, whose tokens the page cannot read.
import { inspect } from 'jwt-wasm/claims'
import { createSession } from 'jwt-wasm/session'
import { showAnatomy, tick } from './anatomy.js'
import { ATTACKS, JWE_ATTACKS, challenge, runAttack } from './attacks.js'
import { draw, generation, record as recordAt } from './timeline.js'

const $ = (id) => document.getElementById(id)

// The two kinds of login, each its own session (routes, storage keys, tab channel, lock, and the
// Worker's refresh cookie), so that a tab of one never adopts a token of the other.
const MODES = {
  jws: {
    options: {},
    api: '/api/me',
    cookie: 'refreshCookie',
    words: 'Access tokens are signed (JWS, HS256): this page can read their claims.',
  },
  jwe: {
    options: {
      loginUrl: '/auth-jwe/login',
      refreshUrl: '/auth-jwe/refresh',
      logoutUrl: '/auth-jwe/logout',
      keyPrefix: 'jwt-wasm-jwe:',
      channelName: 'jwt-wasm-jwe',
      lockName: 'jwt-wasm-jwe:refresh',
    },
    api: '/api-jwe/me',
    cookie: 'jweRefreshCookie',
    words: 'Access tokens are encrypted (JWE: A256KW, A256GCM): this page cannot read their claims.',
  },
}
const MODE_KEY = 'jwt-wasm-demo:mode'
let mode = 'jws'
let session

// A token's times for the timeline (server seconds). An encrypted one's are the session's, from
// the token answer's expires_in: exp, and iat as now (when it arrived).
function times(token, timing = session.timing) {
  const info = inspect(token)
  if (!info.encrypted) return { iat: info.iat, exp: info.exp }
  if (!timing) return { enc: true }
  const server = (ms) => Math.round((ms + timing.skew) / 1000)
  return { iat: server(Date.now()), exp: server(timing.expiresAt), enc: true }
}

// A timeline event, with the session's skew estimate now (the timeline plots in server time).
const record = (event) => recordAt(event, session?.timing?.skew)

/** Starts the session of `next` ('jws' or 'jwe'), closing the current one (logged out: the switch is on the login form). */
function open(next) {
  session?.close()
  mode = next
  sessionStorage.setItem(MODE_KEY, next)
  $('encrypt').checked = next === 'jwe'
  const s = createSession(MODES[next].options)
  session = s
  s.addEventListener('change', (e) => {
    if (e.detail.reason === 'login') record({ kind: 'login', ...times(e.detail.token) })
    if (e.detail.reason === 'broadcast' && e.detail.token)
      record({ kind: 'other tab', gen: generation() + 1, ...times(e.detail.token) })
    render()
  })
  s.addEventListener('refresh', (e) =>
    record({ kind: 'refresh', gen: generation() + 1, skew: e.detail.skew, ...times(e.detail.token, e.detail) }),
  )
  s.addEventListener('expired', (e) => {
    record({ kind: 'expired' })
    $('status-note').textContent =
      e.detail.reason === 'broadcast'
        ? 'The session ended in another tab.'
        : 'The session ended: the edge refused the refresh token.'
  })
  s.addEventListener('logout', () => record({ kind: 'logout' }))
}

// Which refresh cookies the browser holds (not whether they are valid): a cold load resumes only then.
const cookies = () =>
  fetch('/api/session')
    .then((r) => r.json())
    .catch(() => ({}))
const resumeIfHeld = async (held) => {
  if (session.token || held[MODES[mode].cookie]) await session.resume()
}

// The token carries an opaque id only; the login name shown is the one typed in this tab.
const LOGIN_KEY = 'jwt-wasm-demo:login'
function render() {
  const token = session.token
  if (!token) sessionStorage.removeItem(LOGIN_KEY)
  const name = sessionStorage.getItem(LOGIN_KEY)
  $('status').textContent = token ? `Logged in as ${name ?? 'demo'}.` : 'Not logged in.'
  $('login-box').hidden = Boolean(token)
  $('session-box').hidden = !token
  $('attacks').hidden = !token
  $('token-kind').textContent = MODES[mode].words
  $('call').textContent = `Call ${MODES[mode].api}`
  $('cards').hidden = mode !== 'jws'
  $('jwe-cards').hidden = mode !== 'jwe'
  showAnatomy(token, session.timing)
  draw()
}
setInterval(() => {
  if (!session) return
  tick(session.token, session.timing)
  draw()
}, 500)

// Friendly words for what a login can answer.
function loginMessage(err) {
  if (err?.status === 400) return 'Wrong login or password.'
  if (err?.status === 429) return `Too many attempts: wait ${err.retryAfter ?? 'a few'} seconds and try again.`
  if (err?.status >= 500) return 'The server failed; try again.'
  return 'The server did not answer; is `make demo` still running?'
}
$('login').addEventListener('submit', async (e) => {
  e.preventDefault()
  const form = new FormData(e.target)
  $('login-error').textContent = ''
  $('status-note').textContent = ''
  try {
    await session.login(String(form.get('login')), String(form.get('password')))
    sessionStorage.setItem(LOGIN_KEY, String(form.get('login')))
    $('api').textContent = '–' // no answer of an earlier login stays on show
    $('api').className = 'verdict'
  } catch (err) {
    $('login-error').textContent = loginMessage(err)
  }
  render()
})

$('call').addEventListener('click', async () => {
  const res = await session.fetch(MODES[mode].api)
  const body = await res.json().catch(() => ({}))
  const c = challenge(res.headers.get('www-authenticate'))
  $('api').textContent = res.ok ? `${res.status}: you are ${body.sub}` : `${res.status} ${c.error}: ${c.description}`
  $('api').className = `verdict ${res.ok ? 'ok' : 'bad'}`
})
$('logout').addEventListener('click', async () => {
  await session.logout()
  render()
})

// The cards, built from attacks.js; each shows the answer and whether it is the expected one.
function card(title, why, expect) {
  const li = document.createElement('li')
  li.className = 'card'
  const [status, error, description] = expect
  li.innerHTML =
    '<h3></h3><p class="why"></p><p class="expect"></p><button>Send</button><p class="answer" role="status"></p>'
  li.querySelector('h3').textContent = title
  li.querySelector('.why').textContent = why
  li.querySelector('.expect').textContent = `Expected: ${status}${error ? ` ${error}` : ' (a bare challenge)'}`
  li.dataset.expect = JSON.stringify({ status, error, description })
  return li
}
function showAnswer(li, got, expect) {
  const [status, error, description] = expect
  const ok = got.status === status && got.error === error && got.description === description
  const out = li.querySelector('.answer')
  const words = got.error
    ? `${got.error}: ${got.description}${got.scope ? ` (scope="${got.scope}")` : ''}`
    : got.wwwAuthenticate
  out.textContent = `${ok ? '✓' : '✗'} ${got.status} ${words}`
  out.className = `answer ${ok ? 'ok' : 'bad'}`
  li.dataset.got = JSON.stringify({ status: got.status, error: got.error, description: got.description })
}
for (const [list, attacks] of [
  ['cards', ATTACKS],
  ['jwe-cards', JWE_ATTACKS],
]) {
  for (const attack of attacks) {
    const li = card(attack.title, attack.why, attack.expect)
    li.dataset.attack = attack.id
    li.querySelector('button').addEventListener('click', async () => {
      const token = await session.getToken()
      if (token) showAnswer(li, await runAttack(attack, token), attack.expect)
    })
    $(list).append(li)
  }
}
// The replay card: the refresh token is an HttpOnly cookie the page cannot read, so the demo
// Worker replays it (demo-routes.js); then this tab's refresh shows the family is revoked.
const REPLAY = [400, 'invalid_grant', 'the whole family is revoked']
const replay = card(
  'Refresh-token replay',
  'A refresh token two rotations old is presented again, as a thief’s copy would be: the edge revokes the whole family, and every tab is logged out.',
  REPLAY,
)
replay.dataset.attack = 'replay'
replay.querySelector('button').addEventListener('click', async () => {
  const res = await fetch('/demo/replay', { method: 'POST', headers: { 'x-requested-with': 'fetch' } })
  const body = await res.json().catch(() => ({}))
  record({ kind: 'replay' })
  const got = { status: res.status, error: body.error ?? '', description: 'the whole family is revoked' }
  showAnswer(replay, got, REPLAY)
  await session.refresh().catch(() => {}) // refused: the session ends here and in every tab
  render()
})
$('cards').append(replay)

// The switch, on the login form: the other kind of session (resumed if its cookie is held).
$('encrypt').addEventListener('change', async (e) => {
  open(e.target.checked ? 'jwe' : 'jws')
  render()
  await resumeIfHeld(await cookies())
  render()
})

// A cold load without a refresh cookie does not try a refresh that must fail (and log a 400).
// The kind of session is this tab's last choice, else the one whose cookie the browser holds.
const held = await cookies()
const chosen = sessionStorage.getItem(MODE_KEY)
open(chosen === 'jwe' || chosen === 'jws' ? chosen : held.jweRefreshCookie && !held.refreshCookie ? 'jwe' : 'jws')
await resumeIfHeld(held)
render()
