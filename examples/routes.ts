import type { FastifyInstance } from 'fastify'

interface Chat { id: number, title: string, messages: string[] }

/**
 * The seed's resources, each route declaring the scopes it needs in `config.scopes`. The data is
 * in memory: the point is the checks, not the storage.
 */
export async function resourceRoutes (app: FastifyInstance): Promise<void> {
  const chats: Chat[] = [{ id: 1, title: 'Welcome', messages: ['Hello!'] }]
  const posts = [{ id: 1, text: 'First post', likes: 3 }]
  const trackingLinks = [{ id: 1, url: 'https://example.com/?ref=spring', clicks: 42 }]

  app.get('/self', { config: { scopes: ['read:self'] } }, async (request) => ({
    id: 'dev-user', scopes: [...request.scopes]
  }))

  app.get('/chats', { config: { scopes: ['read:chat'] } }, async () => chats)
  app.post<{ Body: { title: string } }>('/chats', {
    config: { scopes: ['write:chat'] },
    schema: { body: { type: 'object', properties: { title: { type: 'string', minLength: 1 } }, required: ['title'] } }
  }, async (request, reply) => {
    const chat = { id: chats.length + 1, title: request.body.title, messages: [] }
    chats.push(chat)
    return reply.code(201).send(chat)
  })
  app.get<{ Params: { id: number } }>('/chats/:id/messages', {
    config: { scopes: ['read:chat'] },
    schema: { params: { type: 'object', properties: { id: { type: 'integer' } } } }
  }, async (request, reply) => {
    const chat = chats.find((candidate) => candidate.id === request.params.id)
    return chat === undefined ? reply.code(404).send({ error: 'Not Found' }) : chat.messages
  })

  app.get('/fans', { config: { scopes: ['read:fan'] } }, async () => [{ id: 7, name: 'A fan' }])

  app.get('/creators/me', { config: { scopes: ['read:creator'] } }, async () => ({ id: 'dev-user', bio: 'Creator' }))
  app.patch('/creators/me', { config: { scopes: ['write:creator'] } }, async () => ({ updated: true }))

  app.get('/media', { config: { scopes: ['read:media'] } }, async () => [{ id: 1, kind: 'image' }])
  app.post('/media', { config: { scopes: ['write:media'] } }, async (_request, reply) => reply.code(201).send({ id: 2 }))
  app.post('/vault/folders', { config: { scopes: ['write:media'] } }, async (_request, reply) => reply.code(201).send({ id: 1 }))

  app.get('/posts', { config: { scopes: ['read:post'] } }, async () => posts)
  app.post('/posts', { config: { scopes: ['write:post'] } }, async (_request, reply) => reply.code(201).send({ id: posts.length + 1 }))

  app.get('/insights', { config: { scopes: ['read:insights'] } }, async () => ({ views: 1200, earnings: 340 }))
  // A creator dashboard readable with insights access, or with both creator and fan access.
  app.get('/insights/dashboard', {
    config: { scopes: { anyOf: ['read:insights', ['read:creator', 'read:fan']] } }
  }, async () => ({ fans: 1, posts: posts.length }))

  app.get('/tracking-links', { config: { scopes: ['read:tracking_links'] } }, async () => trackingLinks)
  app.post('/tracking-links', { config: { scopes: ['write:tracking_links'] } }, async (_request, reply) => reply.code(201).send({ id: 2 }))
  app.delete('/tracking-links/:id', { config: { scopes: ['write:tracking_links'] } }, async (_request, reply) => reply.code(204).send())

  app.get('/agency', { config: { scopes: ['read:agency'] } }, async () => ({ name: 'Agency', members: 3 }))
  app.post('/agency/invites', { config: { scopes: ['write:agency'] } }, async (_request, reply) => reply.code(201).send({ invited: true }))
}
