import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/jwt'
import { bearerChallenge, type BearerError } from './challenge.js'
import { readGrantedClaim, toGrantedClaim, type GrantedClaim } from './granted.js'
import type { ResolvedOptions } from './options.js'

/** A refusal, ready to send: status, `WWW-Authenticate` value and serialized JSON body. */
export interface Denial {
  readonly status: 400 | 401 | 403
  readonly challenge: string
  readonly body: string
  /** What went wrong, for the log; never sent. */
  readonly reason: string
}

/** The outcome of authenticating a request: its granted claim, or why it is refused. */
export type Authentication =
  | { readonly denial: undefined, readonly claim: GrantedClaim }
  | { readonly denial: Denial, readonly cause?: unknown }

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

/** How many `Authorization` field lines the request had (Node keeps only the first). */
function countAuthorizationLines (rawHeaders: readonly string[]): number {
  let count = 0
  for (let at = 0; at < rawHeaders.length; at += 2) {
    const name = rawHeaders[at] as string
    if (name.length === AUTHORIZATION.length && name.toLowerCase() === AUTHORIZATION) count++
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
  if (header.slice(0, BEARER.length).toLowerCase() !== BEARER) return answers.noCredentials
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

/**
 * Verifies the request's token with `request.jwtVerify()` (no per-call options, so every
 * `@fastify/jwt` setting and its verifier cache apply) and reads the granted scopes. Every
 * verification failure becomes a 401; the original error is returned as `cause`.
 */
export async function authenticate (request: FastifyRequest, answers: Answers): Promise<Authentication> {
  const refusal = inspectAuthorization(request, answers)
  if (refusal !== undefined) return { denial: refusal }
  let payload: unknown
  try {
    payload = await request.jwtVerify()
  } catch (error) {
    const denial = request.headers.authorization === undefined && NO_TOKEN_CODES.has(Object(error).code)
      ? answers.noCredentials
      : answers.invalidToken
    return { denial, cause: error }
  }
  const { getScopes, scopeClaims } = answers.options
  if (getScopes === undefined) return { denial: undefined, claim: readGrantedClaim(payload, scopeClaims) }
  try {
    return { denial: undefined, claim: toGrantedClaim(getScopes(payload)) }
  } catch (error) {
    // A getScopes that throws grants nothing: deny rather than guess.
    request.log.error({ err: error }, 'fastify-scopes: getScopes threw; the request is treated as granting no scope')
    return { denial: undefined, claim: undefined }
  }
}
