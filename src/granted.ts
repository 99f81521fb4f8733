/**
 * The granted scopes as the token carries them: a space-delimited string (RFC 9068 §2.2.3), an
 * array, or nothing. Kept raw so that a check searches it instead of building a Set per request.
 */
export type GrantedClaim = string | readonly unknown[] | undefined

const SPACE = 32

/** Whether the space-delimited `claim` holds `name` as a whole scope-token. */
function stringHolds (claim: string, name: string): boolean {
  let at = claim.indexOf(name)
  while (at !== -1) {
    const end = at + name.length
    if ((at === 0 || claim.charCodeAt(at - 1) === SPACE) &&
        (end === claim.length || claim.charCodeAt(end) === SPACE)) {
      return true
    }
    at = claim.indexOf(name, at + 1)
  }
  return false
}

/** Whether the claim grants `name`: exact, case-sensitive; array entries that are not strings never match. */
export function claimHolds (claim: GrantedClaim, name: string): boolean {
  if (typeof claim === 'string') return stringHolds(claim, name)
  return claim !== undefined && claim.includes(name)
}

/** Whether the claim grants at least one of `names`. */
export function claimHoldsAny (claim: GrantedClaim, names: readonly string[]): boolean {
  for (const name of names) {
    if (claimHolds(claim, name)) return true
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
