import { test, type Test } from 'tap'
import { createServer } from 'node:http'
import Fastify from 'fastify'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyScopes from '../src/index.js'
import { SECRET, seedRegistry } from './helpers.js'
import {
  buildHarness, expectAnswer, granted, insufficient, violations, INVALID_REQUEST, INVALID_TOKEN, NO_CREDENTIALS,
  type Expected, type Counters
} from './invariants.js'
import { listenLoopback, rawRequest } from './socket.js'

// RFC 6750 §2.1 (the Authorization request header field), §2.2-2.3 (other ways to send a token,
// which a resource server need not read), §3 (the WWW-Authenticate challenge), and RFC 9110 §11
// (auth-scheme is case-insensitive; one field line).

const signer = Fastify()
await signer.register(fastifyJwt, { secret: SECRET })
await signer.ready()
const valid = signer.jwt.sign({ scope: 'read:self read:chat' })
const lacking = signer.jwt.sign({ scope: 'read:self' })
const writer = signer.jwt.sign({ scope: 'write:chat' })
await signer.close()

const OK = granted('read:self', 'read:chat')

interface HeaderCase {
  readonly name: string
  readonly authorization?: string
  readonly url?: string
  readonly expected: Expected
}

const headerCases: HeaderCase[] = [
  { name: 'answers 401 without an error code when no Authorization header is sent', expected: NO_CREDENTIALS },
  { name: 'answers 401 without an error code to an empty Authorization header', authorization: '', expected: NO_CREDENTIALS },
  { name: 'answers 400 invalid_request to "Bearer" alone', authorization: 'Bearer', expected: INVALID_REQUEST },
  { name: 'answers 400 invalid_request to "Bearer " with nothing after the space', authorization: 'Bearer ', expected: INVALID_REQUEST },
  { name: 'accepts the lowercase scheme "bearer"', authorization: `bearer ${valid}`, expected: OK },
  { name: 'accepts the uppercase scheme "BEARER"', authorization: `BEARER ${valid}`, expected: OK },
  { name: 'accepts the mixed-case scheme "BeArEr"', authorization: `BeArEr ${valid}`, expected: OK },
  { name: 'answers 400 invalid_request to two spaces after the scheme', authorization: `Bearer  ${valid}`, expected: INVALID_REQUEST },
  { name: 'answers 400 invalid_request to several spaces after the scheme', authorization: `Bearer     ${valid}`, expected: INVALID_REQUEST },
  { name: 'answers 400 invalid_request to a tab instead of the space', authorization: `Bearer\t${valid}`, expected: INVALID_REQUEST },
  { name: 'answers 400 invalid_request to a lowercase scheme followed by a tab', authorization: `bearer\t${valid}`, expected: INVALID_REQUEST },
  { name: 'answers 401 without an error code to the Basic scheme', authorization: 'Basic dXNlcjpwYXNzd29yZA==', expected: NO_CREDENTIALS },
  { name: 'answers 401 without an error code to "Basic" alone', authorization: 'Basic', expected: NO_CREDENTIALS },
  { name: 'answers 401 without an error code to the Digest scheme', authorization: 'Digest username="a", realm="api", nonce="x"', expected: NO_CREDENTIALS },
  { name: 'answers 401 without an error code to a scheme that only starts with Bearer', authorization: `Bearerx ${valid}`, expected: NO_CREDENTIALS },
  { name: 'answers 401 without an error code to a valid token sent as the scheme itself', authorization: valid, expected: NO_CREDENTIALS },
  { name: 'answers 401 without an error code to a leading space before the scheme', authorization: ` Bearer ${valid}`, expected: NO_CREDENTIALS },
  { name: 'answers 400 invalid_request to two tokens', authorization: `Bearer ${valid} ${valid}`, expected: INVALID_REQUEST },
  { name: 'answers 400 invalid_request to a token followed by a word', authorization: `Bearer ${valid} extra`, expected: INVALID_REQUEST },
  { name: 'answers 400 invalid_request to a trailing space after the token', authorization: `Bearer ${valid} `, expected: INVALID_REQUEST },
  { name: 'answers 400 invalid_request to two credentials joined by a comma', authorization: `Bearer ${valid}, Bearer ${valid}`, expected: INVALID_REQUEST },
  { name: 'answers 401 invalid_token to a token with a trailing tab', authorization: `Bearer ${valid}\t`, expected: INVALID_TOKEN },
  { name: 'answers 401 invalid_token to a quoted token', authorization: `Bearer "${valid}"`, expected: INVALID_TOKEN },
  { name: 'answers 401 invalid_token to a token68 made of padding', authorization: 'Bearer ====', expected: INVALID_TOKEN },
  { name: 'answers 401 invalid_token to a token with obs-text bytes', authorization: 'Bearer \u00ff\u00fe\u00fd', expected: INVALID_TOKEN },
  { name: 'answers 403 insufficient_scope naming the required scope to a valid token without it', authorization: `Bearer ${lacking}`, expected: insufficient('read:chat') },
  { name: 'answers 200 to a valid token holding the scope', authorization: `Bearer ${valid}`, expected: OK },
  { name: 'never reads a token from the query string', url: `/chats?access_token=${valid}`, expected: NO_CREDENTIALS },
  { name: 'never reads a token from the query string even beside a Basic header', authorization: 'Basic dXNlcjpwYXNz', url: `/chats?access_token=${valid}`, expected: NO_CREDENTIALS },
  { name: 'answers 403 naming the first alternative of an anyOf route', authorization: `Bearer ${lacking}`, url: '/feed', expected: insufficient('read:post') }
]

for (const { name, authorization, url, expected } of headerCases) {
  test(name, async (t) => {
    const harness = await buildHarness(t)
    await expectAnswer(t, harness, { url: url ?? '/chats', headers: authorization === undefined ? {} : { authorization } }, expected)
  })
}

test('never reads a token from a form-encoded body (RFC 6750 §2.2)', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, {
    method: 'POST',
    url: '/chats',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `access_token=${writer}`
  }, NO_CREDENTIALS)
})

test('answers 403 naming write:chat to a read-only token on POST /chats', async (t) => {
  const harness = await buildHarness(t)
  await expectAnswer(t, harness, { method: 'POST', url: '/chats', headers: { authorization: `Bearer ${valid}` } }, insufficient('write:chat'))
})

/** Counts calls of request.jwtVerify(), installed before the plugin so it runs first. */
function spyOnVerify (app: FastifyInstance, calls: { count: number }): void {
  app.addHook('onRequest', async function spyJwtVerify (request: FastifyRequest) {
    // @fastify/jwt's promise form calls request.jwtVerify(options, callback): count the outer call only.
    const original = request.jwtVerify as unknown as (...args: unknown[]) => unknown
    ;(request as unknown as { jwtVerify: unknown }).jwtVerify = function countingJwtVerify (this: FastifyRequest, ...args: unknown[]) {
      if (args.length === 0) calls.count++
      return original.apply(this, args)
    }
  })
}

test('refuses a token longer than maxTokenLength with 401 invalid_token before verifying it', async (t) => {
  const calls = { count: 0 }
  const harness = await buildHarness(t, { scopes: { maxTokenLength: 100 }, beforePlugin: (app) => spyOnVerify(app, calls) })
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${valid}` } }, INVALID_TOKEN)
  t.equal(calls.count, 0, 'jwtVerify was never called')
})

test('verifies a token of exactly maxTokenLength characters', async (t) => {
  const calls = { count: 0 }
  const harness = await buildHarness(t, { scopes: { maxTokenLength: valid.length }, beforePlugin: (app) => spyOnVerify(app, calls) })
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${valid}` } }, OK)
  t.equal(calls.count, 1)
})

test('refuses a token of 16,385 characters (one over the default) before verifying it', async (t) => {
  const calls = { count: 0 }
  const harness = await buildHarness(t, { beforePlugin: (app) => spyOnVerify(app, calls) })
  await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${'a'.repeat(16385)}` } }, INVALID_TOKEN)
  t.equal(calls.count, 0)
})

test('escapes a realm holding a quote and a backslash into one well-formed challenge', async (t) => {
  const harness = await buildHarness(t, { scopes: { realm: 'my "api" \\ v1' } })
  const answer = await expectAnswer(t, harness, { url: '/chats' }, NO_CREDENTIALS)
  t.equal(answer.headers['www-authenticate'], 'Bearer realm="my \\"api\\" \\\\ v1"')
})

test('omits the scope attribute when challengeScopes is none', async (t) => {
  const harness = await buildHarness(t, { scopes: { challengeScopes: 'none' } })
  const answer = await expectAnswer(t, harness, { url: '/chats', headers: { authorization: `Bearer ${lacking}` } }, { status: 403, error: 'insufficient_scope' })
  t.equal(answer.headers['www-authenticate'], 'Bearer realm="api", error="insufficient_scope"')
})

test('lists only the missing scopes, never the granted ones, when challengeScopes is missing', async (t) => {
  const harness = await buildHarness(t, {
    scopes: { challengeScopes: 'missing' },
    routes: (app, handler) => app.get('/both', { config: { scopes: ['read:self', 'write:chat'] } }, handler)
  })
  await expectAnswer(t, harness, { url: '/both', headers: { authorization: `Bearer ${valid}` } }, insufficient('write:chat'))
})

// Over a real socket: what Node's HTTP parser does before Fastify sees the request.

async function socketApp (t: Test, maxHeaderSize?: number) {
  const counters: Counters = { handler: 0, errorHandler: 0 }
  const calls = { count: 0 }
  const app = Fastify(maxHeaderSize === undefined
    ? {}
    : { serverFactory: (handler) => createServer({ maxHeaderSize }, handler) })
  t.teardown(() => app.close())
  await app.register(fastifyJwt, { secret: SECRET })
  spyOnVerify(app, calls)
  app.setErrorHandler(async (_error, _request, reply) => { counters.errorHandler++; return reply.code(200).send({}) })
  await app.register(fastifyScopes, { registry: seedRegistry, maxTokenLength: 16384 })
  app.get('/chats', { config: { scopes: ['read:chat'] } }, async (request) => { counters.handler++; return { ok: true, scopes: [...request.scopes] } })
  const port = await listenLoopback(app)
  return { app, port, counters, calls }
}

test('answers 400 invalid_request to two Authorization field lines over a real socket', async (t) => {
  const { port, counters } = await socketApp(t)
  const answer = await rawRequest(port, 'GET', '/chats', [`Authorization: Bearer ${valid}`, `Authorization: Bearer ${valid}`])
  t.same(violations(answer, INVALID_REQUEST, counters), [])
})

test('answers 400 invalid_request to two Authorization lines of different case and tokens', async (t) => {
  const { port, counters } = await socketApp(t)
  const answer = await rawRequest(port, 'GET', '/chats', [`authorization: Bearer ${lacking}`, `AUTHORIZATION: Bearer ${valid}`])
  t.same(violations(answer, INVALID_REQUEST, counters), [])
})

test('answers 400 invalid_request to a valid header followed by an empty Authorization line', async (t) => {
  const { port, counters } = await socketApp(t)
  const answer = await rawRequest(port, 'GET', '/chats', [`Authorization: Bearer ${valid}`, 'Authorization: '])
  t.same(violations(answer, INVALID_REQUEST, counters), [])
})

test('accepts a token with trailing whitespace over a real socket (Node trims field values)', async (t) => {
  const { port, counters } = await socketApp(t)
  const answer = await rawRequest(port, 'GET', '/chats', [`Authorization: Bearer ${valid}   `])
  t.same(violations(answer, OK, counters), [])
})

test('answers 401 to a token in the query string over a real socket', async (t) => {
  const { port, counters } = await socketApp(t)
  const answer = await rawRequest(port, 'GET', `/chats?access_token=${valid}`, [])
  t.same(violations(answer, NO_CREDENTIALS, counters), [])
})

test('a 1 MB token is refused by Node with 431 before Fastify, and the server keeps serving', async (t) => {
  const { port, counters, calls } = await socketApp(t)
  const answer = await rawRequest(port, 'GET', '/chats', [`Authorization: Bearer ${'a'.repeat(1024 * 1024)}`])
  t.equal(answer.statusCode, 431)
  t.equal(counters.handler, 0)
  t.equal(calls.count, 0, 'jwtVerify never ran')
  const next = await rawRequest(port, 'GET', '/chats', [`Authorization: Bearer ${valid}`])
  t.same(violations(next, OK, counters), [])
})

test('with maxHeaderSize raised, a 1 MB token gets 401 invalid_token from maxTokenLength without being decoded', async (t) => {
  const { port, counters, calls } = await socketApp(t, 2 * 1024 * 1024)
  const token = `${'a'.repeat(512 * 1024)}.${'b'.repeat(512 * 1024)}.c`
  const answer = await rawRequest(port, 'GET', '/chats', [`Authorization: Bearer ${token}`])
  t.same(violations(answer, { ...INVALID_TOKEN, secrets: [token.slice(0, 64)] }, counters), [])
  t.equal(calls.count, 0, 'jwtVerify never ran')
})
