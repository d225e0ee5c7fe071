import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AuthAnswerSchema, SystemInfoSchema } from '../contract/api.js'
import { NEEDS_KEY } from './schemas.js'
import { META, MetaSchema } from '../contract/format-schemas.js'

const system: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/system-info', {
    schema: { summary: 'Version, storage kind and record counts (runs `m3upro info`)', tags: ['status'], response: { 200: SystemInfoSchema } }
  }, async (request) => fastify.runCli('info', [], { request }))

  // What the panel offers (export buttons, import choices) comes from here, so a format added
  // to contract/formats.ts shows there with no panel edit. Open like system-info: it says
  // nothing about the data, only what the service reads and writes.
  fastify.get('/meta', {
    schema: { summary: 'The document formats this service exports and imports', tags: ['status'], response: { 200: MetaSchema } }
  }, async () => META)

  // The panel shows the role of the key it holds; a wrong key is a 401 here like anywhere.
  fastify.get('/auth', {
    config: { role: 'viewer' },
    schema: {
      summary: 'The key given: its role, id, name and source (anonymous when reads are open and no key is given)',
      tags: ['status'],
      security: NEEDS_KEY,
      response: { 200: AuthAnswerSchema }
    }
  }, async (request) => {
    const key = request.identity === null ? undefined : fastify.keyring.find(request.identity.id)
    return { role: request.identity?.role ?? 'anonymous', key_id: key?.id ?? null, key_name: key?.name ?? null, key_source: key?.source ?? null, named: key?.named ?? true }
  })
}
export default system
