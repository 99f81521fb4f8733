// Scenario `plugin-rs256`: fastify-scopes over RS256 tokens, with fast-jwt's verification cache.
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import fastifyScopes, { defineScopes } from '../../dist/index.js'
import { announce, BODY, fastifyJwtOptions, HOST } from './common.js'

const registry = defineScopes({
  User: { 'read:self': 'Read your own profile' },
  Chat: { 'read:chat': 'Read chats' },
  Fan: { 'read:fan': 'Read fans' }
})

const jwtOptions = fastifyJwtOptions()
const app = Fastify()
await app.register(fastifyJwt, {
  secret: { private: process.env.BENCH_RSA_PRIVATE_KEY, public: process.env.BENCH_RSA_PUBLIC_KEY },
  sign: { algorithm: 'RS256' },
  verify: { ...jwtOptions.verify, algorithms: ['RS256'], cache: true }
})
await app.register(fastifyScopes, { registry })
app.get('/chats', { config: { scopes: ['read:chat'] } }, async function chats () { return BODY })
await app.listen({ host: HOST, port: 0 })
announce(app.server)
