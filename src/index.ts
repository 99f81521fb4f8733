import fp from 'fastify-plugin'
import type { onRequestAsyncHookHandler } from 'fastify'
import { fastifyScopesPlugin } from './plugin.js'
import type { FastifyScopesOptions } from './options.js'
import type { ScopeRegistry } from './registry.js'
import type { ScopeRequirement } from './requirement.js'

export { defineScopes } from './registry.js'
export type { Scope, ScopeDefinitions, ScopeEntry, ScopeNamesOf, ScopeRegistry, ScopeResource } from './registry.js'
export type { ScopeRequirement } from './requirement.js'
export type { ChallengeScopes, ErrorMessages, FastifyScopesOptions } from './options.js'
export type { ResourceMetadataOptions } from './resource-metadata.js'
export { bearerChallenge } from './challenge.js'
export * as errors from './errors.js'

/**
 * Declaration-merging hook: an application that adds `scope` here gets its registry's scope names
 * checked at compile time in `config.scopes`, `requireScopes()` and `hasScopes()`.
 *
 * @example
 * ```ts
 * declare module 'fastify-scopes' {
 *   interface FastifyScopesTypes { scope: ScopeNameOf<typeof registry> }
 * }
 * ```
 */
export interface FastifyScopesTypes {}

/** The scope names the application declared in `FastifyScopesTypes`, or `string`. */
export type ScopeName = FastifyScopesTypes extends { scope: infer S extends string } ? S : string

/** The scope names of a registry: `ScopeNameOf<typeof registry>`. */
export type ScopeNameOf<R> = R extends ScopeRegistry<infer N> ? N : never

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs: see the route-config table of fastify-scopes. */
    scopes?: ScopeRequirement<ScopeName>
  }
  interface FastifyInstance {
    /** The scope registry the plugin was registered with. */
    readonly scopes: ScopeRegistry<ScopeName>
    /** The route check as an `onRequest` hook that throws its 400/401/403, for `@fastify/auth`. */
    requireScopes (spec: Exclude<ScopeRequirement<ScopeName>, false>): onRequestAsyncHookHandler
  }
  interface FastifyRequest {
    /** The granted scopes the registry knows (empty on routes without a check). */
    readonly scopes: ReadonlySet<string>
    /** Whether the verified token satisfies every one of `names` (with `implies`). */
    hasScopes (...names: ScopeName[]): boolean
  }
}

/**
 * Enforces OAuth 2.0 scopes declared in `config.scopes` on verified `@fastify/jwt` tokens.
 * Register it after `@fastify/jwt`.
 *
 * @example
 * ```ts
 * await app.register(fastifyJwt, { secret })
 * await app.register(fastifyScopes, { registry })
 * app.get('/chats', { config: { scopes: ['read:chat'] } }, handler)
 * ```
 */
const fastifyScopes = fp<FastifyScopesOptions>(fastifyScopesPlugin, {
  fastify: '5.x',
  name: 'fastify-scopes',
  dependencies: ['@fastify/jwt']
})

export default fastifyScopes
export { fastifyScopes }
