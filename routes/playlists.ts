import { Type, type FastifyPluginAsyncTypebox, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { documentResponse, IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { acceptRawDocuments, costlyRateLimit, optionArgs, readDocument, sendDocument } from './documents.js'
import { DeleteAnswerSchema, PlaylistImportAnswerSchema, PlaylistListSchema, PlaylistWithItemsSchema } from '../contract/api.js'
import { runWrite } from './idempotency.js'
import { PlaylistAnswerSchema, PlaylistPatchSchema } from '../contract/playlists.js'
import { DEFAULT_GUIDE_WORD } from '../contract/limits.js'
import { conditionalGet } from './conditional.js'
import { PLAYLISTS_SCOPE, playlistScope } from '../workers/storage/revisions.js'

/** /api/playlists: M3U playlists, thin shells over the m3upro playlist commands. */
const playlists: FastifyPluginAsyncTypebox = async (fastify) => {
  const costly = costlyRateLimit(fastify)
  const tags = ['playlists']

  fastify.get('/playlists', {
    config: { role: 'viewer' },
    schema: { summary: 'List playlists', tags, security, response: { 200: PlaylistListSchema } }
  }, async (request, reply) => conditionalGet(request, reply, PLAYLISTS_SCOPE, async () => fastify.runCli('list-playlists', [], { request })))

  fastify.get('/playlists/:id', {
    config: { role: 'viewer' },
    schema: { summary: 'A playlist and its items in order', tags, security, params: IdParams, response: { 200: PlaylistWithItemsSchema } }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'playlist')
    return conditionalGet(request, reply, playlistScope(id), async () => fastify.runCli('get-playlist', ['--', id], { request }))
  })

  fastify.get('/playlists/:id/export', {
    config: { role: 'viewer', ...costly },
    schema: { summary: 'A playlist as extended M3U', tags, security, params: IdParams, response: documentResponse('the playlist as extended M3U', ['audio/x-mpegurl; charset=utf-8']) }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'playlist')
    return conditionalGet(request, reply, playlistScope(id), async () => sendDocument(reply, await fastify.runCli('export-playlist', ['--', id], { request, cost: 'heavy', stream: true })))
  })

  fastify.patch('/playlists/:id', {
    config: { role: 'operator' },
    schema: {
      summary: 'Change a playlist\'s fields: `guide`, how its clips show in the guide when they air as breaks, pad or default filler',
      description: 'SPEC §14: own gives each clip its entry, meld joins it to the programme before it, hide leaves a hole; null, the default rule (meld). The next build of a channel stores it on the events it airs.',
      tags,
      security,
      params: IdParams,
      consumes: ['application/json'],
      body: PlaylistPatchSchema,
      response: { 200: PlaylistAnswerSchema }
    }
  }, async (request, reply) => runWrite(request, reply, 'set-playlist-guide', [...optionArgs({ guide: request.body.guide ?? DEFAULT_GUIDE_WORD }), '--', recordId(request.params.id, 'playlist')]))

  fastify.delete('/playlists/:id', {
    config: { role: 'admin' },
    schema: { summary: 'Delete a playlist (schedules filled from it stay)', tags, security, params: IdParams, response: { 200: DeleteAnswerSchema } }
  }, async (request, reply) => runWrite(request, reply, 'delete-playlist', ['--', recordId(request.params.id, 'playlist')]))

  await fastify.register(async (scope) => {
    await acceptRawDocuments(scope, fastify.config.maxUploadBytes)
    scope.withTypeProvider<TypeBoxTypeProvider>().post('/playlists/import', {
      config: { role: 'operator', ...costly },
      schema: {
        summary: 'Import an extended M3U / M3U8 playlist: the body is the playlist or a multipart file',
        tags,
        security,
        querystring: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 201: PlaylistImportAnswerSchema }
      }
    }, async (request, reply) => {
      return reply.code(201).send(await runWrite(request, reply, 'import-playlist', optionArgs({ name: request.query.name }), { input: await readDocument(request), cost: 'heavy' }))
    })
  })
}
export default playlists
