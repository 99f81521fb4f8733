import type { FastifyRequest, FastifyReply, RouteOptions, onRequestHookHandler, onRequestAsyncHookHandler } from 'fastify'
import type { Answers } from './authenticate.js'
import { FST_SCOPES_UNDECLARED_ROUTE } from './errors.js'
import { createGuard } from './guard.js'
import { markRouteSchema } from './openapi.js'
import { compileRequirement, type CompiledRequirement, type RequirementSite } from './requirement.js'

/** A route fastify-scopes saw being declared, with its compiled requirement. */
export interface GuardedRoute {
  readonly method: string
  readonly url: string
  /** `null` for a public route; `undefined` when the route did not declare `config.scopes`. */
  readonly requirement: CompiledRequirement | null | undefined
}

/** A compiled requirement and the guard that enforces it (`null` for a public route). */
interface CompiledRoute {
  readonly requirement: CompiledRequirement | null
  readonly guard: onRequestAsyncHookHandler | null
}

const PUBLIC_ROUTE: CompiledRoute = Object.freeze({ requirement: null, guard: null })

/** Marks a route config whose check was attached at registration (copied into Fastify's context config). */
export const kRouteRequirement = Symbol('fastify-scopes.routeRequirement')

type OnRequestOption = RouteOptions['onRequest']

function methodsOf (method: RouteOptions['method']): string {
  return Array.isArray(method) ? method.join(',') : String(method)
}

function isExempt (url: string, exempt: readonly string[]): boolean {
  return exempt.some((prefix) => url === prefix || url.startsWith(prefix.endsWith('/') ? prefix : prefix + '/'))
}

/** Puts the guard first among the route's own `onRequest` hooks, keeping the user's. */
function prependHook (guard: onRequestAsyncHookHandler, hooks: OnRequestOption): onRequestHookHandler[] {
  const own = hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks]
  return [guard as onRequestHookHandler, ...own as onRequestHookHandler[]]
}

/**
 * The bookkeeping of route registration: compiles each route's `config.scopes` once, attaches
 * its check, and collects the configuration problems to report at `ready()`.
 */
export class RouteGuarding {
  readonly routes: GuardedRoute[] = []
  readonly problems: Error[] = []
  readonly #answers: Answers
  readonly #failedGetUrls = new Set<string>()
  readonly #compiled = new Map<string, CompiledRoute>()

  constructor (answers: Answers) {
    this.#answers = answers
  }

  /** The `onRoute` hook. Replaces `config` and `onRequest` on Fastify's copy of the route options, never mutating the user's objects. */
  onRoute (routeOptions: RouteOptions): void {
    const { strict, strictExempt } = this.#answers.options
    const method = methodsOf(routeOptions.method)
    const url = routeOptions.url
    const spec: unknown = routeOptions.config?.scopes
    if (spec === undefined) {
      this.routes.push({ method, url, requirement: undefined })
      if (strict && !isExempt(url, strictExempt)) this.#report(method, url, new FST_SCOPES_UNDECLARED_ROUTE(method, url))
      return
    }
    let compiled: CompiledRoute
    try {
      compiled = this.#compile(spec, { method, url })
    } catch (error) {
      this.#report(method, url, error as Error)
      return
    }
    const { requirement, guard } = compiled
    this.routes.push({ method, url, requirement })
    routeOptions.config = { ...routeOptions.config, [kRouteRequirement]: requirement } as RouteOptions['config']
    const { openapi } = this.#answers.options
    if (openapi !== false) {
      routeOptions.schema = markRouteSchema(routeOptions.schema as Record<string, unknown> | undefined, requirement, openapi.securityScheme)
    }
    if (guard !== null) routeOptions.onRequest = prependHook(guard, routeOptions.onRequest)
  }

  /**
   * Compiles a requirement, sharing the frozen result and its guard between routes that declare
   * the same one (a GET and its HEAD route, and the many routes of an API needing the same scopes).
   */
  #compile (spec: unknown, site: RequirementSite): CompiledRoute {
    const requirement = compileRequirement(spec, this.#answers.options.registry, site)
    if (requirement === null) return PUBLIC_ROUTE
    // The key is made of the validated scope names only, never of the user's value itself.
    const key = JSON.stringify(requirement.alternatives)
    let compiled = this.#compiled.get(key)
    if (compiled === undefined) {
      compiled = { requirement, guard: createGuard(requirement, this.#answers) }
      this.#compiled.set(key, compiled)
    }
    return compiled
  }

  #report (method: string, url: string, error: Error): void {
    // Fastify's automatic HEAD route repeats its GET route's config: report the GET route only.
    if (method === 'GET') this.#failedGetUrls.add(url)
    else if (method === 'HEAD' && this.#failedGetUrls.has(url)) return
    this.problems.push(error)
  }
}

/**
 * The check for routes declared before the plugin's `onRoute` hook existed: a global hook that
 * compiles such a route's `config.scopes` on its first request. It is installed only when routes
 * existed at registration, so that, in the usual order, routes without scopes cost nothing.
 */
export function createLateRouteGuard (answers: Answers): onRequestAsyncHookHandler {
  const guards = new WeakMap<object, onRequestAsyncHookHandler | null>()
  return async function scopesLateRouteGuard (this: unknown, request: FastifyRequest, reply: FastifyReply) {
    const config = request.routeOptions.config as unknown as Record<PropertyKey, unknown>
    if (Object.hasOwn(config, kRouteRequirement)) return
    // The route's check is decided once, at its first request, before anything else is read from
    // its config: a hook that later rewrites or deletes config.scopes must not turn the check off.
    let guard = guards.get(config)
    if (guard === undefined && config.scopes === undefined) {
      guard = null
      guards.set(config, guard)
    }
    if (guard === undefined) {
      const site = { method: request.routeOptions.method as string, url: request.routeOptions.url as string }
      try {
        const requirement = compileRequirement(config.scopes, answers.options.registry, site)
        guard = requirement === null ? null : createGuard(requirement, answers)
      } catch (error) {
        // A route config error found this late cannot fail boot: refuse every request instead.
        request.log.error({ err: error }, 'fastify-scopes: invalid config.scopes on a route declared before the plugin')
        guard = async function misconfiguredRoute (_request, failed) {
          return failed.code(500).type('application/json; charset=utf-8').send('{"error":"Internal Server Error"}')
        }
      }
      guards.set(config, guard)
    }
    if (guard !== null) return guard.call(this as never, request, reply)
  }
}
