// The test page of tests/e2e (bundled by esbuild with the `browser` condition, so
// `jwt-wasm/session` resolves through the package's exports map; the core's .wasm is emitted
// beside the bundle). One session per tab, created at load; `window.session` is it, and
// `window.__e2e` holds what the driver reads and the few hooks it pulls:
//
// - `log`: every session event, in order, as { type, at, token? , detail }.
// - `trace`: the cross-tab machinery as this tab saw it (see below), for failure messages.
// - `initialStorage`: a copy of sessionStorage taken before the session was created (a tab
//   opened with window.open carries its opener's copy: the driver checks it did).
// - `setHidden(bool)`: emulated page visibility. Headless Chromium keeps every page
//   `visible` (no tab strip, no occlusion), so `document.visibilityState` / `document.hidden`
//   are overridden on this document and `visibilitychange` is dispatched as the browser would.
// - `throttle()` / `unthrottle()` / `releaseHeld()`: the session's timers. While throttled,
//   every timer already pending and every timer set meanwhile is *held*: it does not fire when
//   due (a background tab under intensive throttling, a frozen tab, or a laptop asleep, where
//   the timer's deadline slips past the token's expiry). `unthrottle()` lets new timers run
//   normally but keeps the held ones held, so whatever refreshes next is not the old timer.
//   `releaseHeld()` fires them (each at most once, if not cleared meanwhile).
//
// Query parameters: `tab` (a name, echoed by the server's log through the Referer),
// `refreshBefore`, `jitter` (seconds, session options), `resume=0` (do not resume at load).
import { createSession } from 'jwt-wasm/session'

const params = new URLSearchParams(location.search)
const KEY_PREFIX = 'jwt-wasm:'
const num = (name, fallback) => (params.has(name) ? Number(params.get(name)) : fallback)

const initialStorage = {}
for (let i = 0; i < sessionStorage.length; i++) {
  const k = sessionStorage.key(i)
  initialStorage[k] = sessionStorage.getItem(k)
}

// Emulated visibility (see above).
let emulatedHidden = null
const realVisibility = Object.getOwnPropertyDescriptor(Document.prototype, 'visibilityState').get
const realHidden = Object.getOwnPropertyDescriptor(Document.prototype, 'hidden').get
Object.defineProperty(document, 'visibilityState', {
  configurable: true,
  get: () => (emulatedHidden === null ? realVisibility.call(document) : emulatedHidden ? 'hidden' : 'visible'),
})
Object.defineProperty(document, 'hidden', {
  configurable: true,
  get: () => (emulatedHidden === null ? realHidden.call(document) : emulatedHidden),
})

// Held timers (see above). Every timer the session sets goes through here.
let throttled = false
const pending = new Map() // id -> { fn, args, held }
const heldDue = new Set() // ids held and already due
let nextId = 1
const timers = {
  setTimeout(fn, ms = 0, ...args) {
    const id = nextId++
    const entry = { fn, args, held: throttled, real: 0 }
    entry.real = setTimeout(() => {
      if (entry.held) {
        heldDue.add(id)
        return
      }
      pending.delete(id)
      fn(...args)
    }, ms)
    pending.set(id, entry)
    return id
  },
  clearTimeout(id) {
    const entry = pending.get(id)
    if (!entry) return
    clearTimeout(entry.real)
    pending.delete(id)
    heldDue.delete(id)
  },
}

// A trace of the cross-tab machinery, for the driver's failure messages: when this tab asked
// for and was granted the refresh lock, and when each channel message arrived. The session gets
// the browser's own LockManager and BroadcastChannel, only observed.
const trace = []
const mark = (what) => trace.push({ at: Date.now(), what })
const locks = {
  request(name, options, callback) {
    mark(`lock ${name}: asked`)
    return navigator.locks.request(name, options, async (lock) => {
      mark(`lock ${name}: granted`)
      try {
        return await callback(lock)
      } finally {
        mark(`lock ${name}: released`)
      }
    })
  },
  query: () => navigator.locks.query(),
}
const channel = (name) => {
  const ch = new BroadcastChannel(name)
  ch.addEventListener('message', (e) => mark(`message ${e.data?.type}${e.data?.reason ? ` (${e.data.reason})` : ''}`))
  const post = ch.postMessage.bind(ch)
  ch.postMessage = (m) => {
    mark(`post ${m?.type}${m?.reason ? ` (${m.reason})` : ''}`)
    post(m)
  }
  return ch
}

const log = []
const session = createSession({
  refreshUrl: '/auth/refresh',
  loginUrl: '/auth/login',
  logoutUrl: '/auth/logout',
  keyPrefix: KEY_PREFIX,
  refreshBefore: num('refreshBefore', 3),
  jitter: num('jitter', 1),
  timers,
  locks,
  channel,
})
for (const type of ['change', 'refresh', 'expired', 'logout', 'error', 'warning']) {
  session.addEventListener(type, (e) => {
    let detail
    try {
      detail = JSON.parse(JSON.stringify(e.detail ?? null))
    } catch {
      detail = String(e.detail)
    }
    log.push({ type, at: Date.now(), token: session.token ?? null, detail })
  })
}

window.session = session
window.__e2e = {
  tab: params.get('tab') ?? '?',
  keyPrefix: KEY_PREFIX,
  log,
  trace,
  initialStorage,
  resumed: null,
  stored: () => sessionStorage.getItem(`${KEY_PREFIX}access_token`),
  setHidden(hidden) {
    emulatedHidden = Boolean(hidden)
    // As the browser fires it: at the document, bubbling to the window.
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
  },
  throttle() {
    throttled = true
    for (const entry of pending.values()) entry.held = true
  },
  unthrottle() {
    throttled = false
  },
  held: () => [...pending.values()].filter((e) => e.held).length,
  releaseHeld() {
    const due = [...heldDue]
    heldDue.clear()
    for (const entry of pending.values()) entry.held = false
    for (const id of due) {
      const entry = pending.get(id)
      if (!entry) continue
      pending.delete(id)
      entry.fn(...entry.args)
    }
    return due.length
  },
}

if (params.get('resume') !== '0') {
  window.__e2e.resumed = session.resume().then(
    (ok) => ok,
    (e) => `error: ${e?.name}: ${e?.message}`,
  )
}
document.getElementById('status').textContent = `tab ${window.__e2e.tab} ready`
