import createError from '@fastify/error'

/**
 * Every error fastify-scopes raises, each with its `FST_SCOPES_*` code and HTTP status.
 * Configuration errors (status 500) are thrown at registration or `ready()`; request errors
 * (401, 403) are thrown only by `fastify.requireScopes()`, for `@fastify/auth` composition.
 *
 * @example
 * ```ts
 * import { errors } from 'fastify-scopes'
 * await app.ready().catch((err) => {
 *   if (err instanceof errors.FST_SCOPES_UNKNOWN_SCOPE) console.error(err.message)
 * })
 * ```
 */
export const FST_SCOPES_INVALID_REGISTRY = createError<[string]>(
  'FST_SCOPES_INVALID_REGISTRY',
  'Invalid scope registry: %s',
  500
)

export const FST_SCOPES_INVALID_OPTIONS = createError<[string]>(
  'FST_SCOPES_INVALID_OPTIONS',
  'Invalid fastify-scopes options: %s',
  500
)

export const FST_SCOPES_INVALID_ROUTE_CONFIG = createError<[string, string, string]>(
  'FST_SCOPES_INVALID_ROUTE_CONFIG',
  'Invalid config.scopes on route %s %s: %s',
  500
)

export const FST_SCOPES_UNKNOWN_SCOPE = createError<[string, string, string]>(
  'FST_SCOPES_UNKNOWN_SCOPE',
  'Route %s %s requires scope "%s", which the registry does not define: add it to defineScopes() or fix the name',
  500
)

export const FST_SCOPES_UNDECLARED_ROUTE = createError<[string, string]>(
  'FST_SCOPES_UNDECLARED_ROUTE',
  'Route %s %s does not declare config.scopes and the plugin runs with strict: true: declare the scopes it needs, or `scopes: false` for a public route, or list it in strictExempt',
  500
)

export const FST_SCOPES_ROUTE_NOT_GUARDED = createError<[string]>(
  'FST_SCOPES_ROUTE_NOT_GUARDED',
  '%s',
  500
)

export const FST_SCOPES_MISSING_SECURITY_SCHEME = createError<[string]>(
  'FST_SCOPES_MISSING_SECURITY_SCHEME',
  '%s',
  500
)

export const FST_SCOPES_UNAUTHORIZED = createError(
  'FST_SCOPES_UNAUTHORIZED',
  'Unauthorized',
  401
)

export const FST_SCOPES_INSUFFICIENT_SCOPE = createError(
  'FST_SCOPES_INSUFFICIENT_SCOPE',
  'Insufficient scopes',
  403
)

export const FST_SCOPES_INVALID_REQUEST = createError(
  'FST_SCOPES_INVALID_REQUEST',
  'Bad Request',
  400
)
