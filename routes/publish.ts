import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { PublishAnswerSchema, PublishPutSchema } from '../contract/on-air.js'

// GET and PUT /api/channels/:id/publish (SPEC §17): a channel's publish targets. The body goes to
// the worker as bytes: it checks it (each dir inside SCHEDULEFLOW_PUBLISH_ROOTS), stores the
// targets, publishes their days and answers them with their status.

const tags = ['channels']

const publish: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/channels/:id/publish', {
    config: { role: 'viewer' },
    schema: { summary: 'A channel\'s publish targets and how their last publish went', tags, security, params: IdParams, response: { 200: PublishAnswerSchema } }
  }, async (request) => {
    const id = recordId(request.params.id, 'channel')
    return fastify.runCli('get-publish', ['--channel', id], { request })
  })

  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: fastify.config.maxJsonBytes }, (_request, body, done) => done(null, body))
    scope.withTypeProvider<TypeBoxTypeProvider>().put('/channels/:id/publish', {
      config: { role: 'admin' },
      validatorCompiler: () => () => true,
      schema: {
        summary: 'Replace a channel\'s publish targets and publish at once',
        description: 'Each dir must be absolute and inside one of SCHEDULEFLOW_PUBLISH_ROOTS (else a 400 naming `targets.N.dir`, nothing stored). After every build, edit, undo or revert the affected local days\' files are rewritten atomically; a failure is answered in `last_error` and raises a publish_failed alarm, never fails the write.',
        tags,
        security,
        params: IdParams,
        consumes: ['application/json'],
        body: PublishPutSchema,
        response: { 200: PublishAnswerSchema }
      }
    }, async (request) => {
      const id = recordId(request.params.id, 'channel')
      return fastify.runCli('put-publish', ['--channel', id], { request, input: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) })
    })
  })
}

export default publish
