/**
 * The granted scopes as the token carries them: a space-delimited string (RFC 9068 §2.2.3), an
 * array, or nothing. Kept raw so that a check searches it instead of building a Set per request.
 */
export type GrantedClaim = string | readonly unknown[] | undefined

/**
 * A scope name with the patterns that find it as a whole token of a space-delimited claim, built
 * once so that a check searches the claim without splitting it or looping over near-misses.
 */
export interface ScopeMatcher {
  readonly name: string
  readonly first: string
  readonly inner: string
  readonly last: string
}

/** The matcher of `name`. */
export function scopeMatcher (name: string): ScopeMatcher {
  return Object.freeze({ name, first: `${name} `, inner: ` ${name} `, last: ` ${name}` })
}

/** Whether the claim grants the scope: exact, case-sensitive; array entries that are not strings never match. */
export function claimHolds (claim: GrantedClaim, scope: ScopeMatcher): boolean {
  if (typeof claim === 'string') {
    return claim === scope.name || claim.startsWith(scope.first) || claim.endsWith(scope.last) || claim.includes(scope.inner)
  }
  return claim !== undefined && claim.includes(scope.name)
}

/** Whether the claim grants at least one of the scopes. */
export function claimHoldsAny (claim: GrantedClaim, scopes: readonly ScopeMatcher[]): boolean {
  for (const scope of scopes) {
    if (claimHolds(claim, scope)) return true
  }
  return false
}

/** Reads a candidate claim value: only a string or an array grants anything. */
export function toGrantedClaim (value: unknown): GrantedClaim {
  return typeof value === 'string' || Array.isArray(value) ? value : undefined
}

/**
 * Reads the granted scopes from a verified payload: the first of `claimNames` that the payload has
 * as an own property wins, even when its type grants nothing (a `scope` claim of the wrong type
 * never falls back to `scp`).
 */
export function readGrantedClaim (payload: unknown, claimNames: readonly string[]): GrantedClaim {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined
  for (const claimName of claimNames) {
    if (Object.hasOwn(payload, claimName)) {
      return toGrantedClaim((payload as Record<string, unknown>)[claimName])
    }
  }
  return undefined
}

/** The distinct scope names of a claim, in claim order, keeping only those `isKnown` accepts. */
export function listGrantedScopes (claim: GrantedClaim, isKnown: (name: string) => boolean): Set<string> {
  const scopes = new Set<string>()
  if (claim === undefined) return scopes
  const entries = typeof claim === 'string' ? claim.split(' ') : claim
  for (const entry of entries) {
    if (typeof entry === 'string' && isKnown(entry)) scopes.add(entry)
  }
  return scopes
}
