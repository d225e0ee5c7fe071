import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ROLES } from '../lib/config.js'

/**
 * Reaches the misbehaving test:* worker commands over HTTP, so tests see the
 * statuses a user would, and one route per role. Registered only when SCHEDULEFLOW_TEST_COMMANDS=true.
 */
const testCommands: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/_test/:command', {
    schema: {
      hide: true,
      params: Type.Object({ command: Type.String({ pattern: '^[a-z]+$' }) }),
      body: Type.Optional(Type.Object({ args: Type.Optional(Type.Array(Type.String())), input: Type.Optional(Type.String()) }))
    }
  }, async (request) => fastify.runCli(`test:${request.params.command}`, request.body?.args ?? [], { request, input: request.body?.input }))

  // One route per role, so auth and rate limits are tested on routes that need nothing else.
  for (const role of ROLES) {
    fastify.post(`/_roles/${role}`, { config: { role }, schema: { hide: true } }, async (request) => ({ identity: request.identity }))
  }
}
export default testCommands
