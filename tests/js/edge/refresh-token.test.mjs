// The refresh-token format of authRoutes alone (src/js/edge/refresh-token.js): `<familyId>.<secret>`,
// parsing that refuses everything else, and the successor rule computed independently with node:crypto.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, createHash } from 'node:crypto'
import { internal } from './internal.mjs'

const { FAMILY_BYTES, SECRET_BYTES, firstToken, formatToken, parseToken, successor, secretHash } =
  await internal('edge/refresh-token.js')

const SECRET = 'refresh-derivation-secret-0123456789abcdef'
const secretBytes = new TextEncoder().encode(SECRET)
const b64url = (buf) => Buffer.from(buf).toString('base64url')
const FAMILY = b64url(Uint8Array.from({ length: 16 }, (_, i) => i))
const FIRST = b64url(Uint8Array.from({ length: 32 }, (_, i) => 100 + i))

test('refresh token: 16 bytes of family id and 32 of secret, drawn in that order; formatted and parsed back', () => {
  assert.equal(FAMILY_BYTES, 16)
  assert.equal(SECRET_BYTES, 32)
  const asked = []
  const token = firstToken((n) => {
    asked.push(n)
    return b64url(new Uint8Array(n).fill(asked.length))
  })
  assert.deepEqual(asked, [16, 32])
  assert.equal(token.familyId, b64url(new Uint8Array(16).fill(1)))
  assert.equal(token.secret, b64url(new Uint8Array(32).fill(2)))
  const value = formatToken(token)
  assert.equal(value, `${token.familyId}.${token.secret}`)
  assert.deepEqual(parseToken(value), token)
  assert.deepEqual(parseToken(`${FAMILY}.${FIRST}`), { familyId: FAMILY, secret: FIRST })
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

test('successor: base64url(HMAC-SHA256(refreshSecret, familyId + "." + secret)), same family, deterministic, a chain', async () => {
  const t0 = { familyId: FAMILY, secret: FIRST }
  const t1 = await successor(secretBytes, t0)
  assert.deepEqual(t1, {
    familyId: FAMILY,
    secret: b64url(createHmac('sha256', SECRET).update(`${FAMILY}.${FIRST}`).digest()),
  })
  assert.deepEqual(await successor(secretBytes, t0), t1, 'a retry of the predecessor gets the same successor')
  assert.ok(parseToken(formatToken(t1)), 'a successor is a well-formed token')
  const t2 = await successor(secretBytes, t1)
  assert.equal(t2.secret, b64url(createHmac('sha256', SECRET).update(`${FAMILY}.${t1.secret}`).digest()))
  const other = await successor(new TextEncoder().encode('another-refresh-secret-0123456789abcdef'), t0)
  assert.notEqual(other.secret, t1.secret)
})

test('secretHash: what a store keeps is base64url(SHA-256(secret)), never the secret', async () => {
  const hash = await secretHash(FIRST)
  assert.equal(hash, b64url(createHash('sha256').update(FIRST).digest()))
  assert.notEqual(hash, FIRST)
})
