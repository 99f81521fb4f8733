/**
 * Obtains an access token with the client_credentials grant, authenticating the client with
 * HTTP Basic (client_secret_basic, RFC 6749 §2.3.1).
 *
 * @example
 * ```ts
 * const token = await fetchToken(as, 'reader', 's3cret', ['read:chat'])
 * await fetch(url, { headers: { authorization: `Bearer ${token}` } })
 * ```
 */
export async function fetchToken (
  server: { tokenEndpoint: string },
  clientId: string,
  clientSecret: string,
  scopes: readonly string[]
): Promise<string> {
  // RFC 6749 §2.3.1: each part is form-urlencoded before being joined and base64-encoded.
  const credentials = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')
  const response = await fetch(server.tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${credentials}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json'
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') })
  })
  const body = await response.json() as { access_token?: string, error?: string, error_description?: string }
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(`token request failed (${response.status}): ${body.error ?? 'no access_token'}${body.error_description ? `: ${body.error_description}` : ''}`)
  }
  return body.access_token
}
