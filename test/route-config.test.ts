import { test } from 'tap'
import { errors } from '../src/index.js'
import { buildApp, bearer, echoScopes } from './helpers.js'

test('a route without config.scopes is public: no token needed', async (t) => {
  const app = await buildApp(t)
  app.get('/open', echoScopes)
  const response = await app.inject({ url: '/open' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { ok: true, scopes: [] })
  t.equal(response.headers['www-authenticate'], undefined)
})

test('scopes: false is public, and a token sent there is not even verified', async (t) => {
  const app = await buildApp(t)
  app.get('/open', { config: { scopes: false } }, echoScopes)
  const response = await app.inject({ url: '/open', headers: { authorization: 'Bearer not-a-token' } })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { ok: true, scopes: [] })
})

test('scopes: [] needs a valid token and no particular scope', async (t) => {
  const app = await buildApp(t)
  app.get('/me', { config: { scopes: [] } }, echoScopes)
  t.equal((await app.inject({ url: '/me' })).statusCode, 401)
  t.equal((await app.inject({ url: '/me', headers: { authorization: 'Bearer x.y.z' } })).statusCode, 401)
  const response = await app.inject({ url: '/me', headers: bearer(app, {}) })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { ok: true, scopes: [] })
})

test('a list of scopes needs all of them', async (t) => {
  const app = await buildApp(t)
  app.get('/both', { config: { scopes: ['read:chat', 'read:fan'] } }, echoScopes)
  const both = await app.inject({ url: '/both', headers: bearer(app, { scope: 'read:fan read:chat' }) })
  t.equal(both.statusCode, 200)
  const one = await app.inject({ url: '/both', headers: bearer(app, { scope: 'read:chat' }) })
  t.equal(one.statusCode, 403)
  t.same(one.json(), { error: 'Insufficient scopes' })
  t.equal(one.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="read:chat read:fan"')
})

test('anyOf is satisfied by any alternative, an array alternative needing all its scopes', async (t) => {
  const app = await buildApp(t)
  app.get('/any', { config: { scopes: { anyOf: ['read:creator', ['read:fan', 'read:chat']] } } }, echoScopes)
  const cases: Array<[string, number]> = [
    ['read:creator', 200],
    ['read:fan read:chat', 200],
    ['read:chat read:fan read:creator', 200],
    ['read:fan', 403],
    ['read:chat', 403],
    ['', 403]
  ]
  for (const [scope, status] of cases) {
    const response = await app.inject({ url: '/any', headers: bearer(app, { scope }) })
    t.equal(response.statusCode, status, `scope "${scope}"`)
    if (status === 403) {
      t.equal(response.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="read:creator"',
        'the challenge names the first alternative')
    }
  }
})

test('the requirement is frozen at registration: changing config.scopes later changes nothing', async (t) => {
  const app = await buildApp(t)
  const scopes = ['write:chat']
  app.get('/chats', { config: { scopes } }, echoScopes)
  scopes.length = 0
  scopes.push('read:self')
  await app.ready()
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:self' }) })
  t.equal(response.statusCode, 403)
  t.equal(response.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope", scope="write:chat"')
})

test('the user\'s config object is not mutated', async (t) => {
  const app = await buildApp(t)
  const config = { scopes: ['read:chat'], other: 1 }
  app.get('/chats', { config }, echoScopes)
  await app.ready()
  t.same(Object.getOwnPropertySymbols(config), [])
  t.same(config, { scopes: ['read:chat'], other: 1 })
})

test('the route\'s own onRequest hooks are kept and run after the check', async (t) => {
  const app = await buildApp(t)
  const seen: string[] = []
  app.get('/one', { config: { scopes: ['read:chat'] }, onRequest: async () => { seen.push('one') } }, echoScopes)
  app.get('/many', {
    config: { scopes: ['read:chat'] },
    onRequest: [async () => { seen.push('first') }, async () => { seen.push('second') }]
  }, echoScopes)
  t.equal((await app.inject({ url: '/one' })).statusCode, 401)
  t.same(seen, [], 'a refused request never reaches the route\'s hooks')
  t.equal((await app.inject({ url: '/one', headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 200)
  t.equal((await app.inject({ url: '/many', headers: bearer(app, { scope: 'read:chat' }) })).statusCode, 200)
  t.same(seen, ['one', 'first', 'second'])
})

const malformed: Array<[string, unknown, RegExp]> = [
  ['a string', 'read:chat', /the string "read:chat" \(write \["read:chat"\]\)/],
  ['true', true, /config.scopes is true/],
  ['null', null, /config.scopes is null/],
  ['a number in the list', ['read:chat', 7], /holds a number/],
  ['null in the list', [null], /holds a null/],
  ['an object with other keys', { allOf: ['read:chat'] }, /keys \[allOf\]/],
  ['anyOf and more keys', { anyOf: ['read:chat'], allOf: [] }, /keys \[anyOf, allOf\]/],
  ['an empty anyOf', { anyOf: [] }, /anyOf is not a non-empty array/],
  ['anyOf not an array', { anyOf: 'read:chat' }, /anyOf is not a non-empty array/],
  ['an empty anyOf alternative', { anyOf: ['read:chat', []] }, /anyOf\[1\] is empty/],
  ['an anyOf alternative of the wrong type', { anyOf: [7] }, /anyOf\[0\] is not an array/]
]
for (const [what, scopes, message] of malformed) {
  test(`fails ready() on config.scopes that is ${what}, with FST_SCOPES_INVALID_ROUTE_CONFIG naming the route`, async (t) => {
    const app = await buildApp(t)
    app.get('/bad', { config: { scopes: scopes as never } }, echoScopes)
    const error = await app.ready().then(() => undefined, (failure: unknown) => failure) as Error
    t.ok(error instanceof errors.FST_SCOPES_INVALID_ROUTE_CONFIG, String(error))
    t.match(error.message, /^Invalid config.scopes on route GET \/bad: /)
    t.match(error.message, message)
  })
}

test('fails ready() on an unknown scope with FST_SCOPES_UNKNOWN_SCOPE naming scope, method and URL', async (t) => {
  const app = await buildApp(t)
  app.post('/chats', { config: { scopes: ['write:chats'] } }, echoScopes)
  await t.rejects(async () => app.ready(), {
    code: 'FST_SCOPES_UNKNOWN_SCOPE',
    statusCode: 500,
    message: 'Route POST /chats requires scope "write:chats", which the registry does not define: add it to defineScopes() or fix the name'
  })
})

test('scope names are matched case-sensitively at boot too', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: { anyOf: [['Read:Chat']] } } }, echoScopes)
  await t.rejects(async () => app.ready(), { code: 'FST_SCOPES_UNKNOWN_SCOPE', message: /"Read:Chat"/ })
})

test('reports every misconfigured route at once, each only once despite HEAD routes', async (t) => {
  const app = await buildApp(t)
  app.get('/a', { config: { scopes: ['nope:a'] } }, echoScopes)
  app.get('/b', { config: { scopes: 'read:chat' as never } }, echoScopes)
  const error = await app.ready().then(() => undefined, (failure: unknown) => failure) as Error
  t.match(error.message, /Route GET \/a requires scope "nope:a".*\(and 1 more: Invalid config.scopes on route GET \/b: /)
  t.equal(error.message.match(/nope:a/g)?.length, 1)
})

test('a route with several methods names them all', async (t) => {
  const app = await buildApp(t)
  app.route({ method: ['PUT', 'PATCH'], url: '/x', config: { scopes: ['nope'] }, handler: echoScopes })
  await t.rejects(async () => app.ready(), { message: /Route PUT,PATCH \/x requires scope "nope"/ })
})
