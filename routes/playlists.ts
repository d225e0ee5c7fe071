import { Type, type FastifyPluginAsyncTypebox, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { documentResponse, IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { acceptRawDocuments, costlyRateLimit, optionArgs, readDocument, sendDocument } from './documents.js'
import { DeleteAnswerSchema, PlaylistImportAnswerSchema, PlaylistListSchema, PlaylistWithItemsSchema } from '../contract/api.js'
import { runWrite } from './idempotency.js'
import { PlaylistAnswerSchema, PlaylistPatchSchema } from '../contract/playlists.js'
import { DEFAULT_GUIDE_WORD } from '../contract/limits.js'
import { conditionalGet } from './conditional.js'
import { PLAYLISTS_SCOPE, playlistScope } from '../workers/storage/revisions.js'

/** The query of an import and of a replacement: the playlist's name (else the file's, or kept). */
const PlaylistDocumentQuery = Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) })

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
      summary: 'Change a playlist\'s own fields, those given: `guide`, how its clips show in the guide when they air as breaks, pad or default filler; `cooldown_hours`',
      description: 'A merge patch: a field left out stays as it is. guide (SPEC §14): own gives each clip its entry, meld joins it to the programme before it, hide leaves a hole; null, the default rule (meld). cooldown_hours (SPEC §15): how long before one of its items may air again; null, the template\'s rule. The next build of a channel reads them.',
      tags,
      security,
      params: IdParams,
      consumes: ['application/json'],
      body: PlaylistPatchSchema,
      response: { 200: PlaylistAnswerSchema }
    }
  }, async (request, reply) => {
    const { guide, cooldown_hours: hours } = request.body
    const options = optionArgs({ guide: guide === null ? DEFAULT_GUIDE_WORD : guide, 'cooldown-hours': hours === null ? DEFAULT_GUIDE_WORD : hours })
    return runWrite(request, reply, 'set-playlist', [...options, '--', recordId(request.params.id, 'playlist')])
  })

  fastify.delete('/playlists/:id', {
    config: { role: 'admin' },
    schema: { summary: 'Delete a playlist (schedules filled from it stay)', tags, security, params: IdParams, response: { 200: DeleteAnswerSchema } }
  }, async (request, reply) => runWrite(request, reply, 'delete-playlist', ['--', recordId(request.params.id, 'playlist')]))

  await fastify.register(async (scope) => {
    await acceptRawDocuments(scope, fastify.config.maxUploadBytes)
    const typed = scope.withTypeProvider<TypeBoxTypeProvider>()
    typed.post('/playlists/import', {
      config: { role: 'operator', ...costly },
      schema: {
        summary: 'Import an extended M3U / M3U8 playlist: the body is the playlist or a multipart file',
        tags,
        security,
        querystring: PlaylistDocumentQuery,
        response: { 201: PlaylistImportAnswerSchema }
      }
    }, async (request, reply) => {
      return reply.code(201).send(await runWrite(request, reply, 'import-playlist', optionArgs({ name: request.query.name }), { input: await readDocument(request), cost: 'heavy' }))
    })

    typed.put('/playlists/:id', {
      config: { role: 'operator', ...costly },
      schema: {
        summary: 'Replace a playlist\'s items in place: the body is an extended M3U / M3U8 or a multipart file, as for the import',
        description: 'SPEC §15: the playlist keeps its id (the blocks that air it keep it; a sequential block goes on by item identity, URL or path then title), its guide and cooldown_hours, and its name unless `name` is given. One transaction: a refused document changes nothing. Playlists carry no revision, so no If-Match.',
        tags,
        security,
        params: IdParams,
        querystring: PlaylistDocumentQuery,
        response: { 200: PlaylistImportAnswerSchema }
      }
    }, async (request, reply) => {
      const id = recordId(request.params.id, 'playlist')
      return runWrite(request, reply, 'replace-playlist', optionArgs({ playlist: id, name: request.query.name }), { input: await readDocument(request), cost: 'heavy' })
    })
  })
}
export default playlists
