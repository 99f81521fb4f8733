import createError from '@fastify/error'
import type { FastifyJWTOptions, TokenOrHeader } from '@fastify/jwt'
import type { FastifyRequest } from 'fastify'
import buildGetJwks from 'get-jwks'
import { Agent } from 'undici'

/** Options of {@link rfc9068JwtOptions}. */
export interface Rfc9068JwtOptionsInput {
  /** Expected `iss`, e.g. `http://127.0.0.1:4000`. */
  issuer: string
  /** Expected `aud`: this API's resource indicator. */
  audience: string
  /**
   * Where the issuer publishes its JWKS. Default: read `jwks_uri` from
   * `${issuer}/.well-known/openid-configuration`.
   */
  jwksUri?: string
  /** How long a fetched key is trusted without asking the issuer again, in ms. Default 60000. */
  jwksCacheTtl?: number
  /**
   * Longest wait for the issuer's JWKS (connect, headers, body), in ms. Default 3000. get-jwks's
   * own `timeout` is ignored by Node's fetch, so a hung JWKS would otherwise hang requests.
   */
  jwksTimeout?: number
}

const InvalidTokenError = createError(
  'FST_JWT_AUTHORIZATION_TOKEN_INVALID',
  'Authorization token is invalid: %s',
  401
)

/**
 * Builds @fastify/jwt options that accept only RFC 9068 access tokens from one issuer, with
 * the signing key looked up in the issuer's JWKS by `kid` (get-jwks).
 *
 * @example
 * ```ts
 * await app.register(fastifyJwt, rfc9068JwtOptions({
 *   issuer: process.env.ISSUER,
 *   audience: process.env.AUDIENCE,
 *   jwksUri: process.env.JWKS_URI
 * }))
 * ```
 */
export function rfc9068JwtOptions ({ issuer, audience, jwksUri, jwksCacheTtl, jwksTimeout = 3000 }: Rfc9068JwtOptionsInput): FastifyJWTOptions {
  // get-jwks fetches `${domain}${jwksPath}`. The domain is always ours, never the token's
  // `iss`: a forged token cannot make the API fetch keys from elsewhere.
  const source: JwksSource = jwksUri === undefined
    ? { domain: issuer, providerDiscovery: true }
    : splitJwksUri(jwksUri)
  const getJwks = buildGetJwks({
    providerDiscovery: source.providerDiscovery,
    ...(source.jwksPath === undefined ? {} : { jwksPath: source.jwksPath }),
    ...(jwksCacheTtl === undefined ? {} : { ttl: jwksCacheTtl }),
    fetchOptions: {
      dispatcher: new Agent({ connect: { timeout: jwksTimeout }, headersTimeout: jwksTimeout, bodyTimeout: jwksTimeout })
    }
  })

  return {
    decode: { complete: true },
    secret: async function getIssuerPublicKey (_request: FastifyRequest, tokenOrHeader: TokenOrHeader) {
      const header = 'header' in tokenOrHeader ? tokenOrHeader.header : tokenOrHeader
      // Checked here as well as in `verify`: fast-jwt's own typ failure has no status (a 500),
      // and a header we would refuse anyway should not cost a JWKS fetch.
      if (typeof header.typ !== 'string' || header.typ.toLowerCase().replace(/^application\//, '') !== 'at+jwt') {
        throw new InvalidTokenError('the typ header must be at+jwt (RFC 9068)')
      }
      if (header.alg !== 'RS256') {
        throw new InvalidTokenError('the alg header must be RS256')
      }
      if (typeof header.kid !== 'string') {
        throw new InvalidTokenError('the kid header is missing')
      }
      try {
        return await getJwks.getPublicKey({ domain: source.domain, kid: header.kid, alg: header.alg })
      } catch (err) {
        // A kid the issuer does not publish is the token's fault (401); a JWKS that cannot be
        // fetched is not, and stays a 500. get-jwks does not cache misses: every unknown kid
        // fetches the JWKS again.
        if ((err as { code?: string }).code === 'JWK_NOT_FOUND') {
          throw new InvalidTokenError('no key in the issuer\'s JWKS matches its kid and alg')
        }
        throw err
      }
    },
    verify: {
      algorithms: ['RS256'],
      allowedIss: issuer,
      allowedAud: audience,
      // fast-jwt skips allowedIss/allowedAud when the claim is absent: require them.
      requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
      // verify.checkTyp lower-cases the header and strips `application/`, so this accepts
      // at+jwt, at+JWT and application/at+jwt (decode.checkTyp would compare exactly).
      checkTyp: 'at+jwt'
    }
  }
}

interface JwksSource { domain: string, jwksPath?: string, providerDiscovery: boolean }

function splitJwksUri (jwksUri: string): JwksSource {
  const url = new URL(jwksUri)
  const domain = new URL('.', url).href
  return { domain, jwksPath: url.href.slice(domain.length), providerDiscovery: false }
}
