import autocannon from 'autocannon'
import { parseArgs } from 'node:util'
import { buildExampleApp } from '../../examples/app.js'
import { signHs256 } from '../tokens.js'

// npm run test:load [-- --short] [-- --amount=N]: starts the example API on a loopback port and
// drives GET /chats with autocannon, cycling six token classes, twice in one process. It counts
// each class's answers, fails on any wrong answer or 5xx, and reports the heap after each run
// (with --expose-gc, after a full collection), failing if the second run kept growing it.

const { values: flags } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    amount: { type: 'string' },
    connections: { type: 'string', default: '10' }
  }
})
const amount = Number(flags.amount ?? (flags.short ? 6_000 : 100_000))
const connections = Number(flags.connections)
// Heap growth allowed between the two runs: the JIT, inline caches and pools settle in the first.
const HEAP_SLACK_BYTES = 8 * 1024 * 1024

const SECRET = 'load-test-secret-that-is-long-enough-for-hs256'
const app = await buildExampleApp({ jwt: { secret: SECRET }, fastify: { logger: false } })
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address()
if (address === null || typeof address === 'string') throw new Error('no TCP address')
const url = `http://127.0.0.1:${address.port}`

const now = Math.floor(Date.now() / 1000)
const okBody = JSON.stringify(await (await fetch(`${url}/chats`, {
  headers: { authorization: `Bearer ${app.jwt.sign({ scope: 'read:chat' })}` }
})).json())

interface TokenClass {
  readonly name: string
  readonly authorization: string | undefined
  readonly status: number
  readonly body: string
  readonly challenge: string | undefined
}

const classes: TokenClass[] = [
  { name: 'valid, sufficient', authorization: `Bearer ${app.jwt.sign({ scope: 'read:self read:chat' })}`, status: 200, body: okBody, challenge: undefined },
  {
    name: 'valid, insufficient',
    authorization: `Bearer ${app.jwt.sign({ scope: 'read:self write:chat' })}`,
    status: 403,
    body: '{"error":"Insufficient scopes"}',
    challenge: 'Bearer realm="api", error="insufficient_scope", scope="read:chat"'
  },
  {
    name: 'expired',
    authorization: `Bearer ${signHs256({ alg: 'HS256', typ: 'JWT' }, { scope: 'read:chat', iat: now - 120, exp: now - 60 }, SECRET)}`,
    status: 401,
    body: '{"error":"Unauthorized"}',
    challenge: 'Bearer realm="api", error="invalid_token"'
  },
  {
    name: 'badly signed',
    authorization: `Bearer ${signHs256({ alg: 'HS256', typ: 'JWT' }, { scope: 'read:chat' }, 'another-secret-that-is-long-enough-for-hs256')}`,
    status: 401,
    body: '{"error":"Unauthorized"}',
    challenge: 'Bearer realm="api", error="invalid_token"'
  },
  { name: 'garbage', authorization: 'Bearer not.a.jwt', status: 401, body: '{"error":"Unauthorized"}', challenge: 'Bearer realm="api", error="invalid_token"' },
  { name: 'none', authorization: undefined, status: 401, body: '{"error":"Unauthorized"}', challenge: 'Bearer realm="api"' }
]

interface Tally { answers: number, wrong: number, server: number, firstWrong?: string }

async function drive (): Promise<{ tallies: Tally[], requests: number, seconds: number, rps: number }> {
  const tallies: Tally[] = classes.map(() => ({ answers: 0, wrong: 0, server: 0 }))
  const started = process.hrtime.bigint()
  const result = await autocannon({
    url,
    connections,
    amount,
    requests: classes.map((tokenClass, at) => ({
      method: 'GET' as const,
      path: '/chats',
      headers: tokenClass.authorization === undefined ? {} : { authorization: tokenClass.authorization },
      onResponse (status: number, body: string, _context: object, headers?: Record<string, string | string[] | undefined>) {
        const tally = tallies[at] as Tally
        tally.answers++
        if (status >= 500) tally.server++
        const challenge = headers?.['www-authenticate'] ?? headers?.['WWW-Authenticate']
        if (status !== tokenClass.status || body !== tokenClass.body || challenge !== tokenClass.challenge) {
          tally.wrong++
          tally.firstWrong ??= `${status} ${String(challenge)} ${body.slice(0, 120)}`
        }
      }
    }))
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return { tallies, requests: result.requests.total, seconds, rps: Math.round(result.requests.total / seconds) }
}

function heapAfterCollection (): number {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`
let failed = false
const heaps: number[] = []
console.log(`load: ${amount} requests per run, ${connections} connections, ${classes.length} token classes, node ${process.version}, gc ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'exposed' : 'NOT exposed'}`)
console.log(`heap before: ${mb(heapAfterCollection())}`)
for (const run of [1, 2]) {
  const { tallies, requests, seconds, rps } = await drive()
  const heap = heapAfterCollection()
  heaps.push(heap)
  console.log(`\nrun ${run}: ${requests} requests in ${seconds.toFixed(1)} s (${rps} req/s), heap after: ${mb(heap)}`)
  console.log('| class | expected | answers | wrong | 5xx |')
  console.log('| --- | --- | ---: | ---: | ---: |')
  classes.forEach((tokenClass, at) => {
    const tally = tallies[at] as Tally
    console.log(`| ${tokenClass.name} | ${tokenClass.status} | ${tally.answers} | ${tally.wrong} | ${tally.server} |`)
    if (tally.wrong > 0 || tally.server > 0) {
      failed = true
      console.log(`  first wrong answer: ${String(tally.firstWrong)}`)
    }
  })
  const answered = tallies.reduce((sum, tally) => sum + tally.answers, 0)
  if (answered !== amount) {
    failed = true
    console.log(`  ${answered} answers counted, ${amount} expected`)
  }
}
const [first, second] = heaps as [number, number]
const growth = second - first
console.log(`\nheap growth from run 1 to run 2: ${mb(growth)} (allowed ${mb(HEAP_SLACK_BYTES)})`)
if (growth > HEAP_SLACK_BYTES) failed = true
await app.close()
console.log(failed ? 'load: FAILED' : 'load: ok (0 wrong answers, 0 5xx)')
process.exitCode = failed ? 1 : 0
