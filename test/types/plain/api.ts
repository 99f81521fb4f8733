// Type tests without the opt-in: any string is a scope name, and the API's shapes are enforced.
// Every `@ts-expect-error` fails `tsc` if the line below it compiles.
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyScopes, { defineScopes, errors, type Scope, type ScopeRegistry, type FastifyScopesOptions } from '../../../src/index.js'

const registry = defineScopes({ Chat: { 'read:chat': 'Read', 'write:chat': { description: 'Write', implies: ['read:chat'] } } })
const typed: ScopeRegistry<'read:chat' | 'write:chat'> = registry
// @ts-expect-error defineScopes infers the exact names
const wrong: ScopeRegistry<'read:chat' | 'admin'> = registry
const scope: Scope<'read:chat' | 'write:chat'> | undefined = registry.get('read:chat')

const app = Fastify()
await app.register(fastifyJwt, { secret: 'secret' })
await app.register(fastifyScopes, { registry, challengeScopes: 'missing', scopeClaim: ['scope', 'scp'], maxTokenLength: 8192 })
// @ts-expect-error a typo in an option name
await app.register(fastifyScopes, { registry, stict: true })
// @ts-expect-error an unknown challengeScopes value
await app.register(fastifyScopes, { registry, challengeScopes: 'all' })
// @ts-expect-error the registry is required
await app.register(fastifyScopes, {})

app.get('/a', { config: { scopes: ['anything:at-all'] } }, async () => 'ok')
// @ts-expect-error a bare string is not a requirement
app.get('/b', { config: { scopes: 'read:chat' } }, async () => 'ok')
// @ts-expect-error true is not a requirement
app.get('/c', { config: { scopes: true } }, async () => 'ok')
// @ts-expect-error anyOf takes names or lists of names
app.get('/d', { config: { scopes: { anyOf: [1] } } }, async () => 'ok')
// @ts-expect-error requireScopes(false) makes no sense
app.requireScopes(false)

app.get('/e', async (request) => {
  // @ts-expect-error request.scopes is read-only
  request.scopes.add('read:chat')
  return 'ok'
})

const options: FastifyScopesOptions = { registry, getScopes: (payload) => (payload as { perms: string[] }).perms }
const isUnknownScope = (error: unknown): boolean => error instanceof errors.FST_SCOPES_UNKNOWN_SCOPE

export { typed, wrong, scope, options, isUnknownScope }
