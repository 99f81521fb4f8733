// HTTP side by side: each scenario's server in its own process pinned to core 0, autocannon in
// another process pinned to core 1, interleaved rounds, a fresh server and a warm-up per run.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { hasTaskset, pluginAvailable, PLUGIN_MISSING_MESSAGE } from './lib/env.js'
import { fmt, median, pct, relStdev, table } from './lib/stats.js'
import { LACKING_SCOPES, makeRsaMaterial, manyScopeNames, mintHs256, STANDARD_SCOPES } from './lib/tokens.js'

const BIG_HEADER_FLAG = '--max-http-header-size=65536'
const CANNON = fileURLToPath(new URL('./lib/cannon.js', import.meta.url))
const serverFile = (name) => fileURLToPath(new URL(`./servers/${name}`, import.meta.url))

/** Measured under load in a smoke run; the others are only checked for correctness there. */
const SMOKE_LOADED = ['bare', 'hand-written', 'plugin', 'express', 'hapi']

/**
 * Every scenario: its server file, the path requested, the token sent and the status expected.
 * `plugin-public`, `plugin-403` and `plugin-anyOf` share `plugin.js` and differ by path or token.
 */
export const SCENARIOS = [
  { name: 'bare', server: 'bare.js', token: 'standard', expect: 200, open: true },
  { name: 'jwt-only', server: 'jwt-only.js', token: 'standard', expect: 200 },
  { name: 'hand-written', server: 'hand-written.js', token: 'standard', expect: 200 },
  { name: 'plugin', server: 'plugin.js', token: 'standard', expect: 200, plugin: true },
  { name: 'plugin-public', server: 'plugin.js', path: '/public', token: null, expect: 200, open: true, plugin: true },
  { name: 'plugin-403', server: 'plugin.js', token: 'lacking', expect: 403, plugin: true },
  { name: 'plugin-anyOf', server: 'plugin.js', path: '/any', token: 'standard', expect: 200, plugin: true },
  { name: 'plugin-big', server: 'plugin-big.js', token: 'big', expect: 200, bigHeaders: true, plugin: true },
  { name: 'plugin-rs256', server: 'plugin-rs256.js', token: 'rs256', expect: 200, plugin: true },
  { name: 'fastify-guard', server: 'fastify-guard.js', token: 'standard', expect: 200 },
  { name: 'express', server: 'express.js', token: 'standard', expect: 200 },
  { name: 'hapi', server: 'hapi.js', token: 'standard', expect: 200 }
]

function makeTokens (needRsa) {
  const tokens = {
    standard: mintHs256(STANDARD_SCOPES),
    lacking: mintHs256(LACKING_SCOPES),
    big: mintHs256(['read:chat', ...manyScopeNames(1000)].join(' '))
  }
  const env = {}
  if (needRsa) {
    const rsa = makeRsaMaterial()
    tokens.rs256 = rsa.mintRs256(STANDARD_SCOPES)
    env.BENCH_RSA_PRIVATE_KEY = rsa.privateKey
    env.BENCH_RSA_PUBLIC_KEY = rsa.publicKey
  }
  return { tokens, env }
}

function pinned (core, nodeArgs) {
  return hasTaskset()
    ? { command: 'taskset', args: ['-c', String(core), process.execPath, ...nodeArgs] }
    : { command: process.execPath, args: nodeArgs }
}

function waitForMessage (child, type, timeoutMs, stderr) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`timed out waiting for "${type}"`)), timeoutMs)
    const onMessage = (message) => { if (message.type === type) { cleanup(); resolve(message) } }
    const onExit = (code, signal) => fail(new Error(`server exited (code ${code}, signal ${signal})`))
    function fail (error) {
      cleanup()
      error.message += stderr.text ? `\n--- server stderr ---\n${stderr.text}` : ''
      reject(error)
    }
    function cleanup () {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

async function startServer (scenario, env) {
  const nodeArgs = [...(scenario.bigHeaders ? [BIG_HEADER_FLAG] : []), serverFile(scenario.server)]
  const { command, args } = pinned(0, nodeArgs)
  const child = spawn(command, args, {
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: { ...process.env, ...env, NODE_ENV: 'production' }
  })
  const stderr = { text: '' }
  child.stderr.on('data', (chunk) => { stderr.text = (stderr.text + chunk).slice(-4000) })
  const { port } = await waitForMessage(child, 'ready', 20_000, stderr)
  return {
    port,
    async cpuWindow (measure) {
      child.send({ type: 'cpu-start' })
      await waitForMessage(child, 'cpu-started', 5000, stderr)
      const load = await measure()
      child.send({ type: 'cpu-stop' })
      const cpu = await waitForMessage(child, 'cpu', 5000, stderr)
      return { load, cpu }
    },
    async stop () {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    }
  }
}

async function runCannon ({ url, headers, duration, connections, bigHeaders }) {
  const nodeArgs = [...(bigHeaders ? [BIG_HEADER_FLAG] : []), CANNON,
    JSON.stringify({ url, headers, duration, connections })]
  const { command, args } = pinned(1, nodeArgs)
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (chunk) => { out += chunk })
  const [code] = await once(child, 'exit')
  if (code !== 0) throw new Error(`autocannon process exited with code ${code}`)
  return JSON.parse(out)
}

function headersFor (scenario, tokens) {
  return scenario.token ? { authorization: `Bearer ${tokens[scenario.token]}` } : {}
}

/** One request with the scenario's token (expected status) and, when protected, one without (401). */
async function checkCorrectness (scenario, url, headers) {
  const res = await fetch(url, { headers })
  await res.arrayBuffer()
  if (res.status !== scenario.expect) {
    throw new Error(`CORRECTNESS FAILURE in scenario "${scenario.name}": GET ${url} answered ${res.status}, expected ${scenario.expect}`)
  }
  if (!scenario.open) {
    const anonymous = await fetch(url)
    await anonymous.arrayBuffer()
    if (anonymous.status !== 401) {
      throw new Error(`CORRECTNESS FAILURE in scenario "${scenario.name}": GET ${url} without a token answered ${anonymous.status}, expected 401`)
    }
  }
}

function checkLoadStatuses (scenario, load) {
  const expectedClass = `${String(scenario.expect)[0]}xx`
  const unexpected = Object.entries(load.statuses).filter(([cls, n]) => cls !== expectedClass && n > 0)
  if (unexpected.length > 0 || load.errors > 0 || load.statuses[expectedClass] === 0) {
    throw new Error(`CORRECTNESS FAILURE under load in scenario "${scenario.name}": statuses ${JSON.stringify(load.statuses)}, errors ${load.errors}`)
  }
}

async function checkOnce (scenario, tokens, env) {
  const server = await startServer(scenario, env)
  try {
    await checkCorrectness(scenario, `http://127.0.0.1:${server.port}${scenario.path ?? '/chats'}`, headersFor(scenario, tokens))
  } finally {
    await server.stop()
  }
}

async function runOne (scenario, tokens, env, settings) {
  const server = await startServer(scenario, env)
  try {
    const url = `http://127.0.0.1:${server.port}${scenario.path ?? '/chats'}`
    const headers = headersFor(scenario, tokens)
    await checkCorrectness(scenario, url, headers)
    const cannonOptions = { url, headers, connections: settings.connections, bigHeaders: scenario.bigHeaders }
    if (settings.warmup > 0) await runCannon({ ...cannonOptions, duration: settings.warmup })
    const { load, cpu } = await server.cpuWindow(() => runCannon({ ...cannonOptions, duration: settings.duration }))
    checkLoadStatuses(scenario, load)
    return {
      ...load,
      cpuUsPerRequest: (cpu.userUs + cpu.systemUs) / cpu.requests,
      served: cpu.requests,
      loadAverage1m: Number(os.loadavg()[0].toFixed(2))
    }
  } finally {
    await server.stop()
  }
}

/**
 * Median over rounds of `key`'s ratio to the reference scenario, computed within each round
 * (undefined when the reference was not run).
 */
function medianRatio (runsByScenario, name, reference, key = 'rps') {
  const mine = runsByScenario.get(name)
  const ref = runsByScenario.get(reference)
  if (!mine || !ref) return undefined
  return median(mine.map((run, i) => run[key] / ref[i][key]))
}

export async function runHttp (settings) {
  const notes = []
  if (!hasTaskset()) notes.push('taskset not found: processes were NOT pinned to cores (install util-linux)')
  else notes.push('server pinned to core 0 (`taskset -c 0`), autocannon pinned to core 1')
  let scenarios = SCENARIOS.filter((s) => !settings.scenarios || settings.scenarios.includes(s.name))
  if (!pluginAvailable()) {
    notes.push(PLUGIN_MISSING_MESSAGE)
    console.log(`  ${PLUGIN_MISSING_MESSAGE}`)
    scenarios = scenarios.filter((s) => !s.plugin)
  }
  const { tokens, env } = makeTokens(scenarios.some((s) => s.token === 'rs256'))
  if (settings.smoke && !settings.scenarios) {
    const checkOnly = scenarios.filter((s) => !SMOKE_LOADED.includes(s.name))
    for (const scenario of checkOnly) {
      await checkOnce(scenario, tokens, env)
      console.log(`  smoke: ${scenario.name} answers ${scenario.expect} (correctness only, not measured)`)
    }
    notes.push(`smoke run: ${checkOnly.map((s) => s.name).join(', ')} were only checked for correctness, not measured`)
    scenarios = scenarios.filter((s) => SMOKE_LOADED.includes(s.name))
  }
  const runs = new Map(scenarios.map((s) => [s.name, []]))
  for (let round = 1; round <= settings.rounds; round++) {
    for (const scenario of scenarios) {
      const run = await runOne(scenario, tokens, env, settings)
      runs.get(scenario.name).push(run)
      console.log(`  round ${round}/${settings.rounds} ${scenario.name.padEnd(14)} ${fmt(run.rps, 0).padStart(8)} req/s  p99 ${run.latencyP99} ms  ${fmt(run.cpuUsPerRequest, 1)} CPU µs/req`)
    }
  }
  const rows = scenarios.map((scenario) => {
    const list = runs.get(scenario.name)
    const rps = list.map((r) => r.rps)
    return {
      scenario: scenario.name,
      expect: scenario.expect,
      rps: median(rps),
      p99Ms: median(list.map((r) => r.latencyP99)),
      rpsMin: Math.min(...rps),
      rpsMax: Math.max(...rps),
      rpsRelStdev: relStdev(rps),
      ratioToBare: medianRatio(runs, scenario.name, 'bare'),
      ratioToHandWritten: medianRatio(runs, scenario.name, 'hand-written'),
      cpuUsPerRequest: median(list.map((r) => r.cpuUsPerRequest)),
      cpuRatioToHandWritten: medianRatio(runs, scenario.name, 'hand-written', 'cpuUsPerRequest'),
      runs: list
    }
  })
  const markdown = table(
    ['scenario', 'status', 'req/s (median)', 'p99 ms', 'req/s min–max', 'rel. stdev', 'req/s × bare', 'req/s × hand-written', 'server CPU µs/req', 'CPU/req × hand-written'],
    rows.map((r) => [r.scenario, r.expect, fmt(r.rps, 0), fmt(r.p99Ms, 0), `${fmt(r.rpsMin, 0)}–${fmt(r.rpsMax, 0)}`,
      pct(r.rpsRelStdev), fmt(r.ratioToBare, 3), fmt(r.ratioToHandWritten, 3), fmt(r.cpuUsPerRequest, 1), fmt(r.cpuRatioToHandWritten, 3)])
  )
  return { settings, notes, rows, markdown }
}
