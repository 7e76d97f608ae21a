// jwt-wasm/keys in real Chromium (issue 13): a plain module page imports the installed package's
// `jwt-wasm/keys` through an import map pointing at its `browser` entry (read from the exports
// map), which fetches and stream-compiles jwt_wasm_keys.wasm, and only that artifact; signatures
// are Chromium's WebCrypto (Ed25519 included). There it runs Wycheproof's five primitive files
// through the core and WebCrypto, verifies the RFC examples, tokens of
// every algorithm signed in Node by WebCrypto and by jose's SignJWT, and refuses a forgery, a
// psychic signature and alg none with the codes of Node and workerd. Served on 127.0.0.1 (test only).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { webcrypto } from 'node:crypto'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { launchChromium } from './chromium.mjs'

const pkgDir = dirname(fileURLToPath(import.meta.resolve('jwt-wasm/package.json')))
const entry = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).exports['./keys'].browser.replace(
  /^\.\//,
  '',
)
const PAGE = `<!doctype html><meta charset="utf-8"><title>jwt-wasm/keys</title>
<script type="importmap">{"imports":{"jwt-wasm/keys":"/node_modules/jwt-wasm/${entry}"}}</script>
<script type="module">
  import * as K from 'jwt-wasm/keys'
  import { Ring } from '/node_modules/jwt-wasm/keys/ring.js'
  window.__keys = K
  window.__Ring = Ring
  K.ready.then(() => { document.title = 'ready' }, (e) => { document.title = 'failed: ' + e })
</script>`
// RFC 7515 A.3 (ES256) and RFC 8037 A.4 (Ed25519): key and token.
const A3 = {
  jwk: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  },
  token:
    'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q',
}
const A4 = {
  jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
  token:
    'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg',
}
const NOW = 1_767_225_600
const served = []
let server
let browser
let page

before(async () => {
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname)
    const prefix = '/node_modules/jwt-wasm/'
    const file = path.startsWith(prefix) ? normalize(join(pkgDir, path.slice(prefix.length))) : undefined
    served.push(path)
    try {
      if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
      if (!file?.startsWith(pkgDir + sep)) throw new Error('outside')
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript'
      res.writeHead(200, { 'content-type': type }).end(await readFile(file))
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  browser = await launchChromium()
  page = await browser.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`http://localhost:${server.address().port}/`)
  await page
    .waitForFunction(() => document.title === 'ready', null, { timeout: 30_000 })
    .catch(() => assert.fail(`the page did not load jwt-wasm/keys: ${errors.join('; ')}`))
})

after(async () => {
  await browser?.close().catch(() => {})
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()))
})

/** Verifies `token` in the page with a PublicKeyVerifier of `options`: the payload, or the error's code. */
const verifyIn = (options, token, now) =>
  page.evaluate(
    async ([o, t, n]) => {
      try {
        const v = new window.__keys.PublicKeyVerifier(o)
        return { ok: (await v.verifyAsync(t, { now: new Date(n * 1000) })).payload }
      } catch (e) {
        return { code: e.code, name: e.name }
      }
    },
    [options, token, now],
  )

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const GEN = {
  RS256: [
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    { name: 'RSASSA-PKCS1-v1_5' },
  ],
  PS512: [
    { name: 'RSA-PSS', hash: 'SHA-512', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    { name: 'RSA-PSS', saltLength: 64 },
  ],
  ES256: [
    { name: 'ECDSA', namedCurve: 'P-256' },
    { name: 'ECDSA', hash: 'SHA-256' },
  ],
  ES384: [
    { name: 'ECDSA', namedCurve: 'P-384' },
    { name: 'ECDSA', hash: 'SHA-384' },
  ],
  EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
}
const claims = { iss: 'https://idp.test', aud: 'api', sub: 'chromium', exp: NOW + 60 }

test('the RFC examples verify in Chromium: RFC 7515 A.3 (ES256) and RFC 8037 A.4 (Ed25519, its text payload refused after the signature)', async () => {
  assert.deepEqual(await verifyIn({ keys: [A3.jwk], algorithms: ['ES256'] }, A3.token, 1300819370), {
    ok: { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true },
  })
  assert.deepEqual(await verifyIn({ keys: [A4.jwk], algorithms: ['EdDSA'] }, A4.token, NOW), {
    code: 'ERR_JWT_INVALID',
    name: 'JWTInvalid',
  })
})

test('every algorithm: WebCrypto tokens from Node verify in Chromium; a forgery, a psychic signature and alg none are refused', async () => {
  for (const [alg, [gen, params]] of Object.entries(GEN)) {
    const pair = await webcrypto.subtle.generateKey(gen, true, ['sign', 'verify'])
    const { key_ops, ext, ...jwk } = await webcrypto.subtle.exportKey('jwk', pair.publicKey)
    void key_ops, void ext
    const input = `${b64({ alg, kid: 'k' })}.${b64(claims)}`
    const sig = Buffer.from(await webcrypto.subtle.sign(params, pair.privateKey, Buffer.from(input)))
    const options = {
      keys: [{ ...jwk, kid: 'k', alg }],
      algorithms: [alg],
      issuer: 'https://idp.test',
      audience: 'api',
    }
    assert.deepEqual(await verifyIn(options, `${input}.${sig.toString('base64url')}`, NOW), { ok: claims }, alg)
    sig[3] ^= 1
    assert.equal(
      (await verifyIn(options, `${input}.${sig.toString('base64url')}`, NOW)).code,
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      alg,
    )
    if (alg.startsWith('ES'))
      assert.equal(
        (await verifyIn(options, `${input}.${Buffer.alloc(sig.length).toString('base64url')}`, NOW)).code,
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      )
    assert.equal(
      (await verifyIn(options, `${b64({ alg: 'none', kid: 'k' })}.${b64(claims)}.`, NOW)).code,
      'ERR_JOSE_ALG_NOT_ALLOWED',
    )
  }
})

test("an EC point off its curve: Chromium's WebCrypto refuses the key at import, so its tokens get JWKInvalid", async () => {
  const pair = await webcrypto.subtle.generateKey(GEN.ES256[0], true, ['sign', 'verify'])
  const { key_ops, ext, ...jwk } = await webcrypto.subtle.exportKey('jwk', pair.publicKey)
  void key_ops, void ext
  const input = `${b64({ alg: 'ES256', kid: 'k' })}.${b64(claims)}`
  const token = `${input}.${Buffer.from(await webcrypto.subtle.sign(GEN.ES256[1], pair.privateKey, Buffer.from(input))).toString('base64url')}`
  const y = Buffer.from(jwk.y, 'base64url')
  y[y.length - 1] ^= 1
  const bad = {
    keys: [{ ...jwk, y: y.toString('base64url'), kid: 'k' }],
    algorithms: ['ES256'],
    issuer: 'https://idp.test',
    audience: 'api',
  }
  assert.deepEqual(await verifyIn(bad, token, NOW), { code: 'ERR_JWK_INVALID', name: 'JWKInvalid' })
  assert.deepEqual(await verifyIn({ ...bad, keys: [{ ...jwk, kid: 'k' }] }, token, NOW), { ok: claims })
})

test("jose's SignJWT tokens verify in Chromium", async () => {
  for (const alg of ['RS256', 'ES256', 'EdDSA']) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
    const token = await new SignJWT({ sub: 'jose' })
      .setProtectedHeader({ alg, kid: 'j' })
      .setExpirationTime(NOW + 60)
      .sign(privateKey)
    const jwk = { ...(await exportJWK(publicKey)), kid: 'j' }
    assert.deepEqual(
      await verifyIn({ keys: { keys: [jwk] }, algorithms: [alg] }, token, NOW),
      { ok: { sub: 'jose', exp: NOW + 60 } },
      alg,
    )
  }
})

// Wycheproof's primitive files (tests/vectors/wycheproof/, Apache-2.0) through the verifier's
// own path in the page: the core's form checks, then Chromium's WebCrypto (keys/ring.js of the
// installed package, the very module the entry uses).
const repo = process.env.JWT_WASM_REPO
for (const [file, alg, jwkOf] of [
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256', (g) => g.publicKeyJwk],
  ['ecdsa_secp384r1_sha384_p1363_test.json', 'ES384', (g) => g.publicKeyJwk],
  ['ed25519_test.json', 'EdDSA', (g) => g.publicKeyJwk],
  ['rsa_signature_2048_sha256_test.json', 'RS256', (g) => g.keyJwk],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'PS256', (g) => g.publicKeyJwk],
]) {
  test(`${file}: every case with a JWK through the core and Chromium's WebCrypto, by its result`, async () => {
    const doc = JSON.parse(readFileSync(join(repo, 'tests', 'vectors', 'wycheproof', file), 'utf8'))
    const groups = doc.testGroups
      .filter((g) => jwkOf(g))
      .map((g) => {
        const { kid, ...jwk } = jwkOf(g)
        void kid
        return {
          jwk: { ...jwk, alg },
          cases: g.tests.map(({ tcId, msg, sig, result }) => ({ tcId, msg, sig, result })),
        }
      })
    const verdicts = await page.evaluate(
      async ([groups, alg]) => {
        const PK = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519']
        const hex = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => Number.parseInt(x, 16))
        const b64 = (u) =>
          btoa(String.fromCharCode(...u))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, '')
        const out = []
        for (const { jwk, cases } of groups) {
          const ring = new window.__Ring(
            { lists: [[4, ['exp']]], mask: 1 << PK.indexOf(alg), args: [0, 0, -1, 16384, 8192] },
            'jwks',
            JSON.stringify({ keys: [jwk] }),
            'keys',
          )
          const header = b64(new TextEncoder().encode(JSON.stringify({ alg })))
          for (const c of cases) {
            const [key, , , error] = ring.begin(`${header}.e30.${b64(hex(c.sig))}`, 1700000000)
            out.push([
              c.tcId,
              c.result,
              error ? 'core' : (await ring.verify(key, hex(c.msg), hex(c.sig))) ? 'accepted' : 'runtime',
            ])
          }
          ring.core.free()
        }
        return out
      },
      [groups, alg],
    )
    assert.ok(verdicts.length >= doc.numberOfTests - 12, `${verdicts.length} of ${doc.numberOfTests}`)
    // The one acceptable case (PKCS#1 DigestInfo without NULL) is refused, as in Node and on workerd.
    for (const [tcId, result, verdict] of verdicts)
      assert.equal(verdict === 'accepted', result === 'valid', `${file} tcId ${tcId}: ${result}, ${verdict}`)
  })
}

test("phase 1's views of the core's memory go to Chromium's WebCrypto, which reads them before it returns: overwritten right after, the verdict is the token's", async () => {
  for (const alg of ['ES256', 'RS256', 'EdDSA']) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
    const jwk = { ...(await exportJWK(publicKey)), alg }
    const signed = (sub) => new SignJWT({ sub, exp: 2e9 }).setProtectedHeader({ alg }).sign(privateKey)
    const valid = await signed('valid')
    const [h, p] = (await signed('other')).split('.')
    const forged = `${h}.${p}.${valid.split('.')[2]}`
    const got = await page.evaluate(
      async ([jwk, alg, valid, forged]) => {
        const PK = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519']
        const ring = new window.__Ring(
          { lists: [[4, ['exp']]], mask: 1 << PK.indexOf(alg), args: [0, 0, -1, 16384, 8192] },
          'jwks',
          JSON.stringify({ keys: [jwk] }),
          'keys',
        )
        let [key, data, signature] = ring.begin(valid, 1700000000)
        const imported = await ring.verify(key, data, signature)
        ;[key, data, signature] = ring.begin(valid, 1700000000)
        const pending = ring.verify(key, data, signature)
        data.fill(0)
        signature.fill(0)
        const zeroed = await pending
        ;[key, data, signature] = ring.begin(forged, 1700000000)
        const bad = ring.verify(key, data, signature)
        const same = ring.begin(valid, 1700000000)[1].byteOffset === data.byteOffset
        const out = { imported, zeroed, forged: await bad, same }
        ring.core.free()
        return out
      },
      [jwk, alg, valid, forged],
    )
    assert.deepEqual(got, { imported: true, zeroed: true, forged: false, same: true }, alg)
  }
})

test('the page loaded the browser entry and fetched only the keys artifact', () => {
  assert.ok(served.includes(`/node_modules/jwt-wasm/${entry}`), served.join(', '))
  const wasm = served.filter((p) => p.endsWith('.wasm'))
  assert.deepEqual(wasm, ['/node_modules/jwt-wasm/wasm/jwt_wasm_keys.wasm'])
})
