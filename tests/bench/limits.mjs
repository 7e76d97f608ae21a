// Where the time goes, for `make bench`: the pieces of one verification, timed in the same
// interleaved rounds (timing.mjs) in Node and in the Worker, for the small and the large token:
//   verify-auto    our verify as shipped (`mac: 'auto'`: native MAC from NATIVE_MIN_CHARS)
//   verify-wasm    our verify, MAC in wasm (`mac: 'wasm'`: the core's pre-keyed HMAC)
//   verify-native  our verify, MAC by node:crypto (`mac: 'native'`), where the runtime has it
//   decode         decodeUnverified of the same token on the same artifact: split, base64url,
//                  strict JSON, the JS result; everything but the key, the MAC and the policy
//   sign           Signer.sign of the same claims (the MAC of an input of the same length, in wasm)
//   mac-node       node:crypto createHmac over the signing input (what the native path calls)
//   mac-webcrypto  WebCrypto verify alone on pre-encoded bytes (asynchronous)
//   boundary       one empty call into wasm (the artifact's `caps()` export, on an instance of
//                  its own: no bench-only op in the shipped wasm)
//   js-side        the JS around our decode's core call, alone: the token encodeInto a buffer,
//                  the output (header, payload) through TextDecoder, JSON.parse of both
//   js-least       the least a JS library does: split, base64url-decode and JSON.parse the
//                  header and the payload (Buffer where there is one, else atob)
//   jose-key, fast-jwt  the peers the goals name (fast-jwt only in Node)
// The MAC in wasm is not reachable alone through the public API; it is read off as
// verify-wasm − decode (the key's choice, the MAC, the constant-time compare and the policy of a
// few claims; the rest of the two calls is the same code), and bounded by sign.
// The derivation and the README's table: limits-report.mjs.
import { AUD, ISS, SECRET, claims, forge } from './fixtures.mjs'

/** How many times one verify crosses into wasm, per path (src/js/index.js, native-mac.js, wasm.js). */
export const CROSSINGS = { wasm: 4, native: 8 }

const enc = new TextEncoder()
const ORDER = [
  'verify-auto',
  'verify-wasm',
  'verify-native',
  'decode',
  'mac-node',
  'js-side',
  'js-least',
  'fast-jwt',
  'mac-webcrypto',
  'boundary',
  'jose-key',
  'sign',
]

/** An instance of the compiled artifact `module` of its own, with the imports wasm.js gives it. */
function ownInstance(module) {
  const imports = {}
  for (const { module: m, name } of WebAssembly.Module.imports(module)) {
    imports[m] ??= {}
    imports[m][name] = () => {}
  }
  const x = new WebAssembly.Instance(module, imports).exports
  x.__wbindgen_start?.()
  return x
}

/** base64url text to a string, the cheapest way this runtime has. */
const fromB64url = globalThis.Buffer
  ? (s) => globalThis.Buffer.from(s, 'base64url').toString('utf8')
  : (s) => {
      const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'))
      return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))
    }

/**
 * The cases of the decomposition, per token.
 * @param {object} lib { jwtWasm, jose, fastJwt?, nodeCrypto?, module (the hmac artifact's compiled WebAssembly.Module) }
 * @param {{ small: string, large: string }} tokens
 * @param {number} now the pinned clock, seconds
 */
export async function limitCases(lib, tokens, now) {
  const { Verifier, Signer, decodeUnverified } = lib.jwtWasm
  const at = { currentDate: new Date(now * 1000) }
  const policy = { keys: [{ alg: 'HS256', secret: SECRET }], algorithms: ['HS256'], issuer: ISS, audience: AUD }
  const verifier = (mac) => new Verifier({ ...policy, mac })
  const paths = { auto: verifier('auto'), wasm: verifier('wasm') }
  if (lib.nodeCrypto) paths.native = verifier('native')
  const signer = new Signer({ key: { alg: 'HS256', secret: SECRET } })
  const secretBytes = enc.encode(SECRET)
  const cryptoKey = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ])
  const x = ownInstance(lib.module)
  const joseOpts = { algorithms: ['HS256'], issuer: ISS, audience: AUD, ...at }
  const fast = lib.fastJwt?.createVerifier({
    key: SECRET,
    algorithms: ['HS256'],
    allowedIss: ISS,
    allowedAud: AUD,
    clockTimestamp: now * 1000,
    cache: false,
  })
  const all = claims(now)
  const out = {}
  for (const size of ['small', 'large']) {
    const t = tokens[size]
    const dot = t.lastIndexOf('.')
    const input = t.slice(0, dot)
    const inputBytes = enc.encode(input)
    const sig = Uint8Array.from(
      atob(
        t
          .slice(dot + 1)
          .replace(/-/g, '+')
          .replace(/_/g, '/'),
      ),
      (c) => c.charCodeAt(0),
    )
    const c = all[size]
    const a = t.indexOf('.')
    const outBytes = enc.encode(`${fromB64url(t.slice(0, a))}\u0000${fromB64url(t.slice(a + 1, dot))}`)
    const buffer = new Uint8Array(t.length * 3)
    const decoder = new TextDecoder()
    /** [id, label, async, fn] */
    const list = [
      ['verify-auto', "our verify as shipped (`mac: 'auto'`)", false, () => paths.auto.verify(t, at).payload],
      ['verify-wasm', "our verify, MAC in wasm (`mac: 'wasm'`)", false, () => paths.wasm.verify(t, at).payload],
    ]
    if (paths.native)
      list.push([
        'verify-native',
        "our verify, MAC by node:crypto (`mac: 'native'`)",
        false,
        () => paths.native.verify(t, at).payload,
      ])
    list.push(
      [
        'decode',
        '`decodeUnverified` (split, base64url, strict JSON, JS result)',
        false,
        () => decodeUnverified(t).payload,
      ],
      ['sign', '`Signer.sign` of the same claims (its MAC in wasm)', false, () => signer.sign(c)],
    )
    if (lib.nodeCrypto) {
      const key = lib.nodeCrypto.createSecretKey(secretBytes)
      list.push([
        'mac-node',
        'node:crypto `createHmac` over the signing input',
        false,
        () => lib.nodeCrypto.createHmac('sha256', key).update(input, 'latin1').digest(),
      ])
    }
    list.push(
      [
        'mac-webcrypto',
        'WebCrypto `verify` alone (pre-encoded bytes)',
        true,
        () => crypto.subtle.verify('HMAC', cryptoKey, sig, inputBytes),
      ],
      [
        'js-side',
        'the JS side of our decode alone (encodeInto, TextDecoder, `JSON.parse`)',
        false,
        () => {
          enc.encodeInto(t, buffer)
          const text = decoder.decode(outBytes)
          const at = text.indexOf('\u0000')
          JSON.parse(text.slice(0, at))
          return JSON.parse(text.slice(at + 1))
        },
      ],
      ['boundary', 'one empty call into wasm (`caps()`)', false, () => x.caps()],
      [
        'js-least',
        'split + base64url decode + `JSON.parse` of header and payload in JS',
        false,
        () => {
          const a = t.indexOf('.')
          JSON.parse(fromB64url(t.slice(0, a)))
          return JSON.parse(fromB64url(t.slice(a + 1, dot)))
        },
      ],
      [
        'jose-key',
        'jose `jwtVerify` (CryptoKey)',
        true,
        async () => (await lib.jose.jwtVerify(t, cryptoKey, joseOpts)).payload,
      ],
    )
    if (fast) list.push(['fast-jwt', 'fast-jwt `createVerifier` (cache off)', false, () => fast(t)])
    // The order of the rounds (timing.mjs rotates it, so each case mostly follows the one before
    // it here, and the first the last): after each asynchronous, allocating case comes one whose
    // time cannot suffer from it (the empty call: a pause is nothing per op over its many calls)
    // or is not used (sign). In the first full run our verify as shipped, placed right after
    // jose's, measured 125 µs in workerd against 95 µs for the very same native path; alternated
    // alone in one Worker, the two measure the same (85 and 83 µs, 93 and 91 µs).
    const rank = (id) => ORDER.indexOf(id)
    list.sort((a, b) => rank(a[0]) - rank(b[0]))
    out[size] = list.map(([id, label, isAsync, fn]) => ({ id, label, async: isAsync, fn }))
  }
  return out
}

/**
 * Before anything is timed: every verify path and the peers accept the token with its sub, the
 * MACs agree with the signature, and both tokens, forged, are refused by every verify path.
 * @returns {Promise<string[]>} failures
 */
export async function limitGate(sets, tokens, lib, now) {
  const failures = []
  const sub = claims(0).small.sub
  for (const [size, list] of Object.entries(sets)) {
    for (const c of list) {
      try {
        const got = await c.fn()
        if (/^(verify|decode|js-|jose|fast)/.test(c.id) && got?.sub !== sub)
          failures.push(`limits ${c.id}: the ${size} token gave no payload with its sub`)
        if (c.id === 'mac-webcrypto' && got !== true) failures.push(`limits ${c.id}: the ${size} MAC did not verify`)
      } catch (e) {
        failures.push(`limits ${c.id}: failed on the ${size} token (${e?.message ?? e})`)
      }
    }
  }
  const { Verifier } = lib.jwtWasm
  for (const mac of lib.nodeCrypto ? ['auto', 'wasm', 'native'] : ['auto', 'wasm']) {
    const v = new Verifier({
      keys: [{ alg: 'HS256', secret: SECRET }],
      algorithms: ['HS256'],
      issuer: ISS,
      audience: AUD,
      mac,
    })
    for (const size of ['small', 'large']) {
      let accepted = false
      try {
        v.verify(forge(tokens[size]), { currentDate: new Date(now * 1000) })
        accepted = true
      } catch {}
      if (accepted) failures.push(`limits verify-${mac}: accepted a forged ${size} token`)
    }
    v.free()
  }
  return failures
}
