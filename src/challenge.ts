/** The `error` codes of RFC 6750 §3.1. */
export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

/** Parameters of one `Bearer` challenge, in the order they are written. */
export interface ChallengeParams {
  readonly realm?: string
  readonly error?: BearerError
  readonly scope?: string
  readonly resourceMetadata?: string
}

/** Quotes a value per RFC 9110 §5.6.4: `"` and `\` become quoted-pairs. */
export function quote (value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`
}

/**
 * Builds one RFC 6750 §3 `WWW-Authenticate: Bearer` challenge. Scope names are scope-tokens and
 * error codes are fixed, so only `realm` and `resource_metadata` can need escaping.
 *
 * @example
 * ```ts
 * bearerChallenge({ realm: 'api', error: 'insufficient_scope', scope: 'read:chat' })
 * // 'Bearer realm="api", error="insufficient_scope", scope="read:chat"'
 * ```
 */
export function bearerChallenge (params: ChallengeParams): string {
  const parts: string[] = []
  if (params.realm !== undefined) parts.push(`realm=${quote(params.realm)}`)
  if (params.error !== undefined) parts.push(`error="${params.error}"`)
  if (params.scope !== undefined) parts.push(`scope="${params.scope}"`)
  if (params.resourceMetadata !== undefined) parts.push(`resource_metadata=${quote(params.resourceMetadata)}`)
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`
}
