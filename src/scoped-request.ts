import type { FastifyRequest } from 'fastify'
import type { GrantedClaim } from './granted.js'

/** Where the verified request's granted claim is kept, for `request.scopes` and `hasScopes()`. */
export const kGrantedClaim = Symbol('fastify-scopes.grantedClaim')

/** A request that fastify-scopes decorated. */
export interface ScopedRequest extends FastifyRequest {
  [kGrantedClaim]: GrantedClaim
}
