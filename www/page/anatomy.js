// The token's anatomy, as a debugger shows it: the encoded token with header, payload and
// signature in their colours, the decoded header and payload side by side, iat/nbf/exp as dates
// and as "in 23 s", a live expiry bar, and inspect's warnings in words. Nothing is verified here.
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

function segments(token) {
  const box = $('encoded')
  box.replaceChildren()
  token.split('.').forEach((part, i) => {
    if (i > 0) box.append('.')
    const span = document.createElement('span')
    span.className = ['seg-h', 'seg-p', 'seg-s'][i] ?? 'seg-s'
    span.textContent = part
    box.append(span)
  })
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

/** Renders the anatomy of `token`, or clears it. */
export function showAnatomy(token) {
  $('anatomy').hidden = !token
  if (!token) return
  let info
  try {
    info = inspect(token)
  } catch (e) {
    $('warnings').textContent = `The page cannot read this token (${e.code ?? e.message}).`
    return
  }
  segments(token)
  $('header-json').textContent = JSON.stringify(info.header, null, 2)
  $('payload-json').textContent = JSON.stringify(info.payload, null, 2)
  times(info, Date.now() / 1000)
  const list = $('warnings')
  list.replaceChildren()
  const words = info.warnings.map((w) => WARNINGS[w] ?? w)
  if (info.personalData.length === 0) words.push('No claim looks like personal data: sub is an opaque random id.')
  for (const text of words) {
    const li = document.createElement('li')
    li.textContent = text
    list.append(li)
  }
  tick(token)
}

/** The live part: the expiry bar and the countdown (called every half second). */
export function tick(token) {
  if (!token) return
  const info = inspect(token)
  const left = Math.max(0, info.expiresIn ?? 0)
  const share = info.lifetime ? Math.min(1, left / info.lifetime) : 0
  $('expiry-fill').style.width = `${(share * 100).toFixed(1)}%`
  $('expiry-fill').className = share < 0.2 ? 'low' : ''
  $('countdown').textContent = info.expiresIn === undefined ? 'never' : relative(left)
  times(info, Date.now() / 1000)
}
