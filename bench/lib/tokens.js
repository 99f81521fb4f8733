// Token material shared by every benchmark: one HS256 secret, one issuer and audience, tokens
// minted once with fast-jwt so that every stack (Fastify, Express, hapi) verifies the same bytes.
import { generateKeyPairSync } from 'node:crypto'
import { createSigner } from 'fast-jwt'

export const SECRET = 'bench-secret-'.padEnd(32, 'x') + '-0123456789abcdef'
export const ISSUER = 'https://issuer.bench.local/'
export const AUDIENCE = 'https://api.bench.local'
export const STANDARD_SCOPES = 'read:self read:chat read:fan'
export const LACKING_SCOPES = 'read:self read:fan'

// Far in the future so that a long run never sees an expired token.
const EXP = Math.floor(Date.parse('2100-01-01T00:00:00Z') / 1000)

const signHs256 = createSigner({ key: SECRET, algorithm: 'HS256' })

/** Claims every stack accepts: iss, aud, sub, exp and the space-separated `scope`. */
export function claims (scope) {
  return { iss: ISSUER, aud: AUDIENCE, sub: 'bench-user', exp: EXP, scope }
}

export function mintHs256 (scope) {
  return signHs256(claims(scope))
}

export function makeRsaMaterial () {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  })
  const sign = createSigner({ key: privateKey, algorithm: 'RS256' })
  return { privateKey, publicKey, mintRs256: (scope) => sign(claims(scope)) }
}

/** `count` distinct scope names, `read:res0000` ... (RFC 6749 scope-tokens). */
export function manyScopeNames (count, prefix = 'res') {
  const names = []
  for (let i = 0; i < count; i++) names.push(`read:${prefix}${String(i).padStart(5, '0')}`)
  return names
}

/** The 5 scopes a `plugin-big` route requires: spread over the 1,000-scope token. */
export function bigRequiredScopes (names) {
  const n = names.length
  return [names[0], names[Math.floor(n / 4)], names[Math.floor(n / 2)], names[Math.floor(3 * n / 4)], names[n - 1]]
}
