import type { ScopeRegistry } from './registry.js'
import { needsNoScope } from './requirement.js'
import type { GuardedRoute } from './routes.js'

/** A route's requirement in words: `public`, `not declared`, `any valid token`, `a + b`, `a | b + c`. */
function formatRequirement (route: GuardedRoute): string {
  const { requirement } = route
  if (requirement === undefined) return 'not declared'
  if (requirement === null) return 'public'
  if (needsNoScope(requirement.alternatives)) return 'any valid token'
  return requirement.alternatives.map((names) => names.join(' + ')).join(' | ')
}

/**
 * The registry scopes no route needs: neither named in a route's `config.scopes` nor implying
 * (through `implies`) a scope that is. In registry order.
 *
 * @example
 * ```ts
 * findUnusedScopes(routes, registry) // ['read:fan']
 * ```
 */
export function findUnusedScopes (routes: readonly GuardedRoute[], registry: ScopeRegistry): string[] {
  const used = new Set<string>()
  for (const route of routes) {
    for (const names of route.requirement?.alternatives ?? []) {
      for (const name of names) {
        for (const satisfier of registry.satisfiersOf(name)) used.add(satisfier)
      }
    }
  }
  return registry.names.filter((name) => !used.has(name))
}

/**
 * The table behind `fastify.printScopes()`: each route with its requirement (`a + b` needs both,
 * `a | b` either), then the registry scopes no route uses. Fastify's automatic HEAD routes are left
 * out; a HEAD route declared on its own is listed.
 *
 * @example
 * ```ts
 * console.log(app.printScopes())
 * // GET   /chats   read:chat
 * // POST  /chats   write:chat
 * //
 * // Unused scopes: read:fan
 * ```
 */
export function formatScopesTable (routes: readonly GuardedRoute[], registry: ScopeRegistry): string {
  const gets = new Set(routes.filter((route) => route.method === 'GET').map((route) => route.url))
  const rows = routes
    .filter((route) => !(route.method === 'HEAD' && gets.has(route.url)))
    .map((route) => [route.method, route.url, formatRequirement(route)] as const)
  const methodWidth = Math.max(6, ...rows.map(([method]) => method.length))
  const urlWidth = Math.max(5, ...rows.map(([, url]) => url.length))
  const lines = [
    `${'METHOD'.padEnd(methodWidth)}  ${'ROUTE'.padEnd(urlWidth)}  SCOPES`,
    ...rows.map(([method, url, scopes]) => `${method.padEnd(methodWidth)}  ${url.padEnd(urlWidth)}  ${scopes}`)
  ]
  const unused = findUnusedScopes(routes, registry)
  lines.push('', `Unused scopes: ${unused.length === 0 ? '(none)' : unused.join(', ')}`)
  return lines.join('\n') + '\n'
}
