// The token's anatomy, as a debugger shows it: the encoded token with header, payload and
// signature in their colours, the decoded header and payload side by side, iat/nbf/exp as dates
// and as "in 23 s", a live expiry bar, and inspect's warnings in words. Nothing is verified here.
// An encrypted token (JWE) shows its five segments, its protected header and no claims: the page
// cannot read them; its expiry is the session's (the token answer's expires_in).
import { inspect } from 'jwt-wasm/claims'

const $ = (id) => document.getElementById(id)

const WARNINGS = {
  no_exp: 'It has no exp: it would be valid forever.',
  long_lifetime: 'It lives long (exp − iat is large): a stolen copy stays useful for that long.',
  alg_none: 'Its header says alg "none": it is not signed at all.',
  personal_data: 'It carries claims that look like personal data, readable by anyone holding it.',
}

/** "in 23 s", "12 s ago", "in 4 min". */
export function relative(seconds) {
  const n = Math.round(Math.abs(seconds))
  const text = n < 120 ? `${n} s` : n < 7200 ? `${Math.round(n / 60)} min` : `${Math.round(n / 3600)} h`
  return seconds >= 0 ? `in ${text}` : `${text} ago`
}

const JWE_WARNINGS = [
  'inspect says encrypted: true: the claims are ciphertext (A256GCM, under a fresh key wrapped with A256KW); this page sees only the protected header.',
  'Its expiry comes from the token answer’s expires_in, which the session keeps beside the token.',
  'Only the edge, which holds the key, reads the claims. A stolen copy can still be replayed until it expires: encryption hides, it does not bind.',
]

// Each segment's colour class and name: a JWS has three, a JWE five.
const SEGMENTS = {
  jws: [
    ['seg-h', 'header'],
    ['seg-p', 'payload'],
    ['seg-s', 'signature'],
  ],
  jwe: [
    ['seg-h', 'protected header'],
    ['seg-k', 'encrypted key'],
    ['seg-iv', 'IV'],
    ['seg-c', 'ciphertext'],
    ['seg-t', 'tag'],
  ],
}

function coloured(box, parts, kinds, separator) {
  box.replaceChildren()
  parts.forEach((part, i) => {
    if (i > 0) box.append(separator)
    const span = document.createElement('span')
    span.className = kinds[i]?.[0] ?? 'seg-s'
    span.title = kinds[i]?.[1] ?? ''
    span.textContent = part
    box.append(span)
  })
}

function segments(token, kind) {
  coloured($('encoded'), token.split('.'), SEGMENTS[kind], '.')
  coloured(
    $('legend'),
    SEGMENTS[kind].map(([, name]) => name),
    SEGMENTS[kind],
    ' . ',
  )
}

function times(info, now) {
  const rows = $('times')
  rows.replaceChildren()
  for (const name of ['iat', 'nbf', 'exp']) {
    const t = info[name]
    if (t === undefined) continue
    const tr = document.createElement('tr')
    for (const text of [name, new Date(t * 1000).toLocaleString(), relative(t - now)]) {
      const td = document.createElement('td')
      td.textContent = text
      tr.append(td)
    }
    rows.append(tr)
  }
}

/** An encrypted token's times, in client seconds: exp from the session's timing, when known. */
const sealedTimes = (timing) => (timing ? { exp: timing.expiresAt / 1000 } : {})
// When the page first held each encrypted token (its lifetime, for the bar, starts about then).
let held = { token: '', at: 0 }

/**
 * Renders the anatomy of `token`, or clears it.
 * @param {string | null} token
 * @param {{ expiresAt: number } | null} [timing] the session's (client ms): an encrypted token's expiry
 */
export function showAnatomy(token, timing) {
  $('anatomy').hidden = !token
  if (!token) return
  let info
  try {
    info = inspect(token)
  } catch (e) {
    $('warnings').textContent = `The page cannot read this token (${e.code ?? e.message}).`
    return
  }
  const sealed = info.encrypted === true
  segments(token, sealed ? 'jwe' : 'jws')
  $('header-title').textContent = sealed ? 'Protected header' : 'Header'
  $('payload-title').textContent = sealed ? 'Claims' : 'Payload'
  $('header-json').textContent = JSON.stringify(info.header, null, 2)
  $('payload-json').textContent = sealed
    ? 'Encrypted: this page cannot read them (inspect gives encrypted: true and the protected header only). The edge decrypts them and verifies the signed token inside.'
    : JSON.stringify(info.payload, null, 2)
  $('payload-json').classList.toggle('sealed', sealed)
  times(sealed ? sealedTimes(timing) : info, Date.now() / 1000)
  const list = $('warnings')
  list.replaceChildren()
  const words = sealed ? [...JWE_WARNINGS] : info.warnings.map((w) => WARNINGS[w] ?? w)
  if (!sealed && info.personalData.length === 0)
    words.push('No claim looks like personal data: sub is an opaque random id.')
  for (const text of words) {
    const li = document.createElement('li')
    li.textContent = text
    list.append(li)
  }
  tick(token, timing)
}

/**
 * The live part: the expiry bar and the countdown (called every half second).
 * @param {string | null} token
 * @param {{ expiresAt: number } | null} [timing]
 */
export function tick(token, timing) {
  if (!token) return
  const now = Date.now() / 1000
  let info = inspect(token)
  if (info.encrypted) {
    if (held.token !== token) held = { token, at: now }
    const exp = timing ? timing.expiresAt / 1000 : undefined
    info = { ...sealedTimes(timing), expiresIn: exp === undefined ? undefined : exp - now, lifetime: exp - held.at }
  }
  const left = Math.max(0, info.expiresIn ?? 0)
  const share = info.lifetime ? Math.min(1, left / info.lifetime) : 0
  $('expiry-fill').style.width = `${(share * 100).toFixed(1)}%`
  $('expiry-fill').className = share < 0.2 ? 'low' : ''
  $('countdown').textContent = info.expiresIn === undefined ? 'never' : relative(left)
  times(info, now)
}
