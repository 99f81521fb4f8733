// Type tests with the opt-in: the registry's scope names are checked at compile time.
// Every `@ts-expect-error` fails `tsc` if the line below it compiles.
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyScopes, { defineScopes, type ScopeNameOf } from '../../../src/index.js'

const registry = defineScopes({
  Chat: { 'read:chat': 'Read', 'write:chat': { description: 'Write', implies: ['read:chat'] } },
  Fan: { 'read:fan': 'Fans' }
})

declare module '../../../src/index.js' {
  interface FastifyScopesTypes { scope: ScopeNameOf<typeof registry> }
}

const app = Fastify()
await app.register(fastifyJwt, { secret: 'secret' })
await app.register(fastifyScopes, { registry })

// Accepted
app.get('/a', { config: { scopes: ['read:chat'] } }, async () => 'ok')
app.get('/b', { config: { scopes: [] } }, async () => 'ok')
app.get('/c', { config: { scopes: false } }, async () => 'ok')
app.get('/d', { config: { scopes: { anyOf: ['read:fan', ['read:chat', 'write:chat']] } } }, async () => 'ok')
app.get('/e', { onRequest: app.requireScopes(['write:chat']) }, async (request) => {
  const allowed: boolean = request.hasScopes('read:chat', 'read:fan')
  const granted: ReadonlySet<string> = request.scopes
  return { allowed, size: granted.size }
})
const names: ReadonlyArray<'read:chat' | 'write:chat' | 'read:fan'> = app.scopes.names

// Rejected: a typo in a scope name, wherever it is written
// @ts-expect-error 'read:chats' is not a registry scope
app.get('/x1', { config: { scopes: ['read:chats'] } }, async () => 'no')
// @ts-expect-error case matters
app.get('/x2', { config: { scopes: ['Read:Chat'] } }, async () => 'no')
// @ts-expect-error inside anyOf
app.get('/x3', { config: { scopes: { anyOf: ['read:fan', ['read:chat', 'write:chats']] } } }, async () => 'no')
// @ts-expect-error requireScopes checks names too
app.requireScopes(['read:fans'])
app.get('/x4', async (request) => {
  // @ts-expect-error hasScopes checks names too
  return request.hasScopes('read:chats')
})

export { names }
