import { test } from 'tap'
import { defineScopes } from '../src/index.js'
import { buildApp, bearer, echoScopes, signRaw } from './helpers.js'

async function statusFor (t: Parameters<typeof buildApp>[0], payload: Record<string, unknown>, options = {}): Promise<number> {
  const app = await buildApp(t, options)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  return (await app.inject({ url: '/chats', headers: bearer(app, payload) })).statusCode
}

const granting: Array<[string, Record<string, unknown>]> = [
  ['a space-delimited scope string', { scope: 'read:self read:chat' }],
  ['a scope array', { scope: ['read:self', 'read:chat'] }],
  ['an scp string', { scp: 'read:chat' }],
  ['an scp array', { scp: ['read:chat'] }],
  ['a scope string with runs of spaces', { scope: '  read:self   read:chat  ' }]
]
for (const [what, payload] of granting) {
  test(`grants from ${what}`, async (t) => {
    t.equal(await statusFor(t, payload), 200)
  })
}

const refusing: Array<[string, Record<string, unknown>]> = [
  ['no scope claim', { sub: 'x' }],
  ['another case', { scope: 'READ:CHAT Read:chat' }],
  ['a prefix of the name', { scope: 'read:cha' }],
  ['a longer name', { scope: 'read:chats xread:chat read:chat:all' }],
  ['a wildcard', { scope: 'read:* *' }],
  ['a comma-separated list', { scope: 'read:self,read:chat' }],
  ['a tab delimiter', { scope: 'read:self\tread:chat' }],
  ['a newline delimiter', { scope: 'read:self\nread:chat' }],
  ['a non-breaking space delimiter', { scope: 'read:self\u00a0read:chat' }],
  ['a number', { scope: 7 }],
  ['a boolean', { scope: true }],
  ['null', { scope: null }],
  ['an object', { scope: { 'read:chat': true } }],
  ['a nested array', { scope: [['read:chat']] }],
  ['a non-string entry equal to the name when stringified', { scope: [{ toString: 'read:chat' }] }],
  ['a scope claim of the wrong type beside a good scp (never merged)', { scope: 7, scp: 'read:chat' }],
  ['an empty scope string beside a good scp', { scope: '', scp: 'read:chat' }]
]
for (const [what, payload] of refusing) {
  test(`grants nothing from ${what}`, async (t) => {
    t.equal(await statusFor(t, payload), 403)
  })
}

test('scope wins over scp: they are never merged', async (t) => {
  const app = await buildApp(t)
  app.get('/both', { config: { scopes: ['read:chat', 'read:fan'] } }, echoScopes)
  const response = await app.inject({ url: '/both', headers: bearer(app, { scope: 'read:chat', scp: ['read:fan'] }) })
  t.equal(response.statusCode, 403)
})

test('a payload whose own __proto__ key holds a scope grants nothing', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const token = signRaw({ alg: 'HS256', typ: 'JWT' }, JSON.parse('{"__proto__":{"scope":"read:chat"},"constructor":{"scope":"read:chat"}}'))
  const response = await app.inject({ url: '/chats', headers: { authorization: `Bearer ${token}` } })
  t.equal(response.statusCode, 403)
  t.equal(({} as Record<string, unknown>).scope, undefined, 'Object.prototype is untouched')
})

test('scopeClaim names other claims, first present wins', async (t) => {
  t.equal(await statusFor(t, { permissions: ['read:chat'] }, { scopes: { scopeClaim: 'permissions' } }), 200)
  t.equal(await statusFor(t, { scope: 'read:chat' }, { scopes: { scopeClaim: 'permissions' } }), 403, 'scope is no longer read')
  t.equal(await statusFor(t, { roles: 'read:chat' }, { scopes: { scopeClaim: ['permissions', 'roles'] } }), 200)
  t.equal(await statusFor(t, { permissions: [], roles: 'read:chat' }, { scopes: { scopeClaim: ['permissions', 'roles'] } }), 403)
})

test('getScopes replaces claim reading', async (t) => {
  const getScopes = (payload: unknown): string[] => (payload as { app: { grants: string[] } }).app.grants
  t.equal(await statusFor(t, { app: { grants: ['read:chat'] } }, { scopes: { getScopes } }), 200)
  t.equal(await statusFor(t, { app: { grants: ['read:self'] }, scope: 'read:chat' }, { scopes: { getScopes } }), 403)
  t.equal(await statusFor(t, { app: { grants: 'read:chat' } }, { scopes: { getScopes: (payload: unknown) => (payload as { app: { grants: string } }).app.grants } }), 200)
  t.equal(await statusFor(t, { scope: 'read:chat' }, { scopes: { getScopes: () => 42 as never } }), 403, 'a value of another type grants nothing')
})

test('a getScopes that throws grants nothing and is logged as an error', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const stream = { write: (line: string) => { lines.push(JSON.parse(line)) } }
  const app = await buildApp(t, {
    fastify: { logger: { level: 'error', stream } },
    scopes: { getScopes: () => { throw new Error('boom') } }
  })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })
  t.equal(response.statusCode, 403)
  t.match(lines, [{ level: 50, msg: /getScopes threw/, err: { message: 'boom' } }])
})

test('granted scopes the registry does not know are ignored', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'admin read:chat __proto__ constructor read:chat' }) })
  t.equal(response.statusCode, 200)
  t.same(response.json().scopes, ['read:chat'], 'request.scopes holds known scopes only, once each')
})

test('implies: holding a scope satisfies the scopes it implies, transitively', async (t) => {
  const registry = defineScopes({
    Chat: {
      'read:chat': 'Read',
      'write:chat': { description: 'Write', implies: ['read:chat'] },
      'admin:chat': { description: 'Admin', implies: ['write:chat'] }
    }
  })
  const app = await buildApp(t, { scopes: { registry } })
  app.get('/read', { config: { scopes: ['read:chat'] } }, echoScopes)
  app.get('/write', { config: { scopes: ['write:chat'] } }, echoScopes)
  app.get('/all', { config: { scopes: ['read:chat', 'write:chat'] } }, echoScopes)
  await app.ready()
  const as = async (scope: string, url: string): Promise<number> => (await app.inject({ url, headers: bearer(app, { scope }) })).statusCode
  t.equal(await as('write:chat', '/read'), 200)
  t.equal(await as('admin:chat', '/read'), 200, 'through a chain')
  t.equal(await as('admin:chat', '/all'), 200)
  t.equal(await as('read:chat', '/write'), 403, 'implies goes one way')
  const response = await app.inject({ url: '/read', headers: bearer(app, { scope: 'admin:chat' }) })
  t.same(response.json().scopes, ['admin:chat'], 'request.scopes lists what the token says, not the implied scopes')
})

test('__proto__ and constructor work as real scope names', async (t) => {
  const registry = defineScopes(JSON.parse('{"Odd":{"__proto__":"Proto","constructor":"Ctor"}}'))
  const app = await buildApp(t, { scopes: { registry } })
  app.get('/proto', { config: { scopes: ['__proto__'] } }, echoScopes)
  await app.ready()
  t.equal((await app.inject({ url: '/proto', headers: bearer(app, { scope: '__proto__' }) })).statusCode, 200)
  t.equal((await app.inject({ url: '/proto', headers: bearer(app, { scope: 'constructor toString' }) })).statusCode, 403)
  t.equal((await app.inject({ url: '/proto', headers: bearer(app, { scope: ['constructor'] }) })).statusCode, 403)
})

test('a verified user that is not an object (formatUser) grants nothing', async (t) => {
  const app = await buildApp(t, { jwt: { formatUser: () => 'read:chat' as never } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })
  t.equal(response.statusCode, 403)
})
