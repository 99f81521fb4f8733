// Runs the benchmark suite and writes bench/results/latest.{json,md} (smoke runs write
// bench/results/smoke.{json,md} so they never replace a full run's results).
//
//   node bench/run.js                      full run (about 10 minutes on 2 cores)
//   node bench/run.js --smoke              short form (about 30 s): 1 round, 1 s runs, no warm-up
//   node bench/run.js --only=http|inprocess|micro|scaling
//   node bench/run.js --rounds=N --duration=S [--warmup=S] [--connections=N]
//   node bench/run.js --only=http --scenarios=bare,plugin
//
// The suite reports numbers; it never judges them. It exits non-zero only when a scenario answers
// the wrong status (correctness) or something crashes.
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { environment } from './lib/env.js'

const PARTS = ['http', 'inprocess', 'micro', 'scaling']

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    scenarios: { type: 'string' }
  }
})

if (flags.only && !PARTS.includes(flags.only)) {
  console.error(`--only must be one of ${PARTS.join(', ')}`)
  process.exit(2)
}

const number = (value, fallback) => value === undefined ? fallback : Number(value)
const smoke = flags.smoke
const settings = {
  smoke,
  rounds: number(flags.rounds, smoke ? 1 : 4),
  duration: number(flags.duration, smoke ? 1 : 4),
  warmup: number(flags.warmup, smoke ? 0 : 2),
  connections: number(flags.connections, 50),
  scenarios: flags.scenarios?.split(',')
}

const env = environment(process.argv)
const started = Date.now()
const sections = []
const results = { environment: env, settings }

console.log(`# fastify-scopes benchmarks${smoke ? ' (smoke)' : ''}\n`)
console.log(`${env.date} · ${env.cpuModel} · nproc ${env.nproc} · Node ${env.node} · taskset ${env.taskset ? 'yes' : 'NO (unpinned)'}`)
console.log(`command: ${env.command}\n`)

const selected = flags.only ? [flags.only] : PARTS
for (const part of selected) {
  console.log(`## ${part}`)
  const t0 = Date.now()
  if (part === 'http') {
    const { runHttp } = await import('./http.js')
    const http = await runHttp(settings)
    results.http = http
    sections.push(section('HTTP side by side', http.notes, http.markdown, [
      `${settings.rounds} interleaved round(s); per run: fresh server, ${settings.warmup} s warm-up, ${settings.duration} s measured, ${settings.connections} connections.`,
      'req/s and p99 are medians over rounds; the × columns are ratios computed within each round, median over rounds; server CPU µs/req is (user + system CPU of the server over the measured window) / requests it served, the figure least disturbed by other load on the machine.'
    ]))
  } else if (part === 'inprocess') {
    const { runInprocess } = await import('./inprocess.js')
    const inprocess = await runInprocess(settings)
    results.inprocess = inprocess
    sections.push(section('In-process (app.inject)', inprocess.notes, inprocess.markdown))
  } else if (part === 'micro') {
    const { runMicro } = await import('./micro.js')
    const micro = await runMicro(settings)
    results.micro = micro
    sections.push(section('Micro (the plugin\'s own work, no signature verification)', micro.notes, micro.markdown))
  } else {
    const { runScaling } = await import('./scaling.js')
    const scaling = await runScaling(settings)
    results.scaling = scaling
    sections.push(section('Scaling (app.inject)', scaling.notes, scaling.markdown))
  }
  console.log(`  (${part} took ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`)
}

results.elapsedS = (Date.now() - started) / 1000
results.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)))
const header = [
  `# fastify-scopes benchmarks${smoke ? ' (smoke run: too short to compare numbers)' : ''}`,
  '',
  `- date: ${env.date}`,
  `- command: \`${env.command}\``,
  `- CPU: ${env.cpuModel}, nproc ${env.nproc}; ${env.platform}`,
  `- Node ${env.node}; pinning with taskset: ${env.taskset ? 'yes' : 'no (taskset not found)'}`,
  `- plugin: ${env.plugin}`,
  `- versions: ${Object.entries(env.versions).map(([name, version]) => `${name} ${version}`).join(', ')}`,
  `- load average (1/5/15 min) at start ${env.loadAverageAtStart.join(' / ')}, at end ${results.loadAverageAtEnd.join(' / ')} (above ~0.1 before the run, other processes shared the cores)`,
  `- elapsed: ${results.elapsedS.toFixed(0)} s`
].join('\n')
const markdown = [header, ...sections].join('\n\n') + '\n'

console.log(sections.join('\n\n'))
const base = new URL(`./results/${smoke ? 'smoke' : 'latest'}`, import.meta.url)
await mkdir(new URL('./results/', import.meta.url), { recursive: true })
await writeFile(`${base.pathname}.json`, JSON.stringify(results, null, 2) + '\n')
await writeFile(`${base.pathname}.md`, markdown)
console.log(`\nwrote ${base.pathname}.json and .md in ${results.elapsedS.toFixed(1)} s`)

function section (title, notes, body, extra = []) {
  return [`## ${title}`, '', ...[...notes, ...extra].map((n) => `- ${n}`), '', body].join('\n')
}
