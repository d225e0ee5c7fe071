import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ROLES } from '../lib/config.js'
import { PlaylistImportAnswerSchema, TestAllocateAnswerSchema, TestEchoAnswerSchema, TestRoleAnswerSchema, TestSleepAnswerSchema } from '../contract/api.js'
import type { TestCommandName } from '../workers/commands/index.js'
import { optionArgs, sendDocument } from './documents.js'
import { documentResponse } from './schemas.js'

const TickReportSchema = Type.Object({
  now: Type.String(),
  leader: Type.Boolean(),
  steps: Type.Array(Type.Object({
    name: Type.String(), ok: Type.Boolean(), ms: Type.Number(), result: Type.Optional(Type.Unknown()), error: Type.Optional(Type.String())
  }))
})

/**
 * Reaches the misbehaving test:* worker commands over HTTP, so tests see the
 * statuses a user would, and one route per role. Registered only when SCHEDULEFLOW_TEST_COMMANDS=true.
 */
const testCommands: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/_test/:command', {
    schema: {
      hide: true,
      params: Type.Object({ command: Type.String({ pattern: '^[a-z]+$' }) }),
      body: Type.Optional(Type.Object({ args: Type.Optional(Type.Array(Type.String())), input: Type.Optional(Type.String()) })),
      // The commands that answer at all (hang, crash and flood never do).
      response: { 200: Type.Union([TestSleepAnswerSchema, TestEchoAnswerSchema, TestAllocateAnswerSchema, PlaylistImportAnswerSchema]) }
    }
    // Any name goes to the worker, which answers one it does not know UNKNOWN_COMMAND: that is tested too.
  }, async (request) => fastify.runCli(`test:${request.params.command}` as Exclude<TestCommandName, 'test:document'>, request.body?.args ?? [], { request, input: request.body?.input }))

  // A document streamed from the worker as it writes it (test:document), sent as the exports are.
  fastify.get('/_test-stream/document', {
    schema: { hide: true, querystring: Type.Object({ parts: Type.Optional(Type.String()), gate: Type.Optional(Type.String()) }), response: documentResponse('the test document') }
  }, async (request, reply) => sendDocument(reply, await fastify.runCli('test:document', optionArgs(request.query), { request, stream: true })))

  // The service's clock, moved by a test (lib/clock.ts): days pass without a sleep. Every
  // operation the pool runs afterwards reads the same now.
  fastify.put('/_clock', {
    schema: { hide: true, body: Type.Object({ now: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T', description: 'an ISO 8601 date-time' }) }), response: { 200: Type.Object({ now: Type.String() }) } }
  }, async (request) => {
    fastify.clock.set(Date.parse(request.body.now))
    return { now: new Date(fastify.clock.now()).toISOString() }
  })

  // One on-air tick now (plugins/on-air.ts), answered with what each step did.
  fastify.post('/_tick', { schema: { hide: true, response: { 200: TickReportSchema } } }, async () => fastify.onAir.tick())

  // One route per role, so auth and rate limits are tested on routes that need nothing else.
  for (const role of ROLES) {
    fastify.post(`/_roles/${role}`, { config: { role }, schema: { hide: true, response: { 200: TestRoleAnswerSchema } } }, async (request) => ({ identity: request.identity }))
  }
}
export default testCommands
