import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

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
}
export default system
