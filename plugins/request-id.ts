import fp from 'fastify-plugin'

// The id itself is made by lib/request-id.ts through Fastify's genReqId, so it is
// the `reqId` of every log line; this plugin hands it back to the caller.
export default fp(async (fastify) => {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
}, { name: 'request-id' })
