import { Type, type Static } from '@sinclair/typebox'

/**
 * The JSON body of every 400, 401 and 403 the plugin sends: `{"error":"<message>"}`, the message
 * being the `messages` option's.
 *
 * @example
 * ```ts
 * import { ScopesErrorBody } from 'fastify-scopes'
 * app.get('/me', { schema: { response: { 403: ScopesErrorBody } } }, handler)
 * ```
 */
export const ScopesErrorBody = Type.Object({
  error: Type.String({ description: 'What went wrong, as set by the `messages` option' })
}, { title: 'ScopesError' })

/** The type of the body `ScopesErrorBody` describes. */
export type ScopesError = Static<typeof ScopesErrorBody>

/**
 * The `ScopesErrorBody` schema as plain JSON, a new object each call: TypeBox's symbol keys
 * stripped, so a document built from it shares nothing between operations.
 */
export function errorBodyJsonSchema (): Record<string, unknown> {
  return JSON.parse(JSON.stringify(ScopesErrorBody)) as Record<string, unknown>
}
