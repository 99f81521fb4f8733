import { connect } from 'node:net'
import type { FastifyInstance } from 'fastify'
import type { Answer } from './invariants.js'

/**
 * Sends a hand-written HTTP/1.1 request over a real loopback socket, for what `inject()` cannot
 * express: repeated header lines, Node's own header limits and whitespace trimming.
 */
export async function rawRequest (port: number, method: string, path: string, headerLines: readonly string[]): Promise<Answer> {
  const text = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines, '', ''].join('\r\n')
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => { socket.end(text) })
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(Buffer.concat(chunks)))
  })
  return parseResponse(raw.toString('latin1'), method)
}

/** Parses a `Connection: close` HTTP/1.1 response; repeated header lines become arrays. */
export function parseResponse (text: string, method: string): Answer {
  const end = text.indexOf('\r\n\r\n')
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n') as [string, ...string[]]
  const headers: Record<string, string | string[]> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).toLowerCase()
    const value = line.slice(colon + 1).trim()
    const known = headers[name]
    headers[name] = known === undefined ? value : [...(Array.isArray(known) ? known : [known]), value]
  }
  return { statusCode: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4), method }
}

/** Listens on an ephemeral loopback port and returns it. */
export async function listenLoopback (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return address.port
}
