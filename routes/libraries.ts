import { Type, type FastifyPluginAsyncTypebox, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { optionArgs } from './documents.js'
import { DeleteAnswerSchema } from '../contract/common.js'
import { LIBRARY_ITEMS_PAGE, MAX_LIBRARIES, MAX_PAGE } from '../contract/limits.js'
import { CollectionListSchema, LibraryAnswerSchema, LibraryListSchema, LibraryRequestSchema, MediaItemListSchema, ScanAnswerSchema } from '../contract/media.js'
import { LIGHT_PAGE } from '../workers/paging.js'

// /api/libraries (SPEC §16): an admin declares media libraries (a root under
// SCHEDULEFLOW_MEDIA_ROOTS, checked by the worker: create-library); an operator starts and
// cancels scans, which the service runs as a background job (plugins/media-scans.ts); a viewer
// reads libraries, scans, items and collections.

const tags = ['media']
const ScanParams = Type.Object({ id: Type.String({ description: 'the library\'s id' }), sid: Type.String({ description: 'the scan\'s id' }) })
const ItemsQuery = Type.Object({
  collection: Type.Optional(Type.String({ maxLength: 1100, description: 'a collection id of this library (GET …/collections): only its items' })),
  cursor: Type.Optional(Type.String({ maxLength: 1400, description: 'from a `next` link: where the page before ended' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, description: `items per page (default ${LIBRARY_ITEMS_PAGE})` }))
}, { additionalProperties: false })

const libraries: FastifyPluginAsyncTypebox = async (fastify) => {
  // The body goes to the worker as bytes: it checks it (the contract's shape, then the root on disk) and stores it.
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: fastify.config.maxJsonBytes }, (_request, body, done) => done(null, body))
    scope.withTypeProvider<TypeBoxTypeProvider>().post('/libraries', {
      config: { role: 'admin' },
      validatorCompiler: () => () => true,
      schema: {
        summary: 'Declare a media library: 201 with it',
        description: `root: an absolute folder, written resolved (no "." or ".." segment), that exists inside one of SCHEDULEFLOW_MEDIA_ROOTS, also with its symbolic links followed; else 400 naming \`root\`, nothing stored. Another library with the same root: 409 LIBRARY_ROOT_TAKEN; ${MAX_LIBRARIES} libraries already: 409 TOO_MANY_LIBRARIES. Nothing is read until a scan is started.`,
        tags,
        security,
        consumes: ['application/json'],
        body: LibraryRequestSchema,
        response: { 201: LibraryAnswerSchema }
      }
    }, async (request, reply) => {
      const input = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      return reply.code(201).send(await fastify.runCli('create-library', [], { request, input }))
    })
  })

  fastify.get('/libraries', {
    config: { role: 'viewer' },
    schema: { summary: 'The media libraries with their item counts', tags, security, response: { 200: LibraryListSchema } }
  }, async (request) => fastify.runCli('list-libraries', [], { request }))

  fastify.get('/libraries/:id', {
    config: { role: 'viewer' },
    schema: { summary: 'One media library', tags, security, params: IdParams, response: { 200: LibraryAnswerSchema } }
  }, async (request) => fastify.runCli('get-library', ['--', recordId(request.params.id, 'library')], { request }))

  fastify.delete('/libraries/:id', {
    config: { role: 'admin' },
    schema: { summary: 'Forget a media library with its items and scans (its files are left alone)', tags, security, params: IdParams, response: { 200: DeleteAnswerSchema } }
  }, async (request) => fastify.runCli('delete-library', ['--', recordId(request.params.id, 'library')], { request }))

  fastify.post('/libraries/:id/scan', {
    config: { role: 'operator' },
    schema: {
      summary: 'Start a scan of the library: 202 with it, running',
      description: 'The scan runs on as a background job of tasks through the pool\'s heavy lane, with no client waiting: poll GET …/scans/:sid. While a scan of the library runs, this answers that scan (202, the same id): one scan of a library at a time.',
      tags,
      security,
      params: IdParams,
      response: { 202: ScanAnswerSchema }
    }
  }, async (request, reply) => {
    const { scan } = await fastify.runCli('start-scan', ['--', recordId(request.params.id, 'library')], { request })
    fastify.mediaScans.run(scan.id)
    return reply.code(202).send({ scan })
  })

  fastify.get('/libraries/:id/scans/:sid', {
    config: { role: 'viewer' },
    schema: { summary: 'A scan\'s state and progress', tags, security, params: ScanParams, response: { 200: ScanAnswerSchema } }
  }, async (request) => fastify.runCli('get-scan', ['--library', recordId(request.params.id, 'library'), '--', recordId(request.params.sid, 'scan')], { request }))

  fastify.delete('/libraries/:id/scans/:sid', {
    config: { role: 'operator' },
    schema: {
      summary: 'Cancel a running scan: answered cancelled',
      description: 'What its finished tasks stored stays (each task stores in one transaction); the task running now stores nothing. A scan that already ended is answered as it is.',
      tags,
      security,
      params: ScanParams,
      response: { 200: ScanAnswerSchema }
    }
  }, async (request) => fastify.runCli('cancel-scan', ['--library', recordId(request.params.id, 'library'), '--', recordId(request.params.sid, 'scan')], { request }))

  fastify.get('/libraries/:id/items', {
    config: { role: 'viewer' },
    schema: { summary: 'A page of the library\'s items in path order', tags, security, params: IdParams, querystring: ItemsQuery, response: { 200: MediaItemListSchema } }
  }, async (request) => {
    const { collection, cursor, limit } = request.query
    const cost = (limit ?? LIBRARY_ITEMS_PAGE) > LIGHT_PAGE ? 'heavy' : 'light'
    return fastify.runCli('list-media-items', [...optionArgs({ collection, cursor, limit }), '--', recordId(request.params.id, 'library')], { request, cost })
  })

  fastify.get('/libraries/:id/collections', {
    config: { role: 'viewer' },
    schema: { summary: 'The library\'s collections (each show, folder and genre), which a block\'s or filler\'s source may name', tags, security, params: IdParams, response: { 200: CollectionListSchema } }
  }, async (request) => fastify.runCli('list-collections', ['--', recordId(request.params.id, 'library')], { request }))
}

export default libraries
