// Issue 8, item 1 at the edge: a list option that comes out empty never switches a check off.
// guard's scopes, issuer and audience; authRoutes' audience and allowedOrigins.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { guard } from 'jwt-wasm/edge'
import { setup } from './auth-harness.mjs'

const KEYS = [{ kid: 'k1', alg: 'HS256', secret: 'edge-empty-lists-secret-0123456789-abc' }]
const BASE = { keys: KEYS, algorithms: ['HS256'], issuer: 'https://auth.example', audience: 'api' }
const h = () => new Response()
const invalid = (fn, pattern) =>
  assert.throws(fn, (e) => e instanceof TypeError && e.code === 'ERR_INVALID_OPTIONS' && pattern.test(e.message))

test('guard: scopes: [] is refused (omit it to require no scope)', () => {
  invalid(() => guard(h, { ...BASE, scopes: [] }), /options\.scopes must name at least one scope; omit it/)
  invalid(() => guard(h, { ...BASE, keys: () => KEYS, scopes: [] }), /options\.scopes/)
  assert.equal(typeof guard(h, { ...BASE, scopes: ['read'] }), 'function')
  assert.equal(typeof guard(h, BASE), 'function')
})

test('guard: issuer: [] and audience: [] are refused, also with keys from env', () => {
  for (const keys of [KEYS, () => KEYS]) {
    invalid(() => guard(h, { ...BASE, keys, issuer: [] }), /options\.issuer/)
    invalid(() => guard(h, { ...BASE, keys, audience: [] }), /options\.audience/)
    invalid(() => guard(h, { ...BASE, keys, requiredClaims: [] }), /options\.requiredClaims/)
  }
})

test('authRoutes: audience: [] and allowedOrigins: [] are refused', () => {
  invalid(() => setup({ options: { audience: [] } }), /options\.audience/)
  invalid(() => setup({ options: { allowedOrigins: [] } }), /options\.allowedOrigins/)
})
