import { test } from 'tap'
import { defineScopes } from '../src/index.js'
import { SECRET } from './helpers.js'
import { buildHarness, expectAnswer, granted, insufficient, type Expected, type HarnessOptions } from './invariants.js'
import { signHs256 } from './tokens.js'

// RFC 6749 §3.3 (scope: space-delimited, case-sensitive scope-tokens), RFC 9068 §2.2.3 (the
// `scope` claim) and RFC 8693 §4.2 (`scope` as a claim). The route GET /chats needs read:chat;
// GET /me needs any valid token and echoes the granted scopes the registry knows.

const HS = { alg: 'HS256', typ: 'JWT' }
const DENIED = insufficient('read:chat')
const OK = granted('read:chat')

interface ScopeCase {
  readonly name: string
  /** The payload as an object, or raw JSON text when the text itself matters. */
  readonly payload: Record<string, unknown> | string
  readonly url?: string
  readonly expected: Expected
  readonly options?: HarnessOptions
}

const claim = (scope: unknown): Record<string, unknown> => ({ scope })

const cases: ScopeCase[] = [
  // Every JSON type as the scope claim.
  { name: 'grants read:chat from the string "read:chat" (control)', payload: claim('read:chat'), expected: OK },
  { name: 'grants read:chat from the array ["read:chat"] (control)', payload: claim(['read:chat']), expected: OK },
  { name: 'grants nothing from a null scope', payload: claim(null), expected: DENIED },
  { name: 'grants nothing from scope true', payload: claim(true), expected: DENIED },
  { name: 'grants nothing from scope false', payload: claim(false), expected: DENIED },
  { name: 'grants nothing from scope 0', payload: claim(0), expected: DENIED },
  { name: 'grants nothing from scope 1.5', payload: claim(1.5), expected: DENIED },
  { name: 'grants nothing from an empty object', payload: claim({}), expected: DENIED },
  { name: 'grants nothing from an object keyed by the scope', payload: claim({ 'read:chat': true }), expected: DENIED },
  { name: 'grants nothing from an object with a length and the scope at 0', payload: claim({ 0: 'read:chat', length: 1 }), expected: DENIED },
  { name: 'grants nothing from an empty string', payload: claim(''), expected: DENIED },
  { name: 'grants nothing from an empty array', payload: claim([]), expected: DENIED },
  { name: 'grants nothing from a missing scope claim', payload: {}, expected: DENIED },
  // Arrays with non-strings.
  { name: 'grants nothing from [null]', payload: claim([null]), expected: DENIED },
  { name: 'grants nothing from [1, true, {}]', payload: claim([1, true, {}]), expected: DENIED },
  { name: 'grants nothing from an array nesting the scope one level down', payload: claim([['read:chat']]), expected: DENIED },
  { name: 'grants nothing from an object inside an array holding the scope', payload: claim([{ scope: 'read:chat' }]), expected: DENIED },
  { name: 'grants the scope from an array mixing it with non-strings', payload: claim([1, null, 'read:chat', {}]), expected: OK },
  { name: 'grants nothing from arrays nested 5,000 deep around the scope', payload: `{"scope":${'['.repeat(5000)}"read:chat"${']'.repeat(5000)}}`, expected: DENIED },
  { name: 'echoes no scope from arrays nested 5,000 deep', payload: `{"scope":${'['.repeat(5000)}"read:chat"${']'.repeat(5000)}}`, url: '/me', expected: granted() },
  // Whitespace: only SP (%x20) delimits.
  { name: 'grants nothing when a tab separates the scopes', payload: claim('read:self\tread:chat'), expected: DENIED },
  { name: 'grants nothing when a newline separates the scopes', payload: claim('read:self\nread:chat'), expected: DENIED },
  { name: 'grants nothing when a carriage return ends the scope', payload: claim('read:chat\r'), expected: DENIED },
  { name: 'grants nothing when a no-break space separates the scopes', payload: claim('read:self\u00a0read:chat'), expected: DENIED },
  { name: 'grants nothing when an ideographic space separates the scopes', payload: claim('read:self\u3000read:chat'), expected: DENIED },
  { name: 'tolerates runs of spaces between scope-tokens', payload: claim('read:self    read:chat'), expected: granted('read:self', 'read:chat') },
  { name: 'tolerates leading and trailing spaces', payload: claim('  read:chat  '), expected: OK },
  { name: 'grants nothing from an array entry with surrounding spaces', payload: claim([' read:chat ']), expected: DENIED },
  { name: 'grants nothing from an array entry holding two scopes', payload: claim(['read:self read:chat']), expected: DENIED },
  // Case, prefixes, suffixes, wildcards, look-alikes.
  { name: 'grants nothing from READ:CHAT (scopes are case-sensitive)', payload: claim('READ:CHAT'), expected: DENIED },
  { name: 'grants nothing from Read:Chat', payload: claim('Read:Chat'), expected: DENIED },
  { name: 'grants nothing from the prefix read:cha', payload: claim('read:cha'), expected: DENIED },
  { name: 'grants nothing from the suffixed read:chats', payload: claim('read:chats'), expected: DENIED },
  { name: 'grants nothing from the prefixed xread:chat', payload: claim('xread:chat'), expected: DENIED },
  { name: 'grants nothing from read:chat:extra', payload: claim('read:chat:extra'), expected: DENIED },
  { name: 'grants nothing from read:chat glued to itself', payload: claim('read:chatread:chat'), expected: DENIED },
  { name: 'grants nothing from write:chat and read:chats around the name', payload: claim('xread:chat read:chatx'), expected: DENIED },
  { name: 'grants nothing from the wildcard read:*', payload: claim('read:*'), expected: DENIED },
  { name: 'grants nothing from the wildcard *', payload: claim('*'), expected: DENIED },
  { name: 'grants nothing from the wildcard *:chat', payload: claim('*:chat'), expected: DENIED },
  { name: 'grants nothing from read and chat apart', payload: claim('read chat'), expected: DENIED },
  { name: 'grants nothing from a Cyrillic a in read:chat', payload: claim('re\u0430d:chat'), expected: DENIED },
  { name: 'grants nothing from a fullwidth colon in read:chat', payload: claim('read\uff1achat'), expected: DENIED },
  { name: 'grants nothing from a ratio sign in place of the colon', payload: claim('read\u2236chat'), expected: DENIED },
  { name: 'grants nothing from read:chat followed by a zero-width space', payload: claim('read:chat\u200b'), expected: DENIED },
  { name: 'grants nothing from read:chat with a combining mark', payload: claim('read:chat\u0301'), expected: DENIED },
  { name: 'grants nothing from read:chat in decomposed-looking Unicode (ｒｅａｄ:ｃｈａｔ)', payload: claim('\uff52\uff45\uff41\uff44:\uff43\uff48\uff41\uff54'), expected: DENIED },
  // Object.prototype names, as scopes and as claim keys.
  { name: 'grants nothing from __proto__ constructor toString hasOwnProperty as scopes', payload: claim('__proto__ constructor toString hasOwnProperty'), expected: DENIED },
  { name: 'echoes none of the Object.prototype names as granted scopes', payload: claim(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']), url: '/me', expected: granted() },
  { name: 'ignores a scope held under an own __proto__ key of the payload', payload: '{"__proto__":{"scope":"read:chat"}}', expected: DENIED },
  { name: 'ignores a scope held under constructor.prototype in the payload', payload: '{"constructor":{"prototype":{"scope":"read:chat"}}}', expected: DENIED },
  { name: 'reads scope when the payload also has __proto__ and constructor keys', payload: '{"__proto__":{"x":1},"constructor":1,"toString":1,"hasOwnProperty":1,"scope":"read:chat"}', expected: OK },
  { name: 'grants nothing from a scope claim that is {"__proto__": ["read:chat"]}', payload: '{"scope":{"__proto__":["read:chat"]}}', expected: DENIED },
  // Duplicates, size.
  { name: 'grants and echoes a duplicated scope once', payload: claim('read:chat read:chat read:chat'), url: '/me', expected: granted('read:chat') },
  { name: 'grants and echoes a scope duplicated in an array once', payload: claim(['read:chat', 'read:chat']), url: '/me', expected: granted('read:chat') },
  {
    name: 'grants nothing from 10,000 unknown scopes',
    payload: claim(Array.from({ length: 10_000 }, (_, at) => `read:chat${at}`).join(' ')),
    options: { scopes: { maxTokenLength: 1_000_000 } },
    expected: DENIED
  },
  {
    name: 'finds read:chat last among 10,000 scopes',
    payload: claim([...Array.from({ length: 9_999 }, (_, at) => `x:${at}`), 'read:chat'].join(' ')),
    options: { scopes: { maxTokenLength: 1_000_000 } },
    expected: OK
  },
  {
    name: 'finds read:chat last in an array of 10,000 scopes',
    payload: claim([...Array.from({ length: 9_999 }, (_, at) => `x:${at}`), 'read:chat']),
    options: { scopes: { maxTokenLength: 1_000_000 } },
    expected: OK
  },
  // scope and scp.
  { name: 'reads scp when scope is absent', payload: { scp: ['read:chat'] }, expected: OK },
  { name: 'reads scp given as a string when scope is absent', payload: { scp: 'read:chat' }, expected: OK },
  { name: 'lets scope win over scp, never merging them', payload: { scope: 'read:self', scp: ['read:chat'] }, expected: DENIED },
  { name: 'never falls back to scp when scope has the wrong type', payload: { scope: 42, scp: 'read:chat' }, expected: DENIED },
  { name: 'never falls back to scp when scope is null', payload: { scope: null, scp: 'read:chat' }, expected: DENIED },
  { name: 'never falls back to scp when scope is empty', payload: { scope: '', scp: 'read:chat' }, expected: DENIED },
  { name: 'echoes only the scope claim\'s scopes when scp is present too', payload: { scope: 'read:self', scp: 'read:chat' }, url: '/me', expected: granted('read:self') },
  // Scopes the registry does not know.
  { name: 'grants nothing from scopes the registry does not know', payload: claim('admin root read:everything'), expected: DENIED },
  { name: 'ignores unknown scopes beside a known one', payload: claim('admin read:chat'), expected: OK },
  { name: 'echoes only the known scopes', payload: claim('admin read:chat superuser'), url: '/me', expected: granted('read:chat') },
  // anyOf.
  { name: 'satisfies an anyOf route by its single-scope alternative', payload: claim('read:post'), url: '/feed', expected: granted('read:post') },
  { name: 'satisfies an anyOf route by its two-scope alternative', payload: claim('read:fan read:creator'), url: '/feed', expected: granted('read:fan', 'read:creator') },
  { name: 'refuses an anyOf route given half of an alternative', payload: claim('read:fan'), url: '/feed', expected: insufficient('read:post') }
]

for (const { name, payload, url, expected, options } of cases) {
  test(name, async (t) => {
    const harness = await buildHarness(t, options)
    const token = signHs256(HS, payload, SECRET)
    await expectAnswer(t, harness, { url: url ?? '/chats', headers: { authorization: `Bearer ${token}` } }, expected)
  })
}

const implying = defineScopes({
  Chat: {
    'read:chat': 'Read chats',
    'write:chat': { description: 'Write chats', implies: ['read:chat'] },
    'admin:chat': { description: 'Administer chats', implies: ['write:chat'] }
  },
  Self: { 'read:self': 'Read yourself' }
})

const implyingRoutes: HarnessOptions['routes'] = (app, handler) => {
  app.get('/chats', { config: { scopes: ['read:chat'] } }, handler)
  app.post('/chats', { config: { scopes: ['write:chat'] } }, handler)
}

test('never echoes claim values or the subject in a refusal', async (t) => {
  const harness = await buildHarness(t)
  const marker = 'MARKER-claim-value-7f3a'
  const token = signHs256(HS, { sub: `${marker}-sub`, scope: `${marker} read:self`, scp: marker, client_id: `${marker}-client` }, SECRET)
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${token}` } }, { ...DENIED, secrets: [marker] })
  const expired = signHs256(HS, { sub: `${marker}-sub`, scope: `${marker} read:chat`, exp: 1 }, SECRET)
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${expired}` } }, { status: 401, error: 'invalid_token', secrets: [marker] })
})

test('satisfies read:chat through a chain of implies (admin:chat → write:chat → read:chat)', async (t) => {
  const harness = await buildHarness(t, { scopes: { registry: implying }, routes: implyingRoutes })
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, claim('admin:chat'), SECRET)}` } }, granted('admin:chat'))
})

test('never lets an implied scope satisfy the scope that implies it', async (t) => {
  const harness = await buildHarness(t, { scopes: { registry: implying }, routes: implyingRoutes })
  await expectAnswer(t, harness, { method: 'POST', url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, claim('read:chat'), SECRET)}` } }, {
    status: 403, error: 'insufficient_scope', scope: ['write:chat']
  })
})

test('grants nothing from a scope inherited from a polluted Object.prototype', async (t) => {
  const harness = await buildHarness(t)
  const prototype = Object.prototype as Record<string, unknown>
  prototype.scope = 'read:chat'
  let answer
  try {
    answer = await harness.run({ url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, {}, SECRET)}` } })
  } finally {
    delete prototype.scope
  }
  t.equal(answer.statusCode, 403)
  t.equal(harness.counters.handler, 0)
  t.equal(({} as Record<string, unknown>).scope, undefined)
})

test('answers 403, not 500, when getScopes throws', async (t) => {
  const harness = await buildHarness(t, { scopes: { getScopes: () => { throw new Error('boom') } } })
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, claim('read:chat'), SECRET)}` } }, DENIED)
})

test('grants nothing when getScopes returns a number', async (t) => {
  const harness = await buildHarness(t, { scopes: { getScopes: () => 42 as never } })
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, claim('read:chat'), SECRET)}` } }, DENIED)
})

test('reads only the configured scopeClaim, not scope', async (t) => {
  const harness = await buildHarness(t, { scopes: { scopeClaim: 'permissions' } })
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${signHs256(HS, { scope: 'read:chat', permissions: ['read:self'] }, SECRET)}` } }, DENIED)
})
