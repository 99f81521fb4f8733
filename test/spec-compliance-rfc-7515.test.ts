import { test } from 'tap'
import { SECRET } from './helpers.js'
import { buildHarness, expectAnswer, granted, insufficient, INVALID_TOKEN, type Expected } from './invariants.js'
import { b64url, nowSeconds, signHs256, unsigned } from './tokens.js'

// RFC 7515 §7.1 (JWS compact serialization: three base64url segments) and RFC 7519 §7.2 (the
// header and the claims set are UTF-8 JSON objects). Every malformed token is a 401 invalid_token.

const HS = { alg: 'HS256', typ: 'JWT' }
const claims = { scope: 'read:chat', exp: nowSeconds() + 3600 }
const good = signHs256(HS, claims, SECRET)
const [goodHeader, goodPayload, goodSignature] = good.split('.') as [string, string, string]

interface TokenCase {
  readonly name: string
  readonly token: string
  readonly expected?: Expected
}

const cases: TokenCase[] = [
  { name: 'refuses a token of one segment', token: goodHeader },
  { name: 'refuses a token of two segments', token: `${goodHeader}.${goodPayload}` },
  { name: 'refuses a token of four segments', token: `${good}.${goodSignature}` },
  { name: 'refuses a token of five segments (the JWE shape)', token: `${goodHeader}.${goodPayload}.${goodSignature}.${goodPayload}.${goodSignature}` },
  { name: 'refuses a token of empty segments', token: '..' },
  { name: 'refuses a token of dots only', token: '.....' },
  { name: 'refuses segments that are not base64url', token: '!!!.###.$$$' },
  { name: 'refuses a header in standard base64 with padding', token: `${Buffer.from(JSON.stringify(HS)).toString('base64')}==.${goodPayload}.${goodSignature}` },
  { name: 'refuses a header that is not JSON', token: signHs256('not json', claims, SECRET) },
  { name: 'refuses a payload that is not JSON', token: signHs256(HS, 'scope=read:chat', SECRET) },
  { name: 'refuses a signed payload that is a JSON array', token: signHs256(HS, '["read:chat"]', SECRET) },
  { name: 'refuses a signed payload that is a JSON string', token: signHs256(HS, '"read:chat"', SECRET) },
  { name: 'refuses a signed payload that is a JSON number', token: signHs256(HS, '42', SECRET) },
  { name: 'refuses a signed payload that is JSON null', token: signHs256(HS, 'null', SECRET) },
  { name: 'refuses a signed payload that is JSON true', token: signHs256(HS, 'true', SECRET) },
  { name: 'refuses a header that is a JSON array', token: signHs256('["HS256"]', claims, SECRET) },
  { name: 'refuses a signed payload with trailing text after the JSON', token: signHs256(HS, `${JSON.stringify(claims)}x`, SECRET) },
  { name: 'refuses a signed payload starting with a UTF-8 byte order mark', token: signHs256(HS, `\ufeff${JSON.stringify(claims)}`, SECRET) },
  { name: 'refuses a token with an empty signature', token: `${goodHeader}.${goodPayload}.` },
  { name: 'refuses a token with a truncated signature', token: good.slice(0, -2) },
  { name: 'refuses a token with another token\'s signature', token: `${goodHeader}.${b64url({ scope: 'read:chat write:chat' })}.${goodSignature}` },
  { name: 'refuses a header without alg', token: signHs256({ typ: 'JWT' }, claims, SECRET) },
  { name: 'refuses a signed payload of invalid UTF-8 whose signature is wrong', token: `${goodHeader}.${b64url(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))}.${goodSignature}` },
  { name: 'refuses a 16,000-character segment of garbage', token: `${goodHeader}.${'A'.repeat(16000)}.${goodSignature}` },
  {
    name: 'grants nothing from a signed payload of invalid UTF-8 in the scope (decoded as U+FFFD)',
    token: signHs256(HS, Buffer.concat([Buffer.from('{"scope":"read:chat'), Buffer.from([0xff]), Buffer.from('"}')]), SECRET),
    expected: insufficient('read:chat')
  },
  {
    name: 'takes the last of duplicate scope members, as JSON.parse does (RFC 7519 §4)',
    token: signHs256(HS, '{"scope":"read:chat","scope":"read:self"}', SECRET),
    expected: insufficient('read:chat')
  },
  {
    name: 'grants a scope given by the last of duplicate scope members',
    token: signHs256(HS, '{"scope":"read:self","scope":"read:chat"}', SECRET),
    expected: granted('read:chat')
  },
  {
    name: 'answers 403, not 500, to a signed claim nested 5,000 arrays deep',
    token: signHs256(HS, `{"scope":"read:self","deep":${'['.repeat(5000)}1${']'.repeat(5000)}}`, SECRET),
    expected: insufficient('read:chat')
  }
]

for (const { name, token, expected } of cases) {
  test(name, async (t) => {
    const harness = await buildHarness(t)
    await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${token}` } }, expected ?? INVALID_TOKEN)
  })
}

test('refuses an unsigned token even when the signing input is intact', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${unsigned(HS, claims)}` } }, INVALID_TOKEN)
})
