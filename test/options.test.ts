import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { test } from 'tap'
import fastifyScopes, { defineScopes, errors } from '../src/index.js'
import { validateOptions } from '../src/options.js'
import { SECRET, seedRegistry } from './helpers.js'

async function register (options: unknown): Promise<void> {
  const app = Fastify()
  try {
    await app.register(fastifyJwt, { secret: SECRET })
    await app.register(fastifyScopes, options as never)
  } finally {
    await app.close()
  }
}

const rejected: Array<[string, unknown, RegExp]> = [
  ['an unknown option (a typo)', { registry: seedRegistry, stict: true }, /stict: Unexpected property/],
  ['a mistyped maxTokenLength', { registry: seedRegistry, maxTokenLength: '16k' }, /maxTokenLength: Expected integer/],
  ['a maxTokenLength of zero', { registry: seedRegistry, maxTokenLength: 0 }, /maxTokenLength/],
  ['an unknown challengeScopes', { registry: seedRegistry, challengeScopes: 'all' }, /challengeScopes/],
  ['a realm with a line break', { registry: seedRegistry, realm: 'api\r\nX-Evil: 1' }, /realm/],
  ['an empty scopeClaim list', { registry: seedRegistry, scopeClaim: [] }, /scopeClaim/],
  ['a getScopes that is not a function', { registry: seedRegistry, getScopes: 'scope' }, /getScopes/],
  ['an unknown message key', { registry: seedRegistry, messages: { forbidden: 'No' } }, /messages.forbidden/],
  ['a strictExempt entry that is not a path', { registry: seedRegistry, strictExempt: ['docs'] }, /strictExempt.0/],
  ['a missing registry', {}, /registry/],
  ['a registry not built by defineScopes', { registry: { names: ['read:chat'], has: () => true } }, /registry: expected the registry returned by defineScopes\(\)/]
]
for (const [what, options, message] of rejected) {
  test(`fails registration on ${what} with FST_SCOPES_INVALID_OPTIONS`, async (t) => {
    const error = await register(options).then(() => undefined, (failure: unknown) => failure) as Error & { code?: string }
    t.ok(error instanceof errors.FST_SCOPES_INVALID_OPTIONS, String(error))
    t.equal(error.code, 'FST_SCOPES_INVALID_OPTIONS')
    t.match(error.message, message)
  })
}

test('accepts every documented option', async (t) => {
  await t.resolves(register({
    registry: defineScopes({ Chat: { 'read:chat': 'Read' } }),
    scopeClaim: 'permissions',
    getScopes: () => 'read:chat',
    maxTokenLength: 4096,
    challengeScopes: 'missing',
    realm: 'chat "api"',
    messages: { unauthorized: 'Who are you?', insufficientScope: 'Not allowed', invalidRequest: 'Malformed' },
    strict: false,
    strictExempt: ['/docs']
  }))
})

test('fails boot with Fastify\'s dependency error when @fastify/jwt is not registered first', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  app.register(fastifyScopes, { registry: seedRegistry })
  await t.rejects(async () => app.ready(), { code: 'FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED', message: /'@fastify\/jwt' of plugin 'fastify-scopes'/ })
})

test('names the options themselves when they are not an object, and at most five problems', async (t) => {
  t.throws(() => validateOptions('registry'), { code: 'FST_SCOPES_INVALID_OPTIONS', message: /^Invalid fastify-scopes options: options: Expected object/ })
  const error = t.throws(() => validateOptions({ registry: seedRegistry, a: 1, b: 1, c: 1, d: 1, e: 1, f: 1 })) as Error
  t.equal(error.message.match(/Unexpected property/g)?.length, 5)
})
