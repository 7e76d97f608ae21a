// The demo page: logs in through the demo Worker, keeps the session with jwt-wasm/session,
// shows the token's anatomy with the same wasm core, and calls a guarded API (also tampered).
import { inspect, JwtError } from 'jwt-wasm/claims'
import { createSession } from 'jwt-wasm/session'

const $ = (id) => document.getElementById(id)
const session = createSession({})
const log = (text) => {
  const li = document.createElement('li')
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`
  $('timeline').prepend(li)
}
for (const type of ['change', 'refresh', 'expired', 'logout', 'error', 'warning']) {
  session.addEventListener(type, (e) => {
    if (type !== 'change') log(`${type}${e.detail?.reason ? `: ${e.detail.reason}` : ''}`)
    render()
  })
}

// The token carries an opaque id only; the login name shown is the one typed in this tab.
const LOGIN_KEY = 'jwt-wasm-demo:login'
function render() {
  const token = session.token
  if (!token) sessionStorage.removeItem(LOGIN_KEY)
  const name = sessionStorage.getItem(LOGIN_KEY)
  $('status').textContent = token ? `Logged in as ${name ?? session.claims?.sub}.` : 'Not logged in.'
  $('login-box').hidden = Boolean(token)
  $('session-box').hidden = !token
  if (!token) return
  try {
    const i = inspect(token)
    $('anatomy').textContent = JSON.stringify(
      {
        header: i.header,
        payload: i.payload,
        expiresIn: i.expiresIn,
        lifetime: i.lifetime,
        warnings: i.warnings,
        personalData: i.personalData,
      },
      null,
      2,
    )
  } catch (e) {
    $('anatomy').textContent = e instanceof JwtError ? e.code : String(e)
  }
}

setInterval(() => {
  const token = session.token
  if (!token) return
  const { expiresIn } = inspect(token)
  $('countdown').textContent = expiresIn === undefined ? 'never' : `${Math.max(0, expiresIn).toFixed(0)} s`
}, 500)

$('login').addEventListener('submit', async (e) => {
  e.preventDefault()
  const form = new FormData(e.target)
  $('login-error').textContent = ''
  try {
    await session.login(String(form.get('login')), String(form.get('password')))
    sessionStorage.setItem(LOGIN_KEY, String(form.get('login')))
    log('logged in')
  } catch (err) {
    $('login-error').textContent = `Login failed: ${err.code ?? err.message}`
  }
  render()
})

async function call(token) {
  const res = token
    ? await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })
    : await session.fetch('/api/me')
  const body = await res.text()
  $('api').textContent = `${res.status} ${res.headers.get('www-authenticate') ?? ''} ${body}`
  $('api').className = `verdict ${res.ok ? 'ok' : 'bad'}`
}
$('call').addEventListener('click', () => call())
$('logout').addEventListener('click', async () => {
  await session.logout()
  render()
})

const b64u = (s) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const unb64u = (s) => atob(s.replace(/-/g, '+').replace(/_/g, '/'))
const tamper = {
  payload: ([h, p, s]) => [h, b64u(unb64u(p).replace(/"sub":"[^"]*"/, '"sub":"admin"')), s],
  signature: ([h, p, s]) => [h, p, (s[0] === 'A' ? 'E' : 'A') + s.slice(1)],
  none: ([, p]) => [b64u('{"alg":"none","typ":"JWT"}'), p, ''],
  padding: ([h, p, s]) => [h, p + '=', s],
  duplicate: ([h, p, s]) => [h, b64u(unb64u(p).replace(/^\{/, '{"sub":"admin",')), s],
}
for (const b of document.querySelectorAll('[data-tamper]')) {
  b.addEventListener('click', async () => {
    const token = await session.getToken()
    if (token) await call(tamper[b.dataset.tamper](token.split('.')).join('.'))
  })
}

await session.resume()
render()
