// In-process apps for bench/inprocess.js and bench/scaling.js, measured with app.inject().
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { pathToFileURL } from 'node:url'
import { PLUGIN_DIST } from './env.js'
import { fastifyJwtOptions, requireReadChat, verifyJwtHook } from '../servers/common.js'
import { median } from './stats.js'

const BODY = { ok: true }
async function handler () { return BODY }

let pluginModule
/** fastify-scopes from dist/ (import only once the caller has checked that it exists). */
export async function loadPlugin () {
  pluginModule ??= await import(pathToFileURL(PLUGIN_DIST).href)
  return pluginModule
}

export async function buildBareApp (paths = ['/chats']) {
  const app = Fastify()
  for (const path of paths) app.get(path, handler)
  await app.ready()
  return app
}

export async function buildJwtOnlyApp (paths = ['/chats']) {
  const app = Fastify()
  await app.register(fastifyJwt, fastifyJwtOptions())
  app.addHook('onRequest', verifyJwtHook)
  for (const path of paths) app.get(path, handler)
  await app.ready()
  return app
}

export async function buildHandWrittenApp () {
  const app = Fastify()
  await app.register(fastifyJwt, fastifyJwtOptions())
  app.addHook('onRequest', verifyJwtHook)
  app.get('/chats', { onRequest: requireReadChat }, handler)
  await app.ready()
  return app
}

/** fastify-scopes with `definitions` and `routes` ([{ path, scopes }], scopes undefined = public). */
export async function buildPluginApp ({ definitions, routes, maxTokenLength = 65536 }) {
  const { default: fastifyScopes, defineScopes } = await loadPlugin()
  const app = Fastify()
  await app.register(fastifyJwt, fastifyJwtOptions())
  await app.register(fastifyScopes, { registry: defineScopes(definitions), maxTokenLength })
  for (const { path, scopes } of routes) {
    if (scopes === undefined) app.get(path, handler)
    else app.get(path, { config: { scopes } }, handler)
  }
  await app.ready()
  return app
}

export const SMALL_DEFINITIONS = {
  User: { 'read:self': 'Read your own profile' },
  Chat: { 'read:chat': 'Read chats', 'write:chat': 'Write chats' },
  Fan: { 'read:fan': 'Read fans', 'write:fan': 'Write fans' },
  Admin: { 'admin:all': 'Administer everything' }
}

export function bearer (token) {
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** Fails loudly unless the variant answers its expected status. */
export async function checkVariant ({ name, app, url, headers, expect = 200 }) {
  const res = await app.inject({ method: 'GET', url, headers })
  if (res.statusCode !== expect) {
    throw new Error(`CORRECTNESS FAILURE in "${name}": GET ${url} answered ${res.statusCode} (${res.body.slice(0, 200)}), expected ${expect}`)
  }
}

const yieldToLoop = () => new Promise(setImmediate)

/**
 * Wall-clock and process CPU µs per request over `n` sequential injects, yielding to the event
 * loop every 32 calls. CPU time is the steadier figure when other processes share the cores.
 */
export async function injectCost ({ app, url, headers }, n) {
  const request = { method: 'GET', url, headers }
  const cpuStart = process.cpuUsage()
  const start = process.hrtime.bigint()
  for (let i = 1; i <= n; i++) {
    await app.inject(request)
    if ((i & 31) === 0) await yieldToLoop()
  }
  const wall = Number(process.hrtime.bigint() - start) / 1000 / n
  const cpu = process.cpuUsage(cpuStart)
  return { wall, cpu: (cpu.user + cpu.system) / n }
}

/**
 * Interleaved rounds (A B C ... A B C ...) after one warm-up pass per variant; returns for each
 * variant the { wall, cpu } µs/request of every round.
 */
export async function interleave (variants, { rounds, perRound }) {
  for (const variant of variants) await checkVariant(variant)
  for (const variant of variants) await injectCost(variant, Math.min(perRound, 2000))
  const costs = new Map(variants.map((v) => [v.name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const variant of variants) costs.get(variant.name).push(await injectCost(variant, perRound))
  }
  return costs
}

/** Median over rounds of the `key` ('wall' or 'cpu') cost. */
export function medianCost (costs, name, key) {
  return median(costs.get(name).map((c) => c[key]))
}

/** Median over rounds of (a − b) for `key`, both measured in the same round. */
export function medianDifference (costs, a, b, key) {
  const y = costs.get(b)
  return median(costs.get(a).map((c, i) => c[key] - y[i][key]))
}

/** Median over rounds of a / b for `key`, both measured in the same round. */
export function medianRatio (costs, a, b, key) {
  const y = costs.get(b)
  return median(costs.get(a).map((c, i) => c[key] / y[i][key]))
}
