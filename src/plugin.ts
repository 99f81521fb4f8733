import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { buildAnswers } from './authenticate.js'
import { FST_SCOPES_INVALID_ROUTE_CONFIG, FST_SCOPES_ROUTE_NOT_GUARDED } from './errors.js'
import { claimHoldsAny, listGrantedScopes, scopeMatcher, type GrantedClaim, type ScopeMatcher } from './granted.js'
import { createThrowingGuard } from './guard.js'
import { kGrantedClaim, type ScopedRequest } from './scoped-request.js'
import { validateOptions, type FastifyScopesOptions } from './options.js'
import { formatScopesTable, findUnusedScopes } from './print-scopes.js'
import { compileRequirement } from './requirement.js'
import { buildResourceMetadata, locateResourceMetadata, serveResourceMetadata } from './resource-metadata.js'
import { RouteGuarding, createLateRouteGuard } from './routes.js'
import { integrateSwagger } from './swagger-hook.js'

const kScopesCache = Symbol('fastify-scopes.scopesCache')

// find-my-way prints this for a router without routes; anything else means routes came first.
const EMPTY_ROUTER = '(empty tree)'

/** Throws the problems found while routes were registered, all in one error. */
function throwProblems (problems: readonly Error[]): void {
  const [first, ...others] = problems
  if (first === undefined) return
  if (others.length > 0) first.message += ` (and ${others.length} more: ${others.map((error) => error.message).join('; ')})`
  throw first
}

/** The plugin body; `index.ts` wraps it with fastify-plugin. */
export async function fastifyScopesPlugin (fastify: FastifyInstance, rawOptions: FastifyScopesOptions): Promise<void> {
  const options = validateOptions(rawOptions)
  const { registry } = options
  const metadata = options.resourceMetadata
  const metadataLocation = metadata === undefined ? undefined : locateResourceMetadata(metadata.resource)
  const metadataDocument = metadata === undefined ? undefined : buildResourceMetadata(metadata, registry)
  const answers = buildAnswers(options, metadataLocation?.url)
  const guarding = new RouteGuarding(answers)
  const routesCameFirst = fastify.printRoutes().trim() !== EMPTY_ROUTER

  fastify.decorate('scopes', registry as FastifyInstance['scopes'])
  fastify.decorate('requireScopes', function requireScopes (spec: unknown): onRequestAsyncHookHandler {
    const requirement = compileRequirement(spec, registry, { method: 'requireScopes()', url: '' })
    if (requirement === null) {
      throw new FST_SCOPES_INVALID_ROUTE_CONFIG('requireScopes()', '', 'false declares a public route; a hook needs scopes, or [] for any valid token')
    }
    return createThrowingGuard(requirement, answers)
  })
  fastify.decorate('printScopes', function printScopes (): string {
    return formatScopesTable(guarding.routes, registry)
  })
  fastify.decorateRequest(kGrantedClaim, undefined)
  fastify.decorateRequest(kScopesCache, undefined)
  fastify.decorateRequest('scopes', {
    getter (this: FastifyRequest): ReadonlySet<string> {
      const request = this as ScopedRequest & { [kScopesCache]?: { claim: GrantedClaim, scopes: ReadonlySet<string> } }
      const claim = request[kGrantedClaim]
      // Cached for the claim it was built from: a hook that reads request.scopes before the guard
      // has verified the token must not freeze an empty set for the handler.
      const cached = request[kScopesCache]
      if (cached !== undefined && cached.claim === claim) return cached.scopes
      const scopes = listGrantedScopes(claim, registry.has)
      request[kScopesCache] = { claim, scopes }
      return scopes
    }
  })
  const matchers = new Map<string, readonly ScopeMatcher[]>()
  const satisfiersOf = (name: string): readonly ScopeMatcher[] => {
    let found = matchers.get(name)
    if (found === undefined) {
      found = registry.satisfiersOf(name).map(scopeMatcher)
      matchers.set(name, found)
    }
    return found
  }
  fastify.decorateRequest('hasScopes', function hasScopes (this: FastifyRequest, ...names: string[]): boolean {
    const claim = (this as ScopedRequest)[kGrantedClaim]
    return names.every((name) => registry.has(name) && claimHoldsAny(claim, satisfiersOf(name)))
  })

  fastify.addHook('onRoute', function scopesOnRoute (routeOptions) {
    guarding.onRoute(routeOptions)
  })

  if (metadataLocation !== undefined && metadataDocument !== undefined) {
    serveResourceMetadata(fastify, metadataLocation, metadataDocument)
  }

  if (routesCameFirst) {
    if (options.strict) {
      throw new FST_SCOPES_ROUTE_NOT_GUARDED(
        'Routes were declared before fastify-scopes was registered, so strict mode cannot check them: ' +
        '`await app.register(fastifyScopes, ...)` before declaring routes or registering plugins that declare routes')
    }
    fastify.addHook('onRequest', createLateRouteGuard(answers))
  }

  if (options.openapi !== false) integrateSwagger(fastify, { registry, openapi: options.openapi, messages: options.messages })

  fastify.addHook('onReady', async function scopesOnReady () {
    throwProblems(guarding.problems)
    const unused = options.warnUnusedScopes ? findUnusedScopes(guarding.routes, registry) : []
    if (unused.length > 0) {
      fastify.log.warn(`fastify-scopes: no route uses these registry scopes: ${unused.join(', ')} (see app.printScopes())`)
    }
    if (routesCameFirst) {
      fastify.log.warn('fastify-scopes: routes were declared before the plugin was registered; their config.scopes is ' +
        'checked at their first request instead of at boot, and every request pays a lookup. ' +
        '`await app.register(fastifyScopes, ...)` before declaring routes to avoid both.')
    }
  })
}
