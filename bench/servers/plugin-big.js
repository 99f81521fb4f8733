// Scenario `plugin-big`: a 1,000-scope token (about 20 KB) and a route requiring 5 of them.
// Started with --max-http-header-size=65536 (the default 16 KiB would reject the header).
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyScopes, { defineScopes } from '../../dist/index.js'
import { bigRequiredScopes, manyScopeNames } from '../lib/tokens.js'
import { announce, BODY, fastifyJwtOptions, HOST } from './common.js'

const names = manyScopeNames(1000)
const registry = defineScopes({
  Chat: { 'read:chat': 'Read chats' },
  Big: Object.fromEntries(names.map((name) => [name, `Scope ${name}`]))
})

const app = Fastify()
await app.register(fastifyJwt, fastifyJwtOptions())
await app.register(fastifyScopes, { registry, maxTokenLength: 65536 })
app.get('/chats', { config: { scopes: bigRequiredScopes(names) } }, async function chats () { return BODY })
await app.listen({ host: HOST, port: 0 })
announce(app.server)
