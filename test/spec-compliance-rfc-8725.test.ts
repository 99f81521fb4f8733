import { test } from 'tap'
import { generateKeyPairSync } from 'node:crypto'
import type { FastifyJWTOptions } from '@fastify/jwt'
import { buildHarness, expectAnswer, granted, INVALID_TOKEN, type Expected, type HarnessOptions } from './invariants.js'
import { nowSeconds, rsaKeys, signHs256, signRs256, unsigned } from './tokens.js'

// RFC 8725 (JWT Best Current Practices) §2.1/§3.1 algorithm verification and allow-lists, §3.2
// (no `none`), §2.2/§3.10 key confusion and untrusted key references (jku, x5u, jwk, kid), and
// RFC 7515 §4.1.11 (an unknown `crit` entry must be refused).

const { publicKey, privateKey } = rsaKeys()
const attacker = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
})
const RS = { alg: 'RS256', typ: 'JWT' }
const claims = { scope: 'read:chat', exp: nowSeconds() + 3600 }
const OK = granted('read:chat')

/** An RS256 verifier; `allowList` adds verify.algorithms ['RS256'] (the recommended setting). */
function rs256 (allowList: boolean): HarnessOptions {
  const jwt = {
    secret: { public: publicKey, private: privateKey },
    sign: { algorithm: 'RS256' },
    ...(allowList ? { verify: { algorithms: ['RS256'] } } : {})
  }
  return { jwt: jwt as Partial<FastifyJWTOptions> }
}

/** A verifier that picks its key by `kid`, as a JWKS-backed one does. */
const byKid: HarnessOptions = {
  jwt: {
    secret: async (_request: unknown, token: { header: { kid?: unknown } }) => {
      if (token.header.kid !== 'key-1') throw new Error('unknown kid')
      return publicKey
    },
    decode: { complete: true },
    verify: { algorithms: ['RS256'] }
  } as unknown as Partial<FastifyJWTOptions>
}

interface KeyCase {
  readonly name: string
  readonly token: string
  readonly options: HarnessOptions
  readonly expected?: Expected
}

const cases: KeyCase[] = [
  { name: 'accepts a valid RS256 token (control)', token: signRs256(RS, claims, privateKey), options: rs256(true), expected: OK },
  { name: 'refuses alg none without a signature', token: unsigned({ alg: 'none' }, claims), options: rs256(true) },
  { name: 'refuses alg none with a signature', token: unsigned({ alg: 'none' }, claims, 'c2lnbmF0dXJl'), options: rs256(true) },
  { name: 'refuses alg none without a signature when no allow-list is set', token: unsigned({ alg: 'none' }, claims), options: rs256(false) },
  { name: 'refuses alg none with a signature when no allow-list is set', token: unsigned({ alg: 'none' }, claims, 'c2lnbmF0dXJl'), options: rs256(false) },
  { name: 'refuses alg "None" in another case', token: unsigned({ alg: 'None' }, claims), options: rs256(true) },
  { name: 'refuses alg "NONE" with a signature', token: unsigned({ alg: 'NONE' }, claims, 'eA'), options: rs256(false) },
  { name: 'refuses HS256 signed with the RSA public key', token: signHs256({ alg: 'HS256' }, claims, publicKey), options: rs256(true) },
  { name: 'refuses HS256 signed with the RSA public key when no allow-list is set', token: signHs256({ alg: 'HS256' }, claims, publicKey), options: rs256(false) },
  { name: 'refuses HS256 signed with the public key PEM without its final newline', token: signHs256({ alg: 'HS256' }, claims, publicKey.trim()), options: rs256(false) },
  { name: 'refuses an RS256 signature under an alg outside the allow-list (RS512)', token: signRs256({ alg: 'RS512' }, claims, privateKey), options: rs256(true) },
  { name: 'refuses an ES256 header over an RS256 signature', token: signRs256({ alg: 'ES256' }, claims, privateKey), options: rs256(true) },
  { name: 'refuses an alg with a trailing space', token: signRs256({ alg: 'RS256 ' }, claims, privateKey), options: rs256(true) },
  { name: 'refuses an alg in lowercase', token: signRs256({ alg: 'rs256' }, claims, privateKey), options: rs256(true) },
  { name: 'refuses a token signed by another RSA key', token: signRs256(RS, claims, attacker.privateKey), options: rs256(true) },
  { name: 'refuses an unknown kid when keys are chosen by kid', token: signRs256({ ...RS, kid: 'key-2' }, claims, privateKey), options: byKid },
  { name: 'refuses a kid that looks like a path', token: signRs256({ ...RS, kid: '../../../../dev/null' }, claims, privateKey), options: byKid },
  { name: 'refuses a token with no kid when keys are chosen by kid', token: signRs256(RS, claims, privateKey), options: byKid },
  { name: 'accepts a known kid when keys are chosen by kid (control)', token: signRs256({ ...RS, kid: 'key-1' }, claims, privateKey), options: byKid, expected: OK },
  { name: 'ignores a jku header: a token signed by the key it points to is refused', token: signRs256({ ...RS, jku: 'http://127.0.0.1:9/jwks.json' }, claims, attacker.privateKey), options: rs256(true) },
  { name: 'ignores an x5u header: a token signed by the key it points to is refused', token: signRs256({ ...RS, x5u: 'http://127.0.0.1:9/cert.pem' }, claims, attacker.privateKey), options: rs256(true) },
  {
    name: 'ignores an embedded jwk header: a token signed by that key is refused',
    token: signRs256({ ...RS, jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }, claims, attacker.privateKey),
    options: rs256(true)
  },
  { name: 'ignores jku, x5u and jwk headers on a token signed by the configured key', token: signRs256({ ...RS, jku: 'http://127.0.0.1:9/', x5u: 'http://127.0.0.1:9/', jwk: {} }, claims, privateKey), options: rs256(true), expected: OK },
  { name: 'refuses an unknown crit entry', token: signRs256({ ...RS, crit: ['exp-policy'], 'exp-policy': 1 }, claims, privateKey), options: rs256(true) },
  { name: 'refuses crit naming b64 (unencoded payloads are not supported)', token: signRs256({ ...RS, crit: ['b64'], b64: false }, claims, privateKey), options: rs256(true) },
  { name: 'refuses crit that is not an array', token: signRs256({ ...RS, crit: 'exp-policy' }, claims, privateKey), options: rs256(true) },
  { name: 'refuses an RS256 token on an HS256 verifier', token: signRs256(RS, claims, privateKey), options: {} },
  { name: 'refuses an HS256 token signed with another secret', token: signHs256({ alg: 'HS256' }, claims, 'another-secret-that-is-long-enough-for-hs256'), options: {} },
  { name: 'refuses an HS512 header over an HS256 signature', token: signHs256({ alg: 'HS512' }, claims, 'test-secret-that-is-long-enough-for-hs256'), options: {} }
]

for (const { name, token, options, expected } of cases) {
  test(name, async (t) => {
    const harness = await buildHarness(t, options)
    await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${token}` } }, expected ?? INVALID_TOKEN)
  })
}
