// Scenarios `plugin`, `plugin-public`, `plugin-403` and `plugin-anyOf`: fastify-scopes with a small
// registry; each scenario requests a different route or sends a different token.
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyScopes, { defineScopes } from '../../dist/index.js'
import { announce, BODY, fastifyJwtOptions, HOST } from './common.js'

const registry = defineScopes({
  User: { 'read:self': 'Read your own profile' },
  Chat: { 'read:chat': 'Read chats', 'write:chat': 'Write chats' },
  Fan: { 'read:fan': 'Read fans', 'write:fan': 'Write fans' },
  Admin: { 'admin:all': 'Administer everything' }
})

const app = Fastify()
await app.register(fastifyJwt, fastifyJwtOptions())
await app.register(fastifyScopes, { registry })
const chats = async function chats () { return BODY }
app.get('/chats', { config: { scopes: ['read:chat'] } }, chats)
// The token satisfies only the last alternative.
app.get('/any', { config: { scopes: { anyOf: ['write:chat', ['admin:all', 'write:fan'], 'read:chat'] } } }, chats)
app.get('/public', chats)
await app.listen({ host: HOST, port: 0 })
announce(app.server)
