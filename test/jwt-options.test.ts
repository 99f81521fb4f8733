import t, { type Test } from 'tap'
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { createSigner } from 'fast-jwt'
import { startAuthorizationServer, type AuthorizationServer } from '../examples/authorization-server.js'
import { rfc9068JwtOptions, type Rfc9068JwtOptionsInput } from '../examples/jwt-options.js'
import { fetchToken } from '../examples/token.js'

const AUDIENCE = 'http://127.0.0.1:3000'

async function startServer (t: Test, audience = AUDIENCE): Promise<AuthorizationServer> {
  const server = await startAuthorizationServer({
    audience,
    scopes: ['read:chat'],
    clients: [{ clientId: 'reader', clientSecret: 'reader-secret', scopes: ['read:chat'] }]
  })
  t.teardown(() => server.close())
  return server
}

async function buildApi (t: Test, options: Rfc9068JwtOptionsInput): Promise<FastifyInstance> {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(fastifyJwt, rfc9068JwtOptions(options))
  app.get('/me', async function me (request) {
    await request.jwtVerify()
    return request.user
  })
  await app.ready()
  return app
}

function callApi (app: FastifyInstance, token: string) {
  return app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } })
}

/** Counts the requests that get-jwks (global fetch) sends to `prefix`. */
function countFetches (t: Test, prefix: string): { count: number } {
  const counter = { count: 0 }
  const original = globalThis.fetch
  globalThis.fetch = function countingFetch (input, init) {
    if (String(input instanceof Request ? input.url : input).startsWith(prefix)) counter.count++
    return original(input, init)
  }
  t.teardown(() => { globalThis.fetch = original })
  return counter
}

/** A JWKS on a loopback port with a key the test signs with, to control every header field. */
async function startStaticIssuer (t: Test) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = 'test-key'
  const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] })
  const server = createServer(function serveJwks (_req, res) {
    res.setHeader('content-type', 'application/json')
    res.end(jwks)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const claims = { iss: issuer, aud: AUDIENCE, sub: 'reader', client_id: 'reader', jti: 'j1', scope: 'read:chat' }

  function sign (overrides: { typ?: string, payload?: Record<string, unknown> } = {}): string {
    return createSigner({ key: pem, algorithm: 'RS256', kid, header: { alg: 'RS256', typ: overrides.typ ?? 'at+jwt' }, expiresIn: 60_000 })({ ...claims, ...overrides.payload })
  }
  return { issuer, jwksUri: `${issuer}/keys/jwks.json`, sign }
}

t.test('accepts a token from the embedded server, finding the JWKS through discovery', async (t) => {
  const server = await startServer(t)
  const app = await buildApi(t, { issuer: server.issuer, audience: AUDIENCE })
  const response = await callApi(app, await fetchToken(server, 'reader', 'reader-secret', ['read:chat']))
  t.equal(response.statusCode, 200)
  t.match(response.json(), { iss: server.issuer, aud: AUDIENCE, client_id: 'reader', sub: 'reader', scope: 'read:chat' })
})

t.test('accepts a token from the embedded server with an explicit jwksUri', async (t) => {
  const server = await startServer(t)
  const fetches = countFetches(t, server.issuer)
  const app = await buildApi(t, { issuer: server.issuer, audience: AUDIENCE, jwksUri: server.jwksUri })
  const response = await callApi(app, await fetchToken(server, 'reader', 'reader-secret', ['read:chat']))
  t.equal(response.statusCode, 200)
  t.equal(fetches.count, 2, 'one token request and one JWKS request, no discovery')
})

t.test('accepts a token signed by a rotated key although the old key is cached', async (t) => {
  const server = await startServer(t)
  const fetches = countFetches(t, server.jwksUri)
  const app = await buildApi(t, { issuer: server.issuer, audience: AUDIENCE, jwksUri: server.jwksUri })
  const oldToken = await fetchToken(server, 'reader', 'reader-secret', ['read:chat'])
  t.equal((await callApi(app, oldToken)).statusCode, 200)
  t.equal((await callApi(app, oldToken)).statusCode, 200)
  t.equal(fetches.count, 1, 'the old key is fetched once, then served from the cache')

  await server.rotateSigningKey()
  const newToken = await fetchToken(server, 'reader', 'reader-secret', ['read:chat'])
  t.equal((await callApi(app, newToken)).statusCode, 200)
  t.equal(fetches.count, 2, 'an unknown kid makes get-jwks fetch the JWKS again')
  t.equal((await callApi(app, oldToken)).statusCode, 200, 'the old key still verifies')
  t.equal(fetches.count, 2)
})

t.test('keeps accepting a replaced key while it is cached, and refuses it once fetched anew', async (t) => {
  const server = await startServer(t)
  const oldToken = await fetchToken(server, 'reader', 'reader-secret', ['read:chat'])
  const options = { issuer: server.issuer, audience: AUDIENCE, jwksUri: server.jwksUri }
  const warm = await buildApi(t, options)
  t.equal((await callApi(warm, oldToken)).statusCode, 200)

  await server.replaceKeys()
  t.equal((await callApi(warm, oldToken)).statusCode, 200, 'cached for jwksCacheTtl (60 s by default)')

  const cold = await buildApi(t, options)
  const refused = await callApi(cold, oldToken)
  t.equal(refused.statusCode, 401)
  t.match(refused.json(), { code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID', message: /no key in the issuer's JWKS matches/ })
  t.equal((await callApi(cold, await fetchToken(server, 'reader', 'reader-secret', ['read:chat']))).statusCode, 200)
})

t.test('refuses a token from another issuer with 401', async (t) => {
  const trusted = await startServer(t)
  const other = await startServer(t)
  const app = await buildApi(t, { issuer: trusted.issuer, audience: AUDIENCE, jwksUri: trusted.jwksUri })
  const response = await callApi(app, await fetchToken(other, 'reader', 'reader-secret', ['read:chat']))
  t.equal(response.statusCode, 401)
  t.match(response.json(), { code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID' })
})

t.test('refuses a token for another audience with 401', async (t) => {
  const server = await startServer(t, 'http://127.0.0.1:9999')
  const app = await buildApi(t, { issuer: server.issuer, audience: AUDIENCE, jwksUri: server.jwksUri })
  const response = await callApi(app, await fetchToken(server, 'reader', 'reader-secret', ['read:chat']))
  t.equal(response.statusCode, 401)
  t.match(response.json(), { code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID' })
})

t.test('accepts the typ spellings at+jwt, at+JWT and application/at+jwt', async (t) => {
  const issuer = await startStaticIssuer(t)
  const app = await buildApi(t, { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri })
  for (const typ of ['at+jwt', 'at+JWT', 'application/at+jwt', 'Application/AT+JWT']) {
    const response = await callApi(app, issuer.sign({ typ }))
    t.equal(response.statusCode, 200, typ)
  }
})

t.test('refuses a plain JWT (typ JWT) with 401 before fetching the JWKS', async (t) => {
  const issuer = await startStaticIssuer(t)
  const fetches = countFetches(t, issuer.issuer)
  const app = await buildApi(t, { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri })
  const response = await callApi(app, issuer.sign({ typ: 'JWT' }))
  t.equal(response.statusCode, 401)
  t.match(response.json(), { code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID', message: /typ header must be at\+jwt/ })
  t.equal(fetches.count, 0)
})

t.test('refuses an HS256 token signed with the public key (algorithm confusion) with 401', async (t) => {
  const issuer = await startStaticIssuer(t)
  const app = await buildApi(t, { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri })
  const forged = createSigner({ key: 'not-the-real-key', algorithm: 'HS256', kid: 'test-key', header: { alg: 'HS256', typ: 'at+jwt' } })({ iss: issuer.issuer, aud: AUDIENCE })
  const response = await callApi(app, forged)
  t.equal(response.statusCode, 401)
  t.match(response.json(), { message: /alg header must be RS256/ })
})

t.test('refuses a token without a kid with 401', async (t) => {
  const issuer = await startStaticIssuer(t)
  const app = await buildApi(t, { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri })
  const [, payload, signature] = issuer.sign().split('.')
  const withoutKid = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt' })).toString('base64url')}.${payload}.${signature}`
  const response = await callApi(app, withoutKid)
  t.equal(response.statusCode, 401)
  t.match(response.json(), { message: /kid header is missing/ })
})

t.test('refuses a token that lacks a required RFC 9068 claim with 401', async (t) => {
  const issuer = await startStaticIssuer(t)
  const app = await buildApi(t, { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: issuer.jwksUri })
  for (const claim of ['client_id', 'sub', 'jti']) {
    const response = await callApi(app, issuer.sign({ payload: { [claim]: undefined } }))
    t.equal(response.statusCode, 401, claim)
    t.match(response.json(), { code: 'FST_JWT_AUTHORIZATION_TOKEN_INVALID' }, claim)
  }
})

t.test('answers 500 when the JWKS cannot be fetched', async (t) => {
  const issuer = await startStaticIssuer(t)
  const app = await buildApi(t, { issuer: issuer.issuer, audience: AUDIENCE, jwksUri: 'http://127.0.0.1:1/jwks' })
  const response = await callApi(app, issuer.sign())
  t.equal(response.statusCode, 500)
})
