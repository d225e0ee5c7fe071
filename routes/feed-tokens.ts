import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { optionArgs } from './documents.js'
import { FeedTokenCreatedSchema, FeedTokenCreateSchema, FeedTokenListSchema } from '../contract/on-air.js'

// /api/feed-tokens (SPEC §17): an admin makes the tokens IPTV apps and tuners open the feeds
// with (routes/feeds.ts), lists them (never their values) and revokes them.

const tags = ['feeds']

const feedTokens: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/feed-tokens', {
    config: { role: 'admin' },
    schema: {
      summary: 'Create a feed token: 201 with its value, shown this once (only its hash is stored)',
      description: 'The token opens /feeds/<token>/guide.xml, channels.m3u, channels/<id>/guide.xml, channels/<id>/channel.m3u and hdhr/{discover.json,lineup.json,lineup_status.json,device.xml}, and nothing else.',
      tags,
      security,
      body: FeedTokenCreateSchema,
      response: { 201: FeedTokenCreatedSchema }
    }
  }, async (request, reply) => reply.code(201).send(await fastify.runCli('create-feed-token', optionArgs({ name: request.body.name }), { request })))

  fastify.get('/feed-tokens', {
    config: { role: 'admin' },
    schema: { summary: 'The feed tokens (without their values)', tags, security, response: { 200: FeedTokenListSchema } }
  }, async (request) => fastify.runCli('list-feed-tokens', [], { request }))

  fastify.delete('/feed-tokens/:id', {
    config: { role: 'admin' },
    schema: { summary: 'Revoke a feed token: its feeds answer 401 from the next request, on every instance', tags, security, params: IdParams, response: { 204: Type.Null() } }
  }, async (request, reply) => {
    await fastify.runCli('delete-feed-token', ['--', recordId(request.params.id, 'feed token')], { request })
    return reply.code(204).send(null)
  })
}

export default feedTokens
