import { test } from 'tap'
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import { defineScopes } from '../src/index.js'
import { buildDocsApp, assertValidDocument, VERSIONS, FLOWS, type Doc } from './openapi-helpers.js'
import { echoScopes } from './helpers.js'

const ERROR_SCHEMA = {
  title: 'ScopesError',
  type: 'object',
  properties: { error: { type: 'string', description: 'What went wrong, as set by the `messages` option' } },
  required: ['error']
}
const CHALLENGE = { description: 'The RFC 6750 `Bearer` challenge, with `error` and, for 403, the `scope` the request needs', schema: { type: 'string' } }
const RESPONSE_401 = {
  description: 'Unauthorized: the access token is missing, expired or invalid',
  headers: { 'WWW-Authenticate': CHALLENGE },
  content: { 'application/json': { schema: ERROR_SCHEMA, example: { error: 'Unauthorized' } } }
}
const RESPONSE_403 = {
  description: 'Forbidden: the access token lacks a required scope',
  headers: { 'WWW-Authenticate': CHALLENGE },
  content: { 'application/json': { schema: ERROR_SCHEMA, example: { error: 'Insufficient scopes' } } }
}

for (const version of ['3.0', '3.1', '2.0'] as const) {
  test(`OpenAPI ${version}: each requirement shape gives its security, and public routes none`, async (t) => {
    const app = await buildDocsApp(t, { swagger: VERSIONS[version], scopes: { openapi: { flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token' } } } } })
    app.get('/both', { config: { scopes: ['read:chat', 'write:chat'] } }, echoScopes)
    app.get('/either', { config: { scopes: { anyOf: ['read:insights', ['read:creator', 'read:fan']] } } }, echoScopes)
    app.get('/any-token', { config: { scopes: [] } }, echoScopes)
    app.get('/public', { config: { scopes: false } }, echoScopes)
    app.get('/undeclared', echoScopes)
    await app.ready()
    const document = app.swagger() as Doc
    t.same(document.paths['/both'].get.security, [{ oauth2: ['read:chat', 'write:chat'] }])
    t.same(document.paths['/either'].get.security, [{ oauth2: ['read:insights'] }, { oauth2: ['read:creator', 'read:fan'] }])
    t.same(document.paths['/any-token'].get.security, [{ oauth2: [] }])
    t.notOk('security' in document.paths['/public'].get, 'a public route carries no requirement')
    t.notOk('security' in document.paths['/undeclared'].get)
    for (const path of ['/both', '/either', '/any-token', '/public', '/undeclared']) {
      t.notOk('x-fastify-scopes' in document.paths[path].get, `${path} keeps no marker`)
    }
    await assertValidDocument(t, document)
  })
}

test('protected operations get the 401 and 403 responses with the error body schema', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] }, schema: { response: { 200: { type: 'array' } } } }, echoScopes)
  app.get('/public', { config: { scopes: false } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(document.paths['/chats'].get.responses, {
    200: { description: 'Default Response', content: { 'application/json': { schema: { type: 'array' } } } },
    401: RESPONSE_401,
    403: RESPONSE_403
  })
  t.same(Object.keys(document.paths['/public'].get.responses), ['200'], 'a public route gets no 401 or 403')
  await assertValidDocument(t, document)
})

test('a route needing any valid token gets a 401 but no 403, which it can never answer', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/me', { config: { scopes: [] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(document.paths['/me'].get.responses, { 200: { description: 'Default Response' }, 401: RESPONSE_401 })
})

test('Swagger 2.0 responses carry the schema, header and example in the 2.0 shape', async (t) => {
  const app = await buildDocsApp(t, { swagger: VERSIONS['2.0'], scopes: { openapi: { flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token' } } } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(document.paths['/chats'].get.responses['403'], {
    description: 'Forbidden: the access token lacks a required scope',
    headers: { 'WWW-Authenticate': { type: 'string', description: CHALLENGE.description } },
    schema: ERROR_SCHEMA,
    examples: { 'application/json': { error: 'Insufficient scopes' } }
  })
})

test('the documented examples use the messages option', async (t) => {
  const app = await buildDocsApp(t, { scopes: { openapi: { flows: FLOWS }, messages: { unauthorized: 'Sign in', insufficientScope: 'Not allowed' } } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const { responses } = (app.swagger() as Doc).paths['/chats'].get
  t.same(responses['401'].content['application/json'].example, { error: 'Sign in' })
  t.same(responses['403'].content['application/json'].example, { error: 'Not allowed' })
})

test('a route\'s own 401 and 403 responses are kept', async (t) => {
  const own = { type: 'object', properties: { message: { type: 'string' } } }
  const app = await buildDocsApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] }, schema: { response: { 401: own, 403: { description: 'Not yours', ...own } } } }, echoScopes)
  await app.ready()
  const { responses } = (app.swagger() as Doc).paths['/chats'].get
  t.same(responses['401'].content['application/json'].schema, own)
  t.equal(responses['403'].description, 'Not yours')
})

test('the description says which scopes the operation needs, after the route\'s own description', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/one', { config: { scopes: ['read:chat'] } }, echoScopes)
  app.get('/two', { config: { scopes: ['read:chat', 'write:chat'] }, schema: { description: 'Chats.' } }, echoScopes)
  app.get('/three', { config: { scopes: ['read:chat', 'write:chat', 'read:fan'] } }, echoScopes)
  app.get('/either', { config: { scopes: { anyOf: ['read:insights', ['read:creator', 'read:fan']] } } }, echoScopes)
  app.get('/any', { config: { scopes: [] } }, echoScopes)
  app.get('/public', { config: { scopes: false }, schema: { description: 'Open.' } }, echoScopes)
  await app.ready()
  const { paths } = app.swagger() as Doc
  t.equal(paths['/one'].get.description, 'Required scope: `read:chat`.')
  t.equal(paths['/two'].get.description, 'Chats.\n\nRequired scopes: `read:chat` and `write:chat`.')
  t.equal(paths['/three'].get.description, 'Required scopes: `read:chat`, `write:chat` and `read:fan`.')
  t.equal(paths['/either'].get.description, 'Required scopes: `read:insights`, or `read:creator` and `read:fan`.')
  t.equal(paths['/any'].get.description, 'Requires a valid access token; no particular scope.')
  t.equal(paths['/public'].get.description, 'Open.')
})

test('the description names the scopes that imply a required one', async (t) => {
  const registry = defineScopes({
    Chat: { 'read:chat': 'Read chats', 'write:chat': { description: 'Write chats', implies: ['read:chat'] } },
    Admin: { admin: { description: 'Everything', implies: ['write:chat'] } }
  })
  const app = await buildDocsApp(t, { scopes: { registry } })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  t.equal((app.swagger() as Doc).paths['/chats'].get.description,
    'Required scope: `read:chat`. `read:chat` is also granted by `write:chat`, `admin`.')
})

test('a route\'s own security is kept, whether it names the plugin\'s scheme or another', async (t) => {
  const swagger = {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Test API', version: '1.0.0' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } }
    }
  } satisfies FastifyDynamicSwaggerOptions
  const app = await buildDocsApp(t, { swagger })
  const ours: Array<Record<string, string[]>> = [{ oauth2: ['read:chat'] }, { apiKey: [] }]
  const theirs: Array<Record<string, string[]>> = [{ apiKey: [] }]
  app.get('/ours', { config: { scopes: ['read:chat'] }, schema: { security: ours } }, echoScopes)
  app.get('/theirs', { config: { scopes: ['read:chat'] }, schema: { security: theirs } }, echoScopes)
  app.get('/public', { config: { scopes: false }, schema: { security: ours } }, echoScopes)
  await app.ready()
  const { paths } = app.swagger() as Doc
  t.same(paths['/ours'].get.security, ours)
  t.same(paths['/theirs'].get.security, theirs)
  t.same(paths['/public'].get.security, ours)
  t.same(ours, [{ oauth2: ['read:chat'] }, { apiKey: [] }], 'the user\'s security array is unchanged')
  await assertValidDocument(t, app.swagger() as Doc)
})

test('public operations get security: [] when the document declares a global requirement', async (t) => {
  const swagger = {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Test API', version: '1.0.0' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
      security: [{ apiKey: [] }]
    }
  } satisfies FastifyDynamicSwaggerOptions
  const app = await buildDocsApp(t, { swagger })
  app.get('/public', { config: { scopes: false } }, echoScopes)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const { paths } = app.swagger() as Doc
  t.same(paths['/public'].get.security, [])
  t.same(paths['/chats'].get.security, [{ oauth2: ['read:chat'] }])
})

test('the user\'s schema objects are replaced, never mutated', async (t) => {
  const schema = { description: 'Chats.', security: [{ oauth2: ['read:chat'] }], response: { 200: { type: 'array' } } }
  const before = structuredClone(schema)
  const config = { scopes: ['read:chat'] as const }
  const app = await buildDocsApp(t)
  app.get('/chats', { config, schema }, echoScopes)
  await app.ready()
  app.swagger()
  t.same(schema, before)
  t.same(Object.keys(config), ['scopes'])
})

test('a route with several methods gets its security on each operation', async (t) => {
  const app = await buildDocsApp(t)
  app.route({ method: ['PUT', 'PATCH'], url: '/chats/:id', config: { scopes: ['write:chat'] }, handler: echoScopes })
  await app.ready()
  const { paths } = app.swagger() as Doc
  t.same(paths['/chats/{id}'].put.security, [{ oauth2: ['write:chat'] }])
  t.same(paths['/chats/{id}'].patch.security, [{ oauth2: ['write:chat'] }])
  t.equal(paths['/chats/{id}'].patch.description, 'Required scope: `write:chat`.', 'described once')
})

test('routes in child plugins, under prefixes, are documented; hidden routes are not', async (t) => {
  const app = await buildDocsApp(t)
  await app.register(async function api (child) {
    child.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
    child.get('/secret', { config: { scopes: ['write:chat'] }, schema: { hide: true } }, echoScopes)
    await child.register(async function nested (grandchild) {
      grandchild.get('/posts', { config: { scopes: ['read:post'] } }, echoScopes)
    }, { prefix: '/v2' })
  }, { prefix: '/api' })
  await app.ready()
  const document = app.swagger() as Doc
  t.same(Object.keys(document.paths), ['/api/chats', '/api/v2/posts'])
  t.same(document.paths['/api/chats'].get.security, [{ oauth2: ['read:chat'] }])
  t.same(document.paths['/api/v2/posts'].get.security, [{ oauth2: ['read:post'] }])
  await assertValidDocument(t, document)
})
