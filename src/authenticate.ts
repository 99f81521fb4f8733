import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type {} from '@fastify/jwt'
import { bearerChallenge, type BearerError } from './challenge.js'
import { readGrantedClaim, toGrantedClaim, type GrantedClaim } from './granted.js'
import { kGrantedClaim, type ScopedRequest } from './scoped-request.js'
import type { ResolvedOptions } from './options.js'
import type { CompiledRequirement } from './requirement.js'

/** A refusal, ready to send: status, `WWW-Authenticate` value and serialized JSON body. */
export interface Denial {
  readonly status: 400 | 401 | 403
  readonly challenge: string
  readonly body: string
  /** What went wrong, for the log; never sent. */
  readonly reason: string
}

/** Why a request is refused: the answer to send, and the error behind it, if any (for the log). */
export interface Refusal {
  readonly denial: Denial
  readonly cause: unknown
}

/** The constant parts of every answer, computed once per plugin instance. */
export interface Answers {
  readonly options: ResolvedOptions
  readonly noCredentials: Denial
  readonly invalidToken: Denial
  readonly invalidRequest: Denial
  readonly tokenTooLong: Denial
  readonly resourceMetadata: string | undefined
  /** The 403 for a token lacking `scopes` (a space-joined list, or undefined to omit the attribute). */
  insufficientScope (scope: string | undefined): Denial
}

/** Precomputes the 400 and 401 answers and the shape of the 403s. */
export function buildAnswers (options: ResolvedOptions, resourceMetadata?: string): Answers {
  const { realm, messages } = options
  const body = (message: string): string => JSON.stringify({ error: message })
  const denial = (status: 400 | 401 | 403, error: BearerError | undefined, message: string, reason: string, scope?: string): Denial =>
    Object.freeze({ status, challenge: bearerChallenge({ realm, error, scope, resourceMetadata }), body: body(message), reason })
  return Object.freeze({
    options,
    resourceMetadata,
    noCredentials: denial(401, undefined, messages.unauthorized, 'no bearer token'),
    invalidToken: denial(401, 'invalid_token', messages.unauthorized, 'token failed verification'),
    invalidRequest: denial(400, 'invalid_request', messages.invalidRequest, 'malformed Authorization header'),
    tokenTooLong: denial(401, 'invalid_token', messages.unauthorized, `token longer than maxTokenLength (${options.maxTokenLength})`),
    insufficientScope: (scope: string | undefined) =>
      denial(403, 'insufficient_scope', messages.insufficientScope, 'insufficient scope', scope)
  })
}

const BEARER = 'bearer'
const SPACE = 32
const TAB = 9
const AUTHORIZATION = 'authorization'

/** Whether the header starts with the scheme `Bearer`, in any case, without copying it. */
function startsWithBearer (header: string): boolean {
  if (header.length < BEARER.length) return false
  for (let at = 0; at < BEARER.length; at++) {
    // ASCII letters: setting bit 0x20 lowers an upper-case letter and keeps a lower-case one.
    if ((header.charCodeAt(at) | 0x20) !== BEARER.charCodeAt(at)) return false
  }
  return true
}

/** How many `Authorization` field lines the request had (Node keeps only the first). */
function countAuthorizationLines (rawHeaders: readonly string[]): number {
  let count = 0
  for (let at = 0; at < rawHeaders.length; at += 2) {
    const name = rawHeaders[at] as string
    if (name.length === AUTHORIZATION.length && (name === 'Authorization' || name.toLowerCase() === AUTHORIZATION)) count++
  }
  return count
}

/**
 * Checks the `Authorization` header before anything decodes it: one field line, the `Bearer`
 * scheme (any case) and one space, then a single token no longer than `maxTokenLength`.
 * Returns the refusal, or undefined when the header is absent or well-formed.
 */
function inspectAuthorization (request: FastifyRequest, answers: Answers): Denial | undefined {
  const header = request.headers.authorization
  if (header === undefined) return undefined
  if (countAuthorizationLines(request.raw.rawHeaders) > 1) return answers.invalidRequest
  if (!startsWithBearer(header)) return answers.noCredentials
  if (header.length === BEARER.length) return answers.invalidRequest
  const separator = header.charCodeAt(BEARER.length)
  // A tab after the scheme is malformed; `Bearerish ...` is another scheme: no bearer credentials.
  if (separator !== SPACE) return separator === TAB ? answers.invalidRequest : answers.noCredentials
  const tokenLength = header.length - BEARER.length - 1
  if (tokenLength === 0 || header.indexOf(' ', BEARER.length + 1) !== -1) return answers.invalidRequest
  if (tokenLength > answers.options.maxTokenLength) return answers.tokenTooLong
  return undefined
}

// @fastify/jwt's codes for "no token was presented at all": RFC 6750 §3.1 wants no error code then.
const NO_TOKEN_CODES = new Set(['FST_JWT_NO_AUTHORIZATION_IN_HEADER', 'FST_JWT_NO_AUTHORIZATION_IN_COOKIE'])

/** What a check does with a refusal: answer it, or throw it. */
export type RefusalHandler = (request: FastifyRequest, reply: FastifyReply, refusal: Refusal) => FastifyReply

/**
 * Builds a route's `onRequest` check. It verifies the request's token with `request.jwtVerify()`
 * (no per-call options, so every `@fastify/jwt` setting and its verifier cache apply), reads the
 * granted scopes into the request and checks them; a refusal goes to `refuse`. Every verification
 * failure becomes a 401 whose cause is the original error. Nothing is allocated on success.
 */
export function createCheck (requirement: CompiledRequirement, answers: Answers, forbidden: Denial | undefined, refuse: RefusalHandler): onRequestAsyncHookHandler {
  return async function scopesCheck (request, reply) {
    const malformed = inspectAuthorization(request, answers)
    if (malformed !== undefined) return refuse(request, reply, { denial: malformed, cause: undefined })
    let payload: unknown
    try {
      payload = await request.jwtVerify()
    } catch (error) {
      const denial = request.headers.authorization === undefined && NO_TOKEN_CODES.has(Object(error).code)
        ? answers.noCredentials
        : answers.invalidToken
      return refuse(request, reply, { denial, cause: error })
    }
    const claim = readClaim(request, payload, answers.options)
    ;(request as ScopedRequest)[kGrantedClaim] = claim
    if (requirement.isSatisfiedBy(claim)) return
    const denial = forbidden ?? answers.insufficientScope(requirement.missingFrom(claim).join(' '))
    return refuse(request, reply, { denial, cause: undefined })
  }
}

function readClaim (request: FastifyRequest, payload: unknown, { getScopes, scopeClaims }: ResolvedOptions): GrantedClaim {
  if (getScopes === undefined) return readGrantedClaim(payload, scopeClaims)
  try {
    return toGrantedClaim(getScopes(payload))
  } catch (error) {
    // A getScopes that throws grants nothing: deny rather than guess.
    request.log.error({ err: error }, 'fastify-scopes: getScopes threw; the request is treated as granting no scope')
    return undefined
  }
}
