// The timeline: one SVG row per access token (its lifetime, iat to exp), a mark for each refresh
// with its skew estimate and the refresh-token generation, and the session's ends (logout,
// expired). Everything is plotted in the server's clock: client times (the ends, now) are moved
// by the session's skew estimate (timeline-plot.js). Kept in sessionStorage, so it survives a
// reload and a logout. An encrypted token's row (enc) is told apart: its times are the
// session's, from expires_in.
import { plot } from './timeline-plot.js'

const KEY = 'jwt-wasm-demo:timeline'
const ROWS = 8
const NS = 'http://www.w3.org/2000/svg'

const load = () => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '[]')
  } catch {
    return []
  }
}
let events = load()

/**
 * Records one event: { kind, iat?, exp?, skew?, gen?, enc? }; `at` is the client time (ms),
 * `clock` the session's skew estimate then (ms, serverNow ≈ clientNow + skew), if it has one.
 * @param {object} event
 * @param {number} [clock]
 */
export function record(event, clock) {
  const last = events.findLast((e) => e.iat !== undefined)
  // Another tab's refresh reaches this tab as the same token: one row.
  if (event.iat !== undefined && last && last.iat === event.iat && last.exp === event.exp) return
  events.push({ at: Date.now(), ...(clock === undefined ? {} : { clock }), ...event })
  events = events.slice(-40)
  sessionStorage.setItem(KEY, JSON.stringify(events))
  draw()
}

/** The generation of the refresh token: refreshes since the last login. */
export function generation() {
  let gen = 0
  for (const e of events) {
    if (e.kind === 'login') gen = 0
    else if (e.kind === 'refresh' || e.kind === 'other tab') gen++
  }
  return gen
}

const el = (name, attrs, text) => {
  const node = document.createElementNS(NS, name)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
  if (text !== undefined) node.textContent = text
  return node
}

export function draw() {
  const svg = document.getElementById('timeline')
  const width = 600
  const rowH = 22
  const left = 150
  const plotted = plot(events, Date.now(), ROWS)
  const height = Math.max(1, plotted?.tokens.length ?? 0) * rowH + 28
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`)
  svg.replaceChildren()
  if (!plotted) {
    svg.append(el('text', { x: 4, y: 18, class: 'tl-label' }, 'No token yet: log in.'))
    return
  }
  const { tokens, ends, now, start, end } = plotted
  const x = (t) => left + ((t - start) / Math.max(1, end - start)) * (width - left - 8)
  tokens.forEach((t, i) => {
    const y = i * rowH + 4
    const label = `${t.kind === 'login' ? 'login' : `${t.kind} · gen ${t.gen ?? '?'}`}${t.enc ? ' · JWE' : ''}`
    svg.append(el('text', { x: 4, y: y + 13, class: 'tl-label' }, label))
    svg.append(
      el('rect', {
        x: x(t.iat),
        y,
        width: Math.max(2, x(t.exp) - x(t.iat)),
        height: rowH - 8,
        rx: 3,
        class: t.enc ? 'tl-token tl-jwe' : 'tl-token',
      }),
    )
    if (t.skew !== undefined)
      svg.append(el('text', { x: x(t.iat) + 4, y: y + 11, class: 'tl-skew' }, `skew ${Math.round(t.skew)} ms`))
  })
  for (const e of ends) {
    svg.append(el('line', { x1: x(e.t), x2: x(e.t), y1: 0, y2: height - 20, class: 'tl-end' }))
    svg.append(el('text', { x: Math.min(x(e.t) + 3, width - 60), y: height - 6, class: 'tl-end-label' }, e.kind))
  }
  svg.append(el('line', { x1: x(now), x2: x(now), y1: 0, y2: height - 20, class: 'tl-now' }))
  // The time axis: its two ends, in the server's seconds shown as clock times.
  const clock = (t) => new Date(t * 1000).toLocaleTimeString()
  svg.append(el('text', { x: left, y: height - 6, class: 'tl-label' }, clock(start)))
  svg.append(el('text', { x: width - 8, y: height - 6, class: 'tl-label', 'text-anchor': 'end' }, clock(end)))
}
