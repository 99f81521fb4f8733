import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ClientMetadata, Configuration, default as ProviderType, JWK } from 'oidc-provider'

type OidcProviderModule = typeof import('oidc-provider')

/** Options of {@link startAuthorizationServer}. */
export interface AuthorizationServerOptions {
  /** Address to listen on. Default `'127.0.0.1'`. */
  host?: string
  /** Port to listen on. Default `0` (an ephemeral port). */
  port?: number
  /** The `iss` of issued tokens. Default: the bound address, e.g. `http://127.0.0.1:PORT`. */
  issuer?: string
  /** The resource indicator and `aud` of issued access tokens, e.g. `'http://127.0.0.1:3000'`. */
  audience: string
  /** Every scope the server may issue (the API's registry names). */
  scopes: readonly string[]
  /** Pre-registered clients and the scopes each may be granted. */
  clients: ReadonlyArray<{ clientId: string, clientSecret: string, scopes: readonly string[] }>
  /** Access token lifetime in seconds. Default `600`. */
  accessTokenTtl?: number
  /** Browser origins (Swagger UI) allowed to call the token endpoint. Default: none. */
  corsOrigins?: readonly string[]
}

/** A running authorization server. */
export interface AuthorizationServer {
  issuer: string
  tokenEndpoint: string
  jwksUri: string
  /** Adds a new key to the JWKS and signs with it from now on; older keys stay published. */
  rotateSigningKey(): Promise<void>
  /** Publishes only a brand-new key: tokens signed before no longer verify against the JWKS. */
  replaceKeys(): Promise<void>
  close(): Promise<void>
}

const ALG = 'RS256'

let providerModule: Promise<OidcProviderModule> | undefined

/**
 * Runs `fn` with two oidc-provider warnings hidden: "Unsupported runtime" (printed at import
 * on Node 20; it asks for Node 22, but everything used here works on 20) and the in-memory
 * adapter warning (nothing here needs to outlive the process).
 */
async function withoutKnownWarnings<T> (fn: () => T | Promise<T>): Promise<T> {
  const warn = console.warn
  console.warn = function filterKnownWarnings (...args: unknown[]) {
    const message = args[0]
    if (typeof message === 'string' && (message.includes('Unsupported runtime') || message.includes('in-memory adapter'))) return
    warn.apply(console, args)
  }
  try {
    return await fn()
  } finally {
    console.warn = warn
  }
}

function loadOidcProvider (): Promise<OidcProviderModule> {
  providerModule ??= withoutKnownWarnings(() => import('oidc-provider'))
  return providerModule
}

/** RFC 7638 JWK thumbprint, used as the `kid`. */
function thumbprint (jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })
  return createHash('sha256').update(canonical).digest('base64url')
}

function generateSigningKey (): JWK {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const jwk = privateKey.export({ format: 'jwk' })
  return { ...jwk, kid: thumbprint(jwk), alg: ALG, use: 'sig' } as JWK
}

/**
 * Starts an OAuth 2.0 authorization server (oidc-provider) that issues RFC 9068 JWT access
 * tokens through the client_credentials grant, for the example API and end-to-end tests.
 *
 * oidc-provider fixes its keystore at construction, so a key change builds a new provider
 * with the new key set and swaps it in behind the same HTTP server: the issuer, token
 * endpoint and JWKS URL stay the same.
 *
 * @example
 * ```ts
 * const as = await startAuthorizationServer({
 *   audience: 'http://127.0.0.1:3000',
 *   scopes: ['read:chat', 'write:chat'],
 *   clients: [{ clientId: 'reader', clientSecret: 's3cret', scopes: ['read:chat'] }]
 * })
 * const token = await fetchToken(as, 'reader', 's3cret', ['read:chat'])
 * await as.close()
 * ```
 */
export async function startAuthorizationServer (opts: AuthorizationServerOptions): Promise<AuthorizationServer> {
  const { default: Provider, errors } = await loadOidcProvider()
  const host = opts.host ?? '127.0.0.1'
  const accessTokenTTL = opts.accessTokenTtl ?? 600
  const scope = opts.scopes.join(' ')
  const corsOrigins = new Set(opts.corsOrigins ?? [])

  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined
  const server = createServer(function delegateToProvider (req, res) {
    if (handler === undefined) {
      res.statusCode = 503
      res.end()
      return
    }
    handler(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  const issuer = opts.issuer ?? base

  const clients: ClientMetadata[] = opts.clients.map((client) => ({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    // client_secret_post is accepted too: oidc-provider treats the two secret methods alike.
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope: client.scopes.join(' ')
  }))

  function buildProvider (keys: JWK[], signingKid: string): Promise<ProviderType> {
    const configuration: Configuration = {
      clients,
      jwks: { keys },
      // The client's `scope` allow-list is only enforced for scopes listed here; requested
      // scopes unknown to the provider are dropped silently rather than refused.
      scopes: [...opts.scopes],
      ttl: { ClientCredentials: accessTokenTTL },
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        introspection: { enabled: false },
        revocation: { enabled: false },
        resourceIndicators: {
          enabled: true,
          // Swagger UI and most clients send no `resource` parameter.
          defaultResource: () => opts.audience,
          useGrantedResource: () => true,
          getResourceServerInfo (_ctx, resourceIndicator) {
            if (resourceIndicator !== opts.audience) {
              throw new errors.InvalidTarget()
            }
            return {
              scope,
              audience: opts.audience,
              accessTokenFormat: 'jwt',
              accessTokenTTL,
              jwt: { sign: { alg: ALG, kid: signingKid } }
            }
          }
        }
      },
      clientBasedCORS: (_ctx, origin) => corsOrigins.has(origin)
    }
    return withoutKnownWarnings(() => new Provider(issuer, configuration))
  }

  let keys: JWK[] = []
  async function install (nextKeys: JWK[]): Promise<void> {
    const signing = nextKeys[0] as JWK & { kid: string }
    const provider = await buildProvider(nextKeys, signing.kid)
    keys = nextKeys
    handler = provider.callback()
  }
  await install([generateSigningKey()])

  return {
    issuer,
    tokenEndpoint: `${base}/token`,
    jwksUri: `${base}/jwks`,
    async rotateSigningKey () {
      await install([generateSigningKey(), ...keys])
    },
    async replaceKeys () {
      await install([generateSigningKey()])
    },
    close () {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      })
    }
  }
}
