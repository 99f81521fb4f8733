import t, { type Test } from 'tap'
import { createDecoder } from 'fast-jwt'
import { startAuthorizationServer, type AuthorizationServer, type AuthorizationServerOptions } from '../examples/authorization-server.js'
import { fetchToken } from '../examples/token.js'

const AUDIENCE = 'http://127.0.0.1:3000'
const SCOPES = ['read:chat', 'write:chat', 'admin:chat']
const decode = createDecoder({ complete: true })

interface Decoded {
  header: { alg: string, typ: string, kid: string }
  payload: Record<string, unknown>
}

async function start (t: Test, overrides: Partial<AuthorizationServerOptions> = {}): Promise<AuthorizationServer> {
  const server = await startAuthorizationServer({
    audience: AUDIENCE,
    scopes: SCOPES,
    clients: [
      { clientId: 'reader', clientSecret: 'reader-secret', scopes: ['read:chat'] },
      { clientId: 'writer', clientSecret: 'writer-secret', scopes: ['read:chat', 'write:chat'] }
    ],
    ...overrides
  })
  t.teardown(() => server.close())
  return server
}

async function publishedKids (server: AuthorizationServer): Promise<string[]> {
  const response = await fetch(server.jwksUri)
  const { keys } = await response.json() as { keys: Array<{ kid: string }> }
  return keys.map((key) => key.kid)
}

function postToken (server: AuthorizationServer, body: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body)
  })
}

function basic (clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`
}

t.test('listens on an ephemeral loopback port and reports its real URLs', async (t) => {
  const server = await start(t)
  t.match(server.issuer, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.not(server.issuer, 'http://127.0.0.1:0')
  t.equal(server.tokenEndpoint, `${server.issuer}/token`)
  t.equal(server.jwksUri, `${server.issuer}/jwks`)
  const discovery = await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json() as Record<string, unknown>
  t.equal(discovery.issuer, server.issuer)
  t.equal(discovery.token_endpoint, server.tokenEndpoint)
  t.equal(discovery.jwks_uri, server.jwksUri)
})

t.test('issues an RFC 9068 JWT access token through the client_credentials grant', async (t) => {
  const server = await start(t, { accessTokenTtl: 120 })
  const token = await fetchToken(server, 'writer', 'writer-secret', ['read:chat', 'write:chat'])
  const { header, payload } = decode(token) as Decoded
  t.equal(header.typ, 'at+jwt')
  t.equal(header.alg, 'RS256')
  t.same(await publishedKids(server), [header.kid])
  t.equal(payload.iss, server.issuer)
  t.equal(payload.aud, AUDIENCE)
  t.equal(payload.client_id, 'writer')
  t.equal(payload.sub, 'writer')
  t.equal(payload.scope, 'read:chat write:chat')
  t.type(payload.jti, 'string')
  t.type(payload.iat, 'number')
  t.equal((payload.exp as number) - (payload.iat as number), 120)
})

t.test('grants only the scopes the client asks for', async (t) => {
  const server = await start(t)
  const token = await fetchToken(server, 'writer', 'writer-secret', ['read:chat'])
  t.equal((decode(token) as Decoded).payload.scope, 'read:chat')
})

t.test('refuses a scope outside the client\'s allowed list with invalid_scope', async (t) => {
  const server = await start(t)
  const response = await postToken(
    server,
    { grant_type: 'client_credentials', scope: 'read:chat write:chat' },
    { authorization: basic('reader', 'reader-secret') }
  )
  t.equal(response.status, 400)
  t.match(await response.json(), { error: 'invalid_scope', error_description: 'requested scope is not allowed' })
  await t.rejects(fetchToken(server, 'reader', 'reader-secret', ['admin:chat']), /invalid_scope/)
})

t.test('drops scopes the server does not know without refusing the request', async (t) => {
  const server = await start(t)
  const token = await fetchToken(server, 'reader', 'reader-secret', ['read:chat', 'delete:universe'])
  t.equal((decode(token) as Decoded).payload.scope, 'read:chat')
})

t.test('accepts client_secret_post as well as client_secret_basic', async (t) => {
  const server = await start(t)
  const response = await postToken(server, {
    grant_type: 'client_credentials',
    scope: 'read:chat',
    client_id: 'reader',
    client_secret: 'reader-secret'
  })
  t.equal(response.status, 200)
  const body = await response.json() as { access_token: string, token_type: string, scope: string, expires_in: number }
  t.match(body, { token_type: 'Bearer', scope: 'read:chat', expires_in: 600 })
  t.equal((decode(body.access_token) as Decoded).payload.client_id, 'reader')
})

t.test('refuses a wrong client secret with invalid_client', async (t) => {
  const server = await start(t)
  const response = await postToken(
    server,
    { grant_type: 'client_credentials', scope: 'read:chat' },
    { authorization: basic('reader', 'wrong') }
  )
  t.equal(response.status, 401)
  t.match(await response.json(), { error: 'invalid_client' })
  await t.rejects(fetchToken(server, 'reader', 'wrong', ['read:chat']), /token request failed \(401\): invalid_client/)
})

t.test('refuses a resource other than the configured audience with invalid_target', async (t) => {
  const server = await start(t)
  const response = await postToken(
    server,
    { grant_type: 'client_credentials', scope: 'read:chat', resource: 'https://elsewhere.example/' },
    { authorization: basic('reader', 'reader-secret') }
  )
  t.equal(response.status, 400)
  t.match(await response.json(), { error: 'invalid_target' })
})

t.test('answers browser token requests only from the configured CORS origins', async (t) => {
  const server = await start(t, { corsOrigins: ['http://127.0.0.1:3000'] })
  const allowed = await postToken(
    server,
    { grant_type: 'client_credentials', scope: 'read:chat' },
    { authorization: basic('reader', 'reader-secret'), origin: 'http://127.0.0.1:3000' }
  )
  t.equal(allowed.status, 200)
  t.equal(allowed.headers.get('access-control-allow-origin'), 'http://127.0.0.1:3000')

  const denied = await postToken(
    server,
    { grant_type: 'client_credentials', scope: 'read:chat' },
    { authorization: basic('reader', 'reader-secret'), origin: 'http://evil.example' }
  )
  t.equal(denied.status, 400)
  t.equal(denied.headers.get('access-control-allow-origin'), null)
  t.match(await denied.json(), { error: 'invalid_request' })
})

t.test('rotateSigningKey signs new tokens with a new kid and keeps the old key published', async (t) => {
  const server = await start(t)
  const before = (decode(await fetchToken(server, 'reader', 'reader-secret', ['read:chat'])) as Decoded).header.kid

  await server.rotateSigningKey()
  const after = (decode(await fetchToken(server, 'reader', 'reader-secret', ['read:chat'])) as Decoded).header.kid

  t.not(after, before)
  t.same(await publishedKids(server), [after, before])
  t.equal(server.jwksUri, `${server.issuer}/jwks`)
})

t.test('replaceKeys publishes only a brand-new key', async (t) => {
  const server = await start(t)
  const [before] = await publishedKids(server)

  await server.replaceKeys()
  const token = await fetchToken(server, 'reader', 'reader-secret', ['read:chat'])
  const kids = await publishedKids(server)

  t.equal(kids.length, 1)
  t.not(kids[0], before)
  t.equal((decode(token) as Decoded).header.kid, kids[0])
})

t.test('omits the scope claim when the client asks for no scope', async (t) => {
  const server = await start(t)
  const token = await fetchToken(server, 'writer', 'writer-secret', [])
  const { payload } = decode(token) as Decoded
  t.equal(payload.client_id, 'writer')
  t.notOk('scope' in payload)
})
