import { test, type Test } from 'tap'
import { validateOptions } from '../src/options.js'
import { seedRegistry } from './helpers.js'

const invalid = (t: Test, options: Record<string, unknown>, message: RegExp): void => {
  t.throws(() => validateOptions({ registry: seedRegistry, ...options }), { code: 'FST_SCOPES_INVALID_OPTIONS', statusCode: 500, message })
}

test('the openapi option defaults to an oauth2 scheme named "oauth2", without flows, on the swagger decorator', async (t) => {
  t.same(validateOptions({ registry: seedRegistry }).openapi, { securityScheme: 'oauth2', flows: undefined, openIdConnectUrl: undefined, decorator: 'swagger' })
  t.equal(validateOptions({ registry: seedRegistry }).warnUnusedScopes, false)
})

test('openapi: false turns the integration off, and the given settings are kept', async (t) => {
  t.equal(validateOptions({ registry: seedRegistry, openapi: false }).openapi, false)
  const flows = { authorizationCode: { authorizationUrl: '/authorize', tokenUrl: '/token', refreshUrl: '/refresh' } }
  t.match(validateOptions({ registry: seedRegistry, openapi: { flows, securityScheme: 'api.auth', decorator: 'docs' }, warnUnusedScopes: true }), {
    openapi: { securityScheme: 'api.auth', flows, openIdConnectUrl: undefined, decorator: 'docs' },
    warnUnusedScopes: true
  })
})

test('flows and openIdConnectUrl together are refused', async (t) => {
  invalid(t, { openapi: { flows: { password: { tokenUrl: '/token' } }, openIdConnectUrl: '/.well-known/openid-configuration' } },
    /openapi: give either flows \(an oauth2 scheme\) or openIdConnectUrl \(an openIdConnect scheme\), not both/)
})

test('malformed openapi settings are refused, naming the option', async (t) => {
  invalid(t, { openapi: true }, /^Invalid fastify-scopes options: openapi: /)
  invalid(t, { openapi: { flows: { deviceCode: { tokenUrl: '/token' } } } }, /openapi/)
  invalid(t, { openapi: { flows: {} } }, /openapi/)
  invalid(t, { openapi: { flows: { clientCredentials: {} } } }, /openapi/)
  invalid(t, { openapi: { flows: { clientCredentials: { tokenUrl: '/token', scopes: {} } } } }, /openapi/)
  invalid(t, { openapi: { securityScheme: 'has space' } }, /openapi/)
  invalid(t, { openapi: { format: 'yaml' } }, /openapi/)
  invalid(t, { warnUnusedScopes: 'yes' }, /warnUnusedScopes: /)
})
