import { test } from 'tap'
import { bearerChallenge } from '../src/index.js'

test('writes the parameters in order, quoting each value', async (t) => {
  t.equal(bearerChallenge({ realm: 'api', error: 'insufficient_scope', scope: 'a b', resourceMetadata: 'https://api.example/.well-known/oauth-protected-resource' }),
    'Bearer realm="api", error="insufficient_scope", scope="a b", resource_metadata="https://api.example/.well-known/oauth-protected-resource"')
})

test('escapes quotes and backslashes in realm and resource_metadata', async (t) => {
  t.equal(bearerChallenge({ realm: 'a"b\\c', resourceMetadata: 'x"y' }), 'Bearer realm="a\\"b\\\\c", resource_metadata="x\\"y"')
})

test('is a bare Bearer without parameters', async (t) => {
  t.equal(bearerChallenge({}), 'Bearer')
  t.equal(bearerChallenge({ error: 'invalid_token' }), 'Bearer error="invalid_token"')
})
