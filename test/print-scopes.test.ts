import { test } from 'tap'
import { Writable } from 'node:stream'
import { defineScopes } from '../src/index.js'
import { buildApp, echoScopes } from './helpers.js'

test('printScopes() lists each route with its requirement, then the scopes no route uses', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  app.post('/chats', { config: { scopes: ['write:chat', 'read:chat'] } }, echoScopes)
  app.get('/insights/dashboard', { config: { scopes: { anyOf: ['read:insights', ['read:creator', 'read:fan']] } } }, echoScopes)
  app.get('/me', { config: { scopes: [] } }, echoScopes)
  app.get('/health', { config: { scopes: false } }, echoScopes)
  app.get('/legacy', echoScopes)
  await app.ready()
  t.equal(app.printScopes(), [
    'METHOD  ROUTE                SCOPES',
    'GET     /chats               read:chat',
    'POST    /chats               write:chat + read:chat',
    'GET     /insights/dashboard  read:insights | read:creator + read:fan',
    'GET     /me                  any valid token',
    'GET     /health              public',
    'GET     /legacy              not declared',
    '',
    'Unused scopes: read:self, write:creator, read:media, write:media, read:post, write:post, read:tracking_links, write:tracking_links, read:agency, write:agency',
    ''
  ].join('\n'))
})

test('printScopes() lists a HEAD route declared on its own, but not the automatic HEAD of a GET', async (t) => {
  const app = await buildApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  app.head('/ping', { config: { scopes: false } }, async () => '')
  await app.ready()
  t.equal(app.printScopes().split('\n').filter((line) => line.startsWith('HEAD')).join('\n'), 'HEAD    /ping   public')
  t.notMatch(app.printScopes(), /HEAD\s+\/chats/)
})

test('a scope that implies a required one is not unused; one that no route needs is', async (t) => {
  const registry = defineScopes({
    Chat: { 'read:chat': 'Read chats', 'write:chat': { description: 'Write chats', implies: ['read:chat'] } },
    Fan: { 'read:fan': 'Read fans' }
  })
  const app = await buildApp(t, { scopes: { registry } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  t.match(app.printScopes(), /\nUnused scopes: read:fan\n$/)
})

test('printScopes() says (none) when every scope is used', async (t) => {
  const registry = defineScopes({ Chat: { 'read:chat': 'Read chats' } })
  const app = await buildApp(t, { scopes: { registry } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  t.match(app.printScopes(), /\nUnused scopes: \(none\)\n$/)
})

/** A logger stream that keeps the JSON lines written to it. */
function captureLogs (): { stream: Writable, lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
      done()
    }
  })
  return { stream, lines }
}

test('warnUnusedScopes logs a warning at ready() naming the scopes no route uses', async (t) => {
  const registry = defineScopes({ Chat: { 'read:chat': 'Read chats', 'write:chat': 'Write chats' }, Fan: { 'read:fan': 'Read fans' } })
  const logs = captureLogs()
  const app = await buildApp(t, { scopes: { registry, warnUnusedScopes: true }, fastify: { logger: { level: 'warn', stream: logs.stream } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  t.same(logs.lines.map((line) => [line.level, line.msg]), [
    [40, 'fastify-scopes: no route uses these registry scopes: write:chat, read:fan (see app.printScopes())']
  ])
})

test('warnUnusedScopes logs nothing when every scope is used, and is off by default', async (t) => {
  const registry = defineScopes({ Chat: { 'read:chat': 'Read chats' }, Fan: { 'read:fan': 'Read fans' } })
  const used = captureLogs()
  const everyScope = await buildApp(t, { scopes: { registry, warnUnusedScopes: true }, fastify: { logger: { level: 'warn', stream: used.stream } } })
  everyScope.get('/chats', { config: { scopes: ['read:chat', 'read:fan'] } }, echoScopes)
  await everyScope.ready()
  t.same(used.lines, [])
  const off = captureLogs()
  const byDefault = await buildApp(t, { scopes: { registry }, fastify: { logger: { level: 'warn', stream: off.stream } } })
  byDefault.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await byDefault.ready()
  t.same(off.lines, [])
})
