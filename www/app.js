// The demo page: mint with a demo key, verify and inspect with the same wasm core, tamper.
import { Verifier, Signer, inspect, JwtError, ready } from './pkg/entry-browser.js'

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id))
const tokenBox = /** @type {HTMLTextAreaElement} */ ($('token'))

// A demo key, generated per page load. A real app never holds an HMAC secret in the browser.
const secret = crypto.getRandomValues(new Uint8Array(32))
await ready
let signer, verifier
try {
  signer = new Signer({ key: { kid: 'demo', alg: 'HS256', secret }, jti: true })
  verifier = new Verifier({ keys: [{ kid: 'demo', alg: 'HS256', secret }], algorithms: ['HS256'], audience: 'demo' })
  $('status').textContent = 'Ready: the wasm core is loaded.'
} catch (e) {
  $('status').textContent = `Could not load the wasm core: ${e.cause ?? e}`
  throw e
}

const b64u = (s) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const unb64u = (s) => atob(s.replace(/-/g, '+').replace(/_/g, '/'))

function mint() {
  const claims = { sub: /** @type {HTMLInputElement} */ ($('sub')).value, aud: 'demo' }
  if (/** @type {HTMLInputElement} */ ($('email')).checked) claims.email = 'someone@example.com'
  tokenBox.value = signer.sign(claims, { ttl: Number(/** @type {HTMLInputElement} */ ($('ttl')).value) || 30 })
  render()
}

const tamper = {
  payload: ([h, p, s]) => [h, b64u(unb64u(p).replace(/"sub":"[^"]*"/, '"sub":"admin"')), s],
  signature: ([h, p, s]) => [h, p, (s[0] === 'A' ? 'B' : 'A') + s.slice(1)],
  none: ([, p]) => [b64u('{"alg":"none","typ":"JWT"}'), p, ''],
  padding: ([h, p, s]) => [h, p + '=', s],
  duplicate: ([h, p, s]) => [h, b64u(unb64u(p).replace(/^\{/, '{"sub":"admin",')), s],
}

function render() {
  const token = tokenBox.value.trim()
  const verdict = $('verdict')
  if (!token) {
    verdict.textContent = '–'
    $('anatomy').textContent = '–'
    return
  }
  try {
    const { payload } = verifier.verify(token)
    verdict.textContent = `Valid: sub = ${payload.sub}`
    verdict.className = 'verdict ok'
  } catch (e) {
    if (!(e instanceof JwtError)) throw e
    verdict.textContent = `Rejected: ${e.code}${e.claim ? ` (claim ${e.claim}, ${e.reason})` : ''}`
    verdict.className = 'verdict bad'
  }
  try {
    const i = inspect(token)
    $('anatomy').textContent = JSON.stringify(
      { header: i.header, payload: i.payload, expiresIn: i.expiresIn, lifetime: i.lifetime, warnings: i.warnings, personalData: i.personalData },
      null,
      2,
    )
  } catch (e) {
    $('anatomy').textContent = e instanceof JwtError ? `Not even decodable: ${e.code}` : String(e)
  }
}

function tick() {
  const token = tokenBox.value.trim()
  let text = '–'
  try {
    if (token) {
      const { expiresIn } = inspect(token)
      text = expiresIn === undefined ? 'never (no exp!)' : expiresIn > 0 ? `${expiresIn.toFixed(0)} s` : 'expired'
    }
  } catch {
    text = '–'
  }
  $('countdown').textContent = text
}

$('mint').addEventListener('click', mint)
tokenBox.addEventListener('input', render)
for (const b of document.querySelectorAll('[data-tamper]')) {
  b.addEventListener('click', () => {
    const parts = tokenBox.value.trim().split('.')
    if (parts.length !== 3) return
    tokenBox.value = tamper[/** @type {HTMLElement} */ (b).dataset.tamper](parts).join('.')
    render()
  })
}
setInterval(() => {
  tick()
  render()
}, 1000)
mint()
