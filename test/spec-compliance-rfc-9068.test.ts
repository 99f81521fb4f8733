import { test } from 'tap'
import type { FastifyJWTOptions } from '@fastify/jwt'
import { SECRET } from './helpers.js'
import { buildHarness, expectAnswer, granted, INVALID_TOKEN, type Expected, type HarnessOptions } from './invariants.js'
import { signHs256 } from './tokens.js'

// RFC 9068 §2.2 (the claims of a JWT access token: iss, exp, aud, sub, client_id, iat, jti) and
// §4 (validation: typ at+jwt, issuer, audience, expiry), RFC 7519 §4.1 (exp, nbf, iat semantics).
// The clock is fixed (verify.clockTimestamp) so that "now" is exact.

const NOW = 1_900_000_000
const CLOCK = NOW * 1000 + 500
const ISSUER = 'https://issuer.example'
const AUDIENCE = 'https://api.example'
const AT_JWT = { alg: 'HS256', typ: 'at+jwt' }
const base = { iss: ISSUER, aud: AUDIENCE, sub: 'client-1', client_id: 'client-1', jti: 'j-1', iat: NOW - 10, exp: NOW + 300, scope: 'read:chat' }
const OK = granted('read:chat')

/** The recommended verifier: issuer and audience allow-lists and RFC 9068's claims required. */
function recommended (extra: Record<string, unknown> = {}): HarnessOptions {
  return {
    jwt: {
      secret: SECRET,
      verify: {
        algorithms: ['HS256'],
        allowedIss: ISSUER,
        allowedAud: AUDIENCE,
        requiredClaims: ['iss', 'aud', 'exp', 'iat', 'sub', 'client_id', 'jti'],
        clockTimestamp: CLOCK,
        ...extra
      }
    } as unknown as Partial<FastifyJWTOptions>
  }
}

const withTyp = recommended({ checkTyp: 'at+jwt' })
const without = (claim: string): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([name]) => name !== claim))

interface ClaimCase {
  readonly name: string
  readonly header?: Record<string, unknown>
  readonly payload: Record<string, unknown>
  readonly options?: HarnessOptions
  readonly expected?: Expected
}

const cases: ClaimCase[] = [
  { name: 'accepts a complete RFC 9068 access token (control)', payload: base, expected: OK },
  { name: 'refuses an expired token', payload: { ...base, exp: NOW - 60 } },
  { name: 'refuses a token whose exp equals now (RFC 7519 §4.1.4: now must be before exp)', payload: { ...base, exp: NOW } },
  { name: 'accepts a token expiring one second from now', payload: { ...base, exp: NOW + 1 }, expected: OK },
  { name: 'refuses a token whose nbf is in the future', payload: { ...base, nbf: NOW + 60 } },
  { name: 'accepts a token whose nbf equals now', payload: { ...base, nbf: NOW }, expected: OK },
  { name: 'accepts an iat in the future, which RFC 7519 §4.1.6 makes informational (nbf and exp govern)', payload: { ...base, iat: NOW + 3600 }, expected: OK },
  { name: 'refuses exp given as a string', payload: { ...base, exp: 'soon' } },
  { name: 'refuses exp given as a numeric string', payload: { ...base, exp: String(NOW + 300) } },
  { name: 'refuses nbf given as a string', payload: { ...base, nbf: 'now' } },
  { name: 'refuses exp given as null', payload: { ...base, exp: null } },
  { name: 'refuses exp given as an array', payload: { ...base, exp: [NOW + 300] } },
  { name: 'refuses iss given as a number', payload: { ...base, iss: 123 } },
  { name: 'refuses a token without iss when iss is required', payload: without('iss') },
  { name: 'refuses a token without aud when aud is required', payload: without('aud') },
  { name: 'refuses a token without exp when exp is required', payload: without('exp') },
  { name: 'refuses a token without sub when sub is required', payload: without('sub') },
  { name: 'refuses a token without client_id when client_id is required', payload: without('client_id') },
  { name: 'refuses a token without jti when jti is required', payload: without('jti') },
  { name: 'refuses a wrong issuer', payload: { ...base, iss: 'https://evil.example' } },
  { name: 'refuses an issuer that extends the allowed one', payload: { ...base, iss: `${ISSUER}.evil` } },
  { name: 'refuses an issuer with a trailing slash added', payload: { ...base, iss: `${ISSUER}/` } },
  { name: 'refuses an issuer in another case', payload: { ...base, iss: ISSUER.toUpperCase() } },
  { name: 'refuses a wrong audience', payload: { ...base, aud: 'https://other.example' } },
  { name: 'refuses an audience array that lacks this API', payload: { ...base, aud: ['https://other.example', 'x'] } },
  { name: 'accepts an audience array that holds this API', payload: { ...base, aud: ['https://other.example', AUDIENCE] }, expected: OK },
  { name: 'refuses an empty audience array', payload: { ...base, aud: [] } },
  { name: 'refuses typ JWT when checkTyp is at+jwt', header: { alg: 'HS256', typ: 'JWT' }, payload: base, options: withTyp },
  { name: 'refuses a missing typ when checkTyp is at+jwt', header: { alg: 'HS256' }, payload: base, options: withTyp },
  { name: 'refuses typ at+jwt with a suffix when checkTyp is at+jwt', header: { alg: 'HS256', typ: 'at+jwt2' }, payload: base, options: withTyp },
  { name: 'refuses typ given as a number when checkTyp is at+jwt', header: { alg: 'HS256', typ: 1 }, payload: base, options: withTyp },
  { name: 'accepts typ at+jwt when checkTyp is at+jwt', payload: base, options: withTyp, expected: OK },
  { name: 'accepts typ at+JWT (media types are case-insensitive)', header: { alg: 'HS256', typ: 'at+JWT' }, payload: base, options: withTyp, expected: OK },
  { name: 'accepts typ application/at+jwt (RFC 7515 §4.1.9 allows the prefix)', header: { alg: 'HS256', typ: 'application/at+jwt' }, payload: base, options: withTyp, expected: OK }
]

for (const { name, header, payload, options, expected } of cases) {
  test(name, async (t) => {
    const harness = await buildHarness(t, options ?? recommended())
    const token = signHs256(header ?? AT_JWT, payload, SECRET)
    await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${token}` } }, expected ?? INVALID_TOKEN)
  })
}

test('a verifier with allowedIss but no requiredClaims accepts a token without iss: require the claims too', async (t) => {
  const harness = await buildHarness(t, { jwt: { secret: SECRET, verify: { allowedIss: ISSUER, clockTimestamp: CLOCK } } as unknown as Partial<FastifyJWTOptions> })
  const token = signHs256(AT_JWT, without('iss'), SECRET)
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${token}` } }, OK)
})
