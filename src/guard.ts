import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { authenticate, type Answers, type Denial } from './authenticate.js'
import { FST_SCOPES_INSUFFICIENT_SCOPE, FST_SCOPES_INVALID_REQUEST, FST_SCOPES_UNAUTHORIZED } from './errors.js'
import type { GrantedClaim } from './granted.js'
import type { CompiledRequirement } from './requirement.js'

/** Where the verified request's granted claim is kept, for `request.scopes` and `hasScopes()`. */
export const kGrantedClaim = Symbol('fastify-scopes.grantedClaim')

/** A request that fastify-scopes decorated. */
export interface ScopedRequest extends FastifyRequest {
  [kGrantedClaim]: GrantedClaim
}

/** The 403 for a token that does not satisfy `requirement`, with the challenge's `scope` as configured. */
function insufficientScopeDenial (requirement: CompiledRequirement, claim: GrantedClaim, answers: Answers, fixed: Denial | undefined): Denial {
  return fixed ?? answers.insufficientScope(requirement.missingFrom(claim).join(' '))
}

/** The 403 answer when it does not depend on the token (`challengeScopes` 'required' or 'none'). */
function fixedInsufficientScope (requirement: CompiledRequirement, answers: Answers): Denial | undefined {
  switch (answers.options.challengeScopes) {
    case 'none': return answers.insufficientScope(undefined)
    case 'required': return answers.insufficientScope((requirement.alternatives[0] as readonly string[]).join(' '))
    default: return undefined
  }
}

function send (reply: FastifyReply, denial: Denial): FastifyReply {
  return reply
    .code(denial.status)
    .header('www-authenticate', denial.challenge)
    .type('application/json; charset=utf-8')
    .send(denial.body)
}

function logDenial (request: FastifyRequest, denial: Denial, cause: unknown): void {
  if (cause === undefined) request.log.debug(`fastify-scopes: ${denial.status} (${denial.reason})`)
  else request.log.debug({ err: cause }, `fastify-scopes: ${denial.status} (${denial.reason})`)
}

/**
 * The route's `onRequest` check: verifies the token, reads its scopes and answers 400/401/403
 * itself, so no error handler can turn a refusal into a success.
 *
 * @example
 * ```ts
 * routeOptions.onRequest = [createGuard(requirement, answers), ...userHooks]
 * ```
 */
export function createGuard (requirement: CompiledRequirement, answers: Answers): onRequestAsyncHookHandler {
  const forbidden = fixedInsufficientScope(requirement, answers)
  return async function scopesGuard (request, reply) {
    const result = await authenticate(request, answers)
    if (result.denial !== undefined) {
      logDenial(request, result.denial, result.cause)
      return send(reply, result.denial)
    }
    (request as ScopedRequest)[kGrantedClaim] = result.claim
    if (requirement.isSatisfiedBy(result.claim)) return
    const denial = insufficientScopeDenial(requirement, result.claim, answers, forbidden)
    logDenial(request, denial, undefined)
    return send(reply, denial)
  }
}

const ERROR_FOR_STATUS = {
  400: FST_SCOPES_INVALID_REQUEST,
  401: FST_SCOPES_UNAUTHORIZED,
  403: FST_SCOPES_INSUFFICIENT_SCOPE
} as const

/**
 * The same check as a hook that throws (with `statusCode` and the challenge already set on the
 * reply), for `@fastify/auth` composition, where the caller decides what a failure means.
 *
 * @example
 * ```ts
 * app.get('/x', { onRequest: app.auth([app.requireScopes(['read:chat']), other]) }, handler)
 * ```
 */
export function createThrowingGuard (requirement: CompiledRequirement, answers: Answers): onRequestAsyncHookHandler {
  const forbidden = fixedInsufficientScope(requirement, answers)
  return async function requireScopesGuard (request, reply) {
    const result = await authenticate(request, answers)
    let denial: Denial
    let cause: unknown
    if (result.denial !== undefined) {
      denial = result.denial
      cause = result.cause
    } else {
      (request as ScopedRequest)[kGrantedClaim] = result.claim
      if (requirement.isSatisfiedBy(result.claim)) return
      denial = insufficientScopeDenial(requirement, result.claim, answers, forbidden)
    }
    reply.header('www-authenticate', denial.challenge)
    throw new ERROR_FOR_STATUS[denial.status]({ cause })
  }
}
