// Load generator process: runs autocannon against one URL and prints a JSON summary on stdout.
// Started by bench/http.js (pinned to its own core) so the load never shares the server's core.
// Usage: node bench/lib/cannon.js '{"url":"http://127.0.0.1:PORT/chats","duration":5,...}'
import autocannon from 'autocannon'

const options = JSON.parse(process.argv[2])
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.duration,
  headers: options.headers,
  pipelining: 1
})
process.stdout.write(JSON.stringify({
  rps: result.requests.average,
  total: result.requests.total,
  durationS: result.duration,
  latencyP50: result.latency.p50,
  latencyP99: result.latency.p99,
  latencyMean: result.latency.mean,
  statuses: { '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
  errors: result.errors,
  timeouts: result.timeouts
}) + '\n')
