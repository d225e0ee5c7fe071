import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ChannelNowSchema, NowAllSchema } from '../contract/on-air.js'
import { NEXT_PROGRAMMES } from '../contract/limits.js'
import { HttpError } from '../lib/http-errors.js'
import { notFound } from '../workers/commands/not-found.js'
import type { PlannedAnswer } from '../plugins/now-plan.js'
import { noneMatchHolds } from './conditional.js'
import { IdParams, NEEDS_KEY as security, recordId } from './schemas.js'

// GET /api/now, GET /api/channels/:id/now (SPEC §17): answered from the plans the API keeps
// (plugins/now-plan.ts), not by a worker per request. The ETag names the plan and which
// programmes are shown, not the offsets: a client advances those from server_time, and its
// If-None-Match poll is a 304 until the programme on air changes, an edit changes the plan or
// an alarm opens or clears.

const tags = ['on air']
const described = `The programme on air at the service's clock (with offset_ms and remaining_ms; null in a gap) and the following ${NEXT_PROGRAMMES}, built_until and open alarms. The ETag tags the plan, not the offsets: an If-None-Match poll answers 304 until what is shown changes.`

function send<T> (request: FastifyRequest, reply: FastifyReply, planned: PlannedAnswer<T>): T | FastifyReply {
  reply.header('etag', planned.tag)
  if (noneMatchHolds(request.headers['if-none-match'], planned.tag)) return reply.code(304).send()
  return planned.answer()
}

const nowRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/now', {
    config: { role: 'viewer' },
    schema: { summary: 'Now and next on every channel', description: described, tags, security, response: { 200: NowAllSchema } }
  }, async (request, reply) => send(request, reply, await fastify.nowPlans.all()))

  fastify.get('/channels/:id/now', {
    config: { role: 'viewer' },
    schema: { summary: 'Now and next on one channel', description: described, tags, security, params: IdParams, response: { 200: ChannelNowSchema } }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'channel')
    const planned = await fastify.nowPlans.one(id)
    if (planned === undefined) {
      const refused = notFound('channel', id)
      throw new HttpError(refused.code, refused.message)
    }
    return send(request, reply, planned)
  })
}
export default nowRoutes
