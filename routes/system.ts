import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { NEEDS_KEY, Nullable } from './schemas.js'

const SystemInfo = Type.Object({
  version: Type.String(),
  node: Type.String(),
  storage: Type.Object({ kind: Type.String(), schema_version: Type.Integer() }),
  counts: Type.Object({
    schedules: Type.Integer(),
    events: Type.Integer(),
    playlists: Type.Integer(),
    playlist_items: Type.Integer()
  })
})

const system: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/system-info', {
    schema: { summary: 'Version, storage kind and record counts (runs `m3upro info`)', tags: ['status'], response: { 200: SystemInfo } }
  }, async (request) => fastify.runCli('info', [], { request }))

  // The panel shows the role of the key it holds; a wrong key is a 401 here like anywhere.
  fastify.get('/auth', {
    config: { role: 'viewer' },
    schema: {
      summary: 'The role of the key given (anonymous when reads are open and no key is given)',
      tags: ['status'],
      security: NEEDS_KEY,
      response: { 200: Type.Object({ role: Type.String(), key_id: Nullable(Type.String()) }) }
    }
  }, async (request) => ({ role: request.identity?.role ?? 'anonymous', key_id: request.identity?.id ?? null }))
}
export default system
