// Peer `hapi`: hapi 21 with @hapi/jwt and the route's `auth.access.scope`.
import Hapi from '@hapi/hapi'
import Jwt from '@hapi/jwt'
import { AUDIENCE, ISSUER, SECRET } from '../lib/tokens.js'
import { announce, BODY, HOST } from './common.js'

const server = Hapi.server({ host: HOST, port: 0 })
await server.register(Jwt)
server.auth.strategy('jwt', 'jwt', {
  keys: { key: SECRET, algorithms: ['HS256'] },
  verify: { aud: AUDIENCE, iss: ISSUER, sub: false, nbf: true, exp: true, maxAgeSec: 0, timeSkewSec: 0 },
  // hapi compares a string `scope` as one scope: split the OAuth space-separated claim.
  validate: function splitScope (artifacts) {
    const payload = artifacts.decoded.payload
    return { isValid: true, credentials: { ...payload, scope: String(payload.scope ?? '').split(' ') } }
  }
})
server.route({
  method: 'GET',
  path: '/chats',
  options: { auth: { strategy: 'jwt', access: { scope: ['read:chat'] } } },
  handler: function chats () { return BODY }
})
await server.start()
announce(server.listener)
