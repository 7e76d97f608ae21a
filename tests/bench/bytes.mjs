// Where the bytes go, for `make bench`: each wasm artifact rebuilt exactly as `make pkg` builds
// it (the same cargo features and flags: cargo finds it fresh; wasm-bindgen; wasm-opt -Oz) but
// with `-g`, so its functions keep their names, then every function body's bytes summed per
// part of the core (by the crate and module in its name) and gzipped per part; and the session's
// browser bundle (esbuild, as size.mjs bundles it) attributed to its source modules through the
// source map, each module's bytes gzipped alone. LTO and wasm-opt inline across parts, so a part
// is what its own functions hold after inlining; a part gzipped alone is a little larger than its
// share of the whole. The rendering: bytes-report.mjs.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { BROWSER_BUNDLE } from './browser-bundle.mjs'

const gz = (buf) => gzipSync(buf, { level: 9 }).length

/** The part of the core a function belongs to, by its (demangled) name; first match wins. */
export const PARTS = [
  ['SHA-2', /\bsha2::|sha256|sha512|compress\d+/],
  [
    'HMAC and its keys',
    /\bhmac::|\bdigest::|jwt_wasm::key\b|jwt_wasm::key::|jwt_wasm::key_format|jwt_wasm::sign\b|jwt_wasm::sign::/,
  ],
  ['constant-time compare', /\bctutils::|\bsubtle::/],
  ['strict JSON reader and writer', /jwt_wasm::json/],
  ['base64url', /jwt_wasm::b64/],
  [
    'header, claims, policy, inspect, verify and decode steps',
    /jwt_wasm::(claims|validation|inspect|header|alg|segments|verify|decode|error)/,
  ],
  [
    'the boundary (wasm.rs, wasm/hmac.rs: core_call holds the ops LTO inlined into it)',
    /jwt_wasm::wasm|\bcore_(new|input|call|out|out_len|num)\b|^caps$/,
  ],
  ['wasm-bindgen glue', /wasm_bindgen|__wbg|__wbindgen|__externref/],
  [
    'the allocator (talc) and Vec growth',
    /\btalc::|\balloc::|\balloc\[|__rust_(alloc|dealloc|realloc)|__rdl_|dlmalloc/,
  ],
  ['memcpy, memset, memcmp', /^(memcpy|memmove|memset|memcmp|bcmp)$|compiler_builtins/],
  ['core (fmt, str, panics, slices)', /\bcore::|\bcore\[/],
]

const leb = (buf, at) => {
  let v = 0
  let shift = 0
  let b
  do {
    b = buf[at++]
    v += (b & 0x7f) * 2 ** shift
    shift += 7
  } while (b & 0x80)
  return [v, at]
}

/**
 * A wasm binary's sections, function bodies (with their function index) and function names.
 * @param {Uint8Array} buf
 */
export function parseWasm(buf) {
  if (buf[0] !== 0 || buf[1] !== 0x61 || buf[2] !== 0x73 || buf[3] !== 0x6d) throw new Error('not a wasm binary')
  const sections = []
  const bodies = []
  const names = new Map()
  let imported = 0
  let at = 8
  while (at < buf.length) {
    const id = buf[at]
    let size
    ;[size, at] = leb(buf, at + 1)
    const start = at
    const end = at + size
    let name
    if (id === 0) {
      let n
      ;[n, at] = leb(buf, at)
      name = new TextDecoder().decode(buf.subarray(at, at + n))
      at += n
      if (name === 'name') {
        while (at < end) {
          const sub = buf[at]
          let len
          ;[len, at] = leb(buf, at + 1)
          const subEnd = at + len
          if (sub === 1) {
            let count
            ;[count, at] = leb(buf, at)
            for (let i = 0; i < count; i++) {
              let idx
              let l
              ;[idx, at] = leb(buf, at)
              ;[l, at] = leb(buf, at)
              names.set(idx, new TextDecoder().decode(buf.subarray(at, at + l)))
              at += l
            }
          }
          at = subEnd
        }
      }
    } else if (id === 2) {
      let count
      ;[count, at] = leb(buf, at)
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < 2; k++) {
          let l
          ;[l, at] = leb(buf, at)
          at += l
        }
        const kind = buf[at++]
        if (kind === 0) imported++
        if (kind === 0) [, at] = leb(buf, at)
        else if (kind === 3)
          at += 2 // global: value type, mutability
        else {
          if (kind === 1) at++ // table: its reference type, then limits like a memory's
          const flags = buf[at++]
          ;[, at] = leb(buf, at)
          if (flags & 1) [, at] = leb(buf, at)
        }
      }
    } else if (id === 10) {
      let count
      ;[count, at] = leb(buf, at)
      for (let i = 0; i < count; i++) {
        let len
        ;[len, at] = leb(buf, at)
        bodies.push({ index: imported + i, start: at, end: at + len })
        at += len
      }
    }
    sections.push({ id, name, size, start, end })
    at = end
  }
  return { sections, bodies, names }
}

/** Whether two wasm binaries are the same module but for their custom sections (names). */
export function sameModule(a, b) {
  const sections = (buf) =>
    parseWasm(buf)
      .sections.filter((s) => s.id !== 0)
      .map((s) => Buffer.from(buf.subarray(s.start, s.end)).toString('hex'))
  return sections(a).join() === sections(b).join()
}

/** Which part of PARTS `name` belongs to ('other' if none). */
export const partOf = (name) => PARTS.find(([, re]) => re.test(name))?.[0] ?? 'other'

/**
 * Bytes per part of one named wasm binary: code per part (raw, gzip alone), the data section,
 * and the rest of the module (types, imports, exports, tables; custom sections excluded: the
 * shipped artifacts have none).
 * @param {Uint8Array} buf
 */
export function wasmParts(buf) {
  const { sections, bodies, names } = parseWasm(buf)
  const by = new Map()
  for (const b of bodies) {
    const part = partOf(names.get(b.index) ?? '')
    const list = by.get(part) ?? []
    list.push(buf.subarray(b.start, b.end))
    by.set(part, list)
  }
  const parts = [...by].map(([part, list]) => ({
    part,
    bytes: list.reduce((n, x) => n + x.length, 0),
    gz: gz(Buffer.concat(list)),
    functions: list.length,
  }))
  const data = sections.find((s) => s.id === 11)
  if (data)
    parts.push({
      part: 'data (tables, strings)',
      bytes: data.size,
      gz: gz(buf.subarray(data.start, data.end)),
      functions: 0,
    })
  const rest = sections.filter((s) => s.id !== 0 && s.id !== 10 && s.id !== 11)
  parts.push({
    part: 'types, imports, exports, tables',
    bytes: rest.reduce((n, s) => n + s.size, 0),
    gz: gz(Buffer.concat(rest.map((s) => buf.subarray(s.start, s.end)))),
    functions: 0,
  })
  return parts.sort((a, b) => b.bytes - a.bytes)
}

const ARTIFACTS = [
  ['jwt_wasm_claims.wasm', 'claims', false],
  ['jwt_wasm_hmac.wasm', 'hmac', false],
  ['jwt_wasm_hmac_native.wasm', 'native-mac', true],
]

/** Each artifact, rebuilt with names as `make pkg` builds it, in parts; `repo` is the checkout. */
export function wasmBytes(repo, shipped) {
  const tmp = mkdtempSync(join(tmpdir(), 'jwt-wasm-bytes-'))
  try {
    return ARTIFACTS.map(([file, features, simd]) => {
      const env = { ...process.env }
      if (simd) {
        env.CARGO_TARGET_DIR = join(repo, 'target', 'simd')
        env.RUSTFLAGS = '--cfg sha2_backend_soft="compact" -C target-feature=+simd128'
      }
      const target = join(
        env.CARGO_TARGET_DIR ?? join(repo, 'target'),
        'wasm32-unknown-unknown',
        'release',
        'jwt_wasm.wasm',
      )
      const run = (cmd, args) => execFileSync(cmd, args, { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] })
      run('cargo', [
        'build',
        '--release',
        '--locked',
        '--target',
        'wasm32-unknown-unknown',
        '--no-default-features',
        '--features',
        features,
      ])
      // The same out-name as `make pkg`: it is the module name of the imports.
      const out = join(tmp, features)
      run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out, '--out-name', 'jwt_wasm', target])
      const named = join(out, 'named.wasm')
      run(join(repo, '.ci', 'tools', 'node_modules', '.bin', 'wasm-opt'), [
        '-Oz',
        ...(simd ? ['--enable-simd'] : []),
        '--converge',
        '-g',
        '--strip-producers',
        '--strip-target-features',
        '--zero-filled-memory',
        join(out, 'jwt_wasm_bg.wasm'),
        '-o',
        named,
      ])
      const buf = readFileSync(named)
      const ship = readFileSync(shipped(file))
      // What is split must be what ships: the rebuild differs from it by its names alone.
      if (!sameModule(buf, ship)) throw new Error(`${file}: the rebuild with names is not the shipped module`)
      return { file, gz: gz(ship), bytes: ship.length, parts: wasmParts(buf) }
    })
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** A source map's `mappings` as [generated line, column, source index] per segment. */
export function segments(mappings) {
  const out = []
  let src = 0 // only the generated column and the source index matter here
  mappings.split(';').forEach((line, lineNo) => {
    let col = 0
    for (const seg of line.split(',')) {
      if (!seg) continue
      const fields = []
      let v = 0
      let shift = 0
      for (const ch of seg) {
        const d = B64.indexOf(ch)
        v += (d & 31) << shift
        if (d & 32) shift += 5
        else {
          fields.push(v & 1 ? -(v >>> 1) : v >>> 1)
          v = 0
          shift = 0
        }
      }
      col += fields[0]
      if (fields.length > 1) {
        src += fields[1]
        out.push([lineNo, col, src])
      } else out.push([lineNo, col, -1])
    }
  })
  return out
}

/**
 * Minified bytes of `code` attributed to each source of `map` (its segments up to the next),
 * each source's bytes gzipped alone; bytes before the first segment or of no source: '(none)'.
 */
export function attribute(code, map) {
  const lines = code.split('\n')
  const per = new Map()
  const add = (src, text) => per.set(src, (per.get(src) ?? '') + text)
  const segs = segments(map.mappings)
  for (let i = 0; i < segs.length; i++) {
    const [line, col, src] = segs[i]
    const next = segs[i + 1]
    const end = next && next[0] === line ? next[1] : undefined
    add(src < 0 ? '(none)' : map.sources[src], lines[line].slice(col, end))
    if (!next || next[0] !== line) add('(none)', '\n')
  }
  return [...per]
    .map(([source, text]) => ({ source, bytes: Buffer.byteLength(text), gz: gz(Buffer.from(text)) }))
    .sort((a, b) => b.bytes - a.bytes)
}

/** The session entry's browser bundle, per module (its path inside the package or node_modules). */
export async function jsBytes(dir, contents) {
  const out = await build({
    stdin: { contents, resolveDir: dir, loader: 'js' },
    ...BROWSER_BUNDLE,
    sourcemap: 'external',
    outfile: join(dir, 'bytes-out.js'),
  })
  const js = out.outputFiles.find((f) => f.path.endsWith('.js'))
  const map = JSON.parse(out.outputFiles.find((f) => f.path.endsWith('.map')).text)
  map.sources = map.sources.map((s) => s.replace(/^.*node_modules\/jwt-wasm\//, ''))
  return { bytes: js.contents.length, gz: gz(js.contents), modules: attribute(js.text, map) }
}
