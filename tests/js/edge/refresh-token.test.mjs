// The refresh-token format of authRoutes alone (src/js/edge/refresh-token.js): `<familyId>.<secret>`,
// parsing that refuses everything else, the tag and the successor rule computed independently with node:crypto.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, createHash } from 'node:crypto'
import { internal } from './internal.mjs'

const { FAMILY_BYTES, CHAIN_CHARS, TAG_CHARS, firstToken, formatToken, parseToken, issued, successor, secretHash } =
  await internal('edge/refresh-token.js')

const SECRET = 'refresh-derivation-secret-0123456789abcdef'
const secretBytes = new TextEncoder().encode(SECRET)
const b64url = (buf) => Buffer.from(buf).toString('base64url')
const mac = (message, key = SECRET) => b64url(createHmac('sha256', key).update(message).digest())
const tagged = (familyId, chain) => chain + mac(`rt-tag\0${familyId}.${chain}`).slice(0, 22)
const FAMILY = b64url(Uint8Array.from({ length: 16 }, (_, i) => i))
const FIRST = tagged(FAMILY, b64url(Uint8Array.from({ length: 16 }, (_, i) => 100 + i)).slice(0, 21))

test('refresh token: 16 bytes of family id, then 16 random bytes cut to a 21-character chain value and its 22-character tag', async () => {
  assert.equal(FAMILY_BYTES, 16)
  assert.equal(CHAIN_CHARS + TAG_CHARS, 43)
  const asked = []
  const token = await firstToken(secretBytes, (n) => {
    asked.push(n)
    return b64url(new Uint8Array(n).fill(asked.length))
  })
  assert.deepEqual(asked, [16, 16])
  assert.equal(token.familyId, b64url(new Uint8Array(16).fill(1)))
  assert.equal(token.secret, tagged(token.familyId, b64url(new Uint8Array(16).fill(2)).slice(0, 21)))
  const value = formatToken(token)
  assert.equal(value, `${token.familyId}.${token.secret}`)
  assert.deepEqual(parseToken(value), token)
  assert.deepEqual(parseToken(`${FAMILY}.${FIRST}`), { familyId: FAMILY, secret: FIRST })
})

test('issued: only a secret tagged for its own family id under refreshSecret', async () => {
  assert.equal(await issued(secretBytes, { familyId: FAMILY, secret: FIRST }), true)
  const other = b64url(new Uint8Array(16).fill(7))
  assert.equal(await issued(secretBytes, { familyId: other, secret: FIRST }), false, 'another family id')
  const flipped = FIRST.slice(0, -1) + (FIRST.endsWith('A') ? 'B' : 'A')
  assert.equal(await issued(secretBytes, { familyId: FAMILY, secret: flipped }), false, 'one tag character changed')
  const chainChanged = (FIRST[0] === 'A' ? 'B' : 'A') + FIRST.slice(1)
  assert.equal(await issued(secretBytes, { familyId: FAMILY, secret: chainChanged }), false, 'the chain changed')
  const otherKey = new TextEncoder().encode('another-refresh-secret-0123456789abcdef')
  assert.equal(await issued(otherKey, { familyId: FAMILY, secret: FIRST }), false, 'another refreshSecret')
  assert.equal(await issued(secretBytes, { familyId: FAMILY, secret: 'A'.repeat(43) }), false, 'a guessed secret')
})

test('refresh token: anything but exactly <22>.<43> base64url characters is not a token', () => {
  const good = `${FAMILY}.${FIRST}`
  for (const value of [
    '',
    FAMILY,
    `${FAMILY}.`,
    `.${FIRST}`,
    `${FAMILY}.${FIRST}x`,
    `${FAMILY}x.${FIRST}`,
    `${FAMILY.slice(1)}.${FIRST}`,
    `${FAMILY}.${FIRST.slice(1)}`,
    `${FAMILY}.${FIRST.slice(0, -1)}=`,
    `${FAMILY}.${FIRST.slice(0, -1)}+`,
    `${FAMILY}.${FIRST.slice(0, -1)}/`,
    `${FAMILY}..${FIRST}`,
    `${good}\n`,
    ` ${good}`,
    `${FAMILY}.${FIRST}.${FIRST}`,
  ]) {
    assert.equal(parseToken(value), undefined, JSON.stringify(value))
  }
})

test('successor: the chain value is HMAC-SHA256(refreshSecret, "rt-next\\0" + familyId + "." + secret) cut to 21, tagged; deterministic, a chain', async () => {
  const t0 = { familyId: FAMILY, secret: FIRST }
  const t1 = await successor(secretBytes, t0)
  assert.deepEqual(t1, { familyId: FAMILY, secret: tagged(FAMILY, mac(`rt-next\0${FAMILY}.${FIRST}`).slice(0, 21)) })
  assert.deepEqual(await successor(secretBytes, t0), t1, 'a retry of the predecessor gets the same successor')
  assert.ok(parseToken(formatToken(t1)), 'a successor is a well-formed token')
  assert.equal(await issued(secretBytes, t1), true, 'a successor carries its tag')
  const t2 = await successor(secretBytes, t1)
  assert.equal(t2.secret, tagged(FAMILY, mac(`rt-next\0${FAMILY}.${t1.secret}`).slice(0, 21)))
  const other = await successor(new TextEncoder().encode('another-refresh-secret-0123456789abcdef'), t0)
  assert.notEqual(other.secret, t1.secret)
})

test('secretHash: what a store keeps is base64url(SHA-256(secret)), never the secret', async () => {
  const hash = await secretHash(FIRST)
  assert.equal(hash, b64url(createHash('sha256').update(FIRST).digest()))
  assert.notEqual(hash, FIRST)
})
