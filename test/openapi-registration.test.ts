import { test } from 'tap'
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import { parse as parseYaml } from 'yaml'
import fastifyScopes from '../src/index.js'
import { buildDocsApp, assertValidDocument, VERSIONS, FLOWS, type Doc } from './openapi-helpers.js'
import { SECRET, echoScopes, seedRegistry } from './helpers.js'

const SECURITY = [{ oauth2: ['read:chat'] }]

test('@fastify/swagger registered before @fastify/jwt and fastify-scopes documents the scopes', async (t) => {
  const app = await buildDocsApp(t, { swaggerFirst: true })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.same(document.paths['/chats'].get.security, SECURITY)
  t.ok(document.components.securitySchemes.oauth2)
  await assertValidDocument(t, document)
})

test('plugins registered without await, in any order, document the scopes', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  app.register(fastifySwagger, VERSIONS['3.0'])
  app.register(fastifyJwt, { secret: SECRET })
  app.register(fastifyScopes, { registry: seedRegistry, openapi: { flows: FLOWS } })
  app.register(async function routes (child) {
    child.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  })
  await app.ready()
  t.same((app.swagger() as Doc).paths['/chats'].get.security, SECURITY)
})

test('@fastify/swagger registered in a child context after fastify-scopes documents that context\'s routes', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry, openapi: { flows: FLOWS } })
  let docs: () => unknown = () => undefined
  await app.register(async function documented (child) {
    await child.register(fastifySwagger, VERSIONS['3.0'])
    child.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
    docs = () => child.swagger()
  })
  await app.ready()
  const document = docs() as Doc
  t.same(document.paths['/chats'].get.security, SECURITY)
  await assertValidDocument(t, document)
})

test('fastify-scopes registered in a child context reaches the root\'s @fastify/swagger', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifySwagger, VERSIONS['3.1'])
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(async function api (child) {
    await child.register(fastifyScopes, { registry: seedRegistry, openapi: { flows: FLOWS } })
    child.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  }, { prefix: '/api' })
  await app.ready()
  const document = app.swagger() as Doc
  t.same(document.paths['/api/chats'].get.security, SECURITY)
  await assertValidDocument(t, document)
})

test('the user\'s global transform keeps working and sees the route\'s schema', async (t) => {
  const seen: string[] = []
  const app = await buildDocsApp(t, {
    swagger: {
      ...VERSIONS['3.0'],
      transform ({ schema, url }) {
        seen.push(url)
        return { schema: { ...schema, tags: ['transformed'] }, url: url.replace('/chats', '/conversations') }
      }
    }
  })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const operation = (app.swagger() as Doc).paths['/conversations'].get
  t.same(seen, ['/chats'])
  t.same(operation.tags, ['transformed'])
  t.same(operation.security, SECURITY)
})

test('a route\'s swaggerTransform keeps working, and false still turns the global transform off', async (t) => {
  const app = await buildDocsApp(t, {
    swagger: { ...VERSIONS['3.0'], transform: ({ schema, url }) => ({ schema: { ...schema, tags: ['global'] }, url }) }
  })
  app.get('/chats', {
    config: { scopes: ['read:chat'], swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, summary: 'Own transform' }, url }) }
  }, echoScopes)
  app.get('/posts', { config: { scopes: ['read:post'], swaggerTransform: false } }, echoScopes)
  await app.ready()
  const { paths } = app.swagger() as Doc
  t.equal(paths['/chats'].get.summary, 'Own transform')
  t.notOk('tags' in paths['/chats'].get)
  t.same(paths['/chats'].get.security, SECURITY)
  t.notOk('tags' in paths['/posts'].get)
  t.same(paths['/posts'].get.security, [{ oauth2: ['read:post'] }])
})

test('the user\'s transformObject keeps working', async (t) => {
  const app = await buildDocsApp(t, {
    swagger: { ...VERSIONS['3.0'], transformObject: (documentObject) => ({ ...(documentObject as { openapiObject: object }).openapiObject, 'x-transformed': true }) as never }
  })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = app.swagger() as Doc
  t.equal(document['x-transformed'], true)
  t.same(document.paths['/chats'].get.security, SECURITY)
})

test('a renamed swagger decorator is found through openapi.decorator', async (t) => {
  const app = await buildDocsApp(t, {
    swagger: { ...VERSIONS['3.0'], decorator: 'openapiDocument' } as never,
    scopes: { openapi: { flows: FLOWS, decorator: 'openapiDocument' } }
  })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const document = (app as unknown as { openapiDocument: () => Doc }).openapiDocument()
  t.same(document.paths['/chats'].get.security, SECURITY)
})

test('the document is described once and served the same on every call', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] }, schema: { description: 'Chats.' } }, echoScopes)
  await app.ready()
  const first = app.swagger() as Doc
  const second = app.swagger() as Doc
  t.equal(first, second)
  t.equal(second.paths['/chats'].get.description, 'Chats.\n\nRequired scope: `read:chat`.')
})

test('the YAML document carries the same security as the JSON one', async (t) => {
  const app = await buildDocsApp(t)
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  await app.ready()
  const yaml = app.swagger({ yaml: true }) as string
  t.equal(typeof yaml, 'string')
  t.same(parseYaml(yaml), JSON.parse(JSON.stringify(app.swagger())))
  t.equal(app.swagger({ yaml: true }), yaml, 'built once')
})

test('@fastify/swagger-ui serves the described document as JSON and YAML', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifySwagger, VERSIONS['3.0'])
  await app.register(fastifyJwt, { secret: SECRET })
  await app.register(fastifyScopes, { registry: seedRegistry, openapi: { flows: FLOWS }, strict: true, strictExempt: ['/docs'] })
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, echoScopes)
  const json = await app.inject({ url: '/docs/json' })
  t.equal(json.statusCode, 200)
  t.same(json.json().paths['/chats'].get.security, SECURITY)
  const yaml = await app.inject({ url: '/docs/yaml' })
  t.equal(yaml.statusCode, 200)
  t.same(parseYaml(yaml.body), json.json())
})
