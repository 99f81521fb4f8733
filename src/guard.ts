import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { createCheck, type Answers, type Denial, type Refusal } from './authenticate.js'
import { FST_SCOPES_INSUFFICIENT_SCOPE, FST_SCOPES_INVALID_REQUEST, FST_SCOPES_UNAUTHORIZED } from './errors.js'
import type { CompiledRequirement } from './requirement.js'

/** The 403 answer when it does not depend on the token (`challengeScopes` 'required' or 'none'). */
function fixedInsufficientScope (requirement: CompiledRequirement, answers: Answers): Denial | undefined {
  switch (answers.options.challengeScopes) {
    case 'none': return answers.insufficientScope(undefined)
    case 'required': return answers.insufficientScope((requirement.alternatives[0] as readonly string[]).join(' '))
    default: return undefined
  }
}

function logRefusal (request: FastifyRequest, { denial, cause }: Refusal): void {
  if (cause === undefined) request.log.debug(`fastify-scopes: ${denial.status} (${denial.reason})`)
  else request.log.debug({ err: cause }, `fastify-scopes: ${denial.status} (${denial.reason})`)
}

function send (reply: FastifyReply, denial: Denial): FastifyReply {
  return reply
    .code(denial.status)
    .header('www-authenticate', denial.challenge)
    .type('application/json; charset=utf-8')
    .send(denial.body)
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
  return createCheck(requirement, answers, fixedInsufficientScope(requirement, answers), function answerRefusal (request, reply, refusal) {
    logRefusal(request, refusal)
    return send(reply, refusal.denial)
  })
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
  return createCheck(requirement, answers, fixedInsufficientScope(requirement, answers), function throwRefusal (_request, reply, refusal) {
    reply.header('www-authenticate', refusal.denial.challenge)
    throw new ERROR_FOR_STATUS[refusal.denial.status]({ cause: refusal.cause })
  })
}
