import { test, type Test } from 'tap'
import { Ajv } from 'ajv'
import type { FastifyInstance } from 'fastify'
import { buildDocsApp, FLOWS, type Doc } from './openapi-helpers.js'
import { bearer, echoScopes } from './helpers.js'

/** Checks a reply against the response its operation documents: status, body schema and header. */
function assertDocumented (t: Test, app: FastifyInstance, path: string, reply: { statusCode: number, body: string, headers: Record<string, unknown> }): void {
  const documented = (app.swagger() as Doc).paths[path].get.responses[String(reply.statusCode)]
  t.ok(documented, `${reply.statusCode} is documented`)
  const schema = documented.content['application/json'].schema
  const validate = new Ajv({ strict: false }).compile(schema)
  const body: unknown = JSON.parse(reply.body)
  t.ok(validate(body), `${reply.body} matches the documented schema`)
  t.same(validate.errors ?? [], [])
  t.match(reply.headers['content-type'], /^application\/json/)
  t.type(reply.headers['www-authenticate'], 'string', 'the documented WWW-Authenticate header is sent')
  t.ok(Object.hasOwn(documented.headers, 'WWW-Authenticate'))
}

test('each error the plugin sends matches its documented response, even on a route with response schemas', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/chats', {
    config: { scopes: ['read:chat'] },
    schema: { response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } }
  }, echoScopes)
  await app.ready()
  const noToken = await app.inject({ url: '/chats' })
  t.equal(noToken.statusCode, 401)
  t.equal(noToken.body, '{"error":"Unauthorized"}')
  assertDocumented(t, app, '/chats', noToken)
  const badToken = await app.inject({ url: '/chats', headers: { authorization: 'Bearer not.a.token' } })
  t.equal(badToken.statusCode, 401)
  t.equal(badToken.body, '{"error":"Unauthorized"}')
  assertDocumented(t, app, '/chats', badToken)
  const forbidden = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:fan' }) })
  t.equal(forbidden.statusCode, 403)
  t.equal(forbidden.body, '{"error":"Insufficient scopes"}')
  assertDocumented(t, app, '/chats', forbidden)
})

test('errors with custom messages match the documented schema and example', async (t) => {
  const app = await buildDocsApp(t, { scopes: { openapi: { flows: FLOWS }, messages: { unauthorized: 'Sign in first', insufficientScope: 'Not for you' } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const forbidden = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:fan' }) })
  assertDocumented(t, app, '/chats', forbidden)
  t.same(forbidden.json(), (app.swagger() as Doc).paths['/chats'].get.responses['403'].content['application/json'].example)
  const noToken = await app.inject({ url: '/chats' })
  t.same(noToken.json(), (app.swagger() as Doc).paths['/chats'].get.responses['401'].content['application/json'].example)
})

test('a route\'s own 403 response schema does not reshape the plugin\'s 403', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/chats', {
    config: { scopes: ['read:chat'] },
    schema: { response: { 403: { type: 'object', properties: { message: { type: 'string' } } } } }
  }, echoScopes)
  await app.ready()
  const forbidden = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:fan' }) })
  t.equal(forbidden.statusCode, 403)
  t.equal(forbidden.body, '{"error":"Insufficient scopes"}')
})

test('the documented 401 and 403 add no serializer: the handler\'s own 403 body goes out unchanged', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, async (_request, reply) => reply.code(403).send({ message: 'archived' }))
  await app.ready()
  const response = await app.inject({ url: '/chats', headers: bearer(app, { scope: 'read:chat' }) })
  t.equal(response.statusCode, 403)
  t.same(response.json(), { message: 'archived' })
})
