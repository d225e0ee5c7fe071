import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AlarmListSchema } from '../contract/on-air.js'
import { HttpError } from '../lib/http-errors.js'
import { isRecordId } from '../workers/commands/not-found.js'
import { NEEDS_KEY as security } from './schemas.js'

// GET /api/alarms (SPEC §17): the alarms open now, as the on-air tick left them (plugins/alarms.ts).

const alarms: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/alarms', {
    config: { role: 'viewer' },
    schema: {
      summary: 'The alarms open now, oldest first',
      description: 'coverage, gap and dead_air per channel (checked on every on-air tick), build_failed, publish_failed and missing_media (library files due to air that are gone or changed since probed, checked every 5 minutes; details.rebuild is the build call that replaces them); `channel`: one channel\'s.',
      tags: ['on-air'],
      security,
      querystring: Type.Object({ channel: Type.Optional(Type.String({ description: 'a channel id (UUID)', maxLength: 100 })) }),
      response: { 200: AlarmListSchema }
    }
  }, async (request) => {
    const { channel } = request.query
    if (channel !== undefined && !isRecordId(channel)) throw new HttpError('BAD_REQUEST', 'channel must be a channel id (a UUID)', [{ field: 'channel', message: 'not a channel id' }])
    return fastify.runCli('list-alarms', channel === undefined ? [] : [`--channel=${channel}`], { request })
  })
}
export default alarms
