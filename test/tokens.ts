import { createHmac, createSign, generateKeyPairSync } from 'node:crypto'

/**
 * Hand-made JWS compact tokens for adversarial tests: any header, any payload (an object, or raw
 * JSON text when the JSON itself is the point), signed with node:crypto or not at all.
 */

/** base64url of a string (as UTF-8), a Buffer, or a value's JSON. */
export function b64url (value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('base64url')
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
}

/** `header.payload` with each part base64url-encoded (a string part is taken as raw JSON text). */
export function signingInput (header: unknown, payload: unknown): string {
  return `${b64url(header)}.${b64url(payload)}`
}

/** An HS256 token over any header and payload. */
export function signHs256 (header: unknown, payload: unknown, secret: string | Buffer): string {
  const input = signingInput(header, payload)
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/** An RS256 token over any header and payload. */
export function signRs256 (header: unknown, payload: unknown, privateKey: string): string {
  const input = signingInput(header, payload)
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url')}`
}

/** A token whose third segment is `signature` verbatim (empty for unsigned tokens). */
export function unsigned (header: unknown, payload: unknown, signature = ''): string {
  return `${signingInput(header, payload)}.${signature}`
}

export interface RsaKeys {
  readonly publicKey: string
  readonly privateKey: string
}

let keys: RsaKeys | undefined

/** One RSA key pair per test process (generating one costs ~50 ms). */
export function rsaKeys (): RsaKeys {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }
  })
  return keys
}

/** Seconds since the epoch, as JWT NumericDate. */
export function nowSeconds (): number {
  return Math.floor(Date.now() / 1000)
}
