import t from 'tap'
import { SCHEDULE_EXPORT_FORMATS, mediaTypesOf } from '../contract/formats.js'
import Fastify from 'fastify'
import { Type } from '@fastify/type-provider-typebox'
import { buildTestApp, bearer } from './helpers.js'
import { ERROR_CODES, ERROR_STATUS } from '../contract/errors.js'
import docsPlugin from '../plugins/docs.js'

// The OpenAPI document (/docs/json) is the API's contract for clients: every route says
// what it answers on success and that every failure is the one error body.

interface Operation { responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> }
type Document = {
  paths: Record<string, Record<string, Operation>>,
  components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> }
}

t.test('every documented route has a 2xx answer schema and the error body for 4xx and 5xx', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject('/docs/json')
  t.equal(res.statusCode, 200)
  const doc = res.json<Document>()

  const errorBody = doc.components.schemas.ErrorBody
  t.ok(errorBody, 'the error body is one named component')
  t.same(errorBody.properties.code.enum, ERROR_CODES, 'its code lists every code of the catalogue')
  t.same(Object.keys(errorBody.properties).sort(), ['code', 'errors', 'may_be_stored', 'message', 'request_id', 'revision_before', 'status'])

  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })))
  // The routes a client is most likely to need a schema for, auto-fill and deletes included.
  const expected = [
    'GET /api/health', 'GET /api/queue-stats', 'GET /api/system-info', 'GET /api/meta', 'GET /api/auth',
    'GET /api/schedules', 'DELETE /api/schedules', 'GET /api/schedules/export', 'GET /api/schedules/{id}', 'DELETE /api/schedules/{id}',
    'GET /api/schedules/{id}/export', 'GET /api/schedules/{id}/decisions', 'POST /api/schedules/auto-fill', 'POST /api/schedules/import',
    'GET /api/playlists', 'GET /api/playlists/{id}', 'PATCH /api/playlists/{id}', 'PUT /api/playlists/{id}', 'DELETE /api/playlists/{id}', 'GET /api/playlists/{id}/export', 'POST /api/playlists/import',
    'GET /api/channels', 'POST /api/channels', 'GET /api/channels/{id}', 'PATCH /api/channels/{id}', 'DELETE /api/channels/{id}',
    'GET /api/channels/{id}/template', 'PUT /api/channels/{id}/template', 'GET /api/channels/{id}/overrides', 'POST /api/channels/{id}/overrides',
    'PATCH /api/channels/{id}/overrides/{oid}', 'DELETE /api/channels/{id}/overrides/{oid}', 'PATCH /api/channels/{id}/programmes/{pid}', 'DELETE /api/channels/{id}/programmes/{pid}',
    'POST /api/channels/{id}/build', 'GET /api/channels/{id}/events', 'GET /api/channels/{id}/export',
    'GET /api/guide.xml', 'GET /api/channels.m3u', 'PUT /api/schedules/{id}/channel',
    'GET /api/channels/{id}/programmes',
    'GET /api/alarms', // SPEC §17
    // SPEC §17: feed tokens, and the feeds they open (outside /api)
    'POST /api/feed-tokens', 'GET /api/feed-tokens', 'DELETE /api/feed-tokens/{id}',
    'GET /api/keys', 'PATCH /api/keys/{id}', // SPEC §17: names for people
    ...['guide.xml', 'channels.m3u', 'channels/{id}/guide.xml', 'channels/{id}/channel.m3u', 'hdhr/discover.json', 'hdhr/lineup.json', 'hdhr/lineup_status.json', 'hdhr/device.xml'].map((feed) => `GET /feeds/{token}/${feed}`),
    // SPEC §17 now/next
    'GET /api/now', 'GET /api/channels/{id}/now',
    'GET /api/channels/{id}/publish', 'PUT /api/channels/{id}/publish', // SPEC §17
    // SPEC §16: media libraries and their scans
    'POST /api/libraries', 'GET /api/libraries', 'GET /api/libraries/{id}', 'DELETE /api/libraries/{id}', 'POST /api/libraries/{id}/scan',
    'GET /api/libraries/{id}/scans/{sid}', 'DELETE /api/libraries/{id}/scans/{sid}', 'GET /api/libraries/{id}/items', 'GET /api/libraries/{id}/collections',
    // SPEC §12, the same under both
    ...['schedules', 'channels'].flatMap((kind) => [
      `POST /api/${kind}/{id}/events`, `PATCH /api/${kind}/{id}/events/{eid}`, `DELETE /api/${kind}/{id}/events/{eid}`, `POST /api/${kind}/{id}/events/bulk`,
      `GET /api/${kind}/{id}/history`, `POST /api/${kind}/{id}/undo`, `POST /api/${kind}/{id}/revert`
    ])
  ]
  t.same(operations.map((o) => o.route).sort(), [...expected].sort(), 'every API route is documented')

  for (const { route, op } of operations) {
    const success = Object.entries(op.responses).filter(([status]) => /^2/.test(status))
    t.ok(success.length > 0, `${route}: a 2xx answer`)
    for (const [status, answer] of success) {
      // A 204 has no body to describe (DELETE /api/feed-tokens/{id}).
      if (status === '204') { t.notOk(answer.content, `${route}: its 204 has no body`); continue }
      const schemas = Object.values(answer.content ?? {}).map((c) => c.schema)
      t.ok(schemas.length > 0 && schemas.every((s) => s !== undefined && Object.keys(s).length > 0), `${route}: its ${status} has a schema`)
    }
    for (const range of ['4XX', '5XX']) {
      t.same(op.responses[range]?.content?.['application/json']?.schema, { $ref: '#/components/schemas/ErrorBody' }, `${route}: ${range} is the error body`)
    }
  }
  const fill = doc.paths['/api/schedules/auto-fill'].post.responses
  t.ok(fill['200'] && fill['201'], 'auto-fill documents its dry run (200) and its stored fill (201)')
  t.same(Object.keys(doc.paths['/api/schedules/{id}/export'].get.responses['200'].content ?? {}).sort(), mediaTypesOf(SCHEDULE_EXPORT_FORMATS).map((type) => type.split(';')[0]).sort(), 'an export is a document in one of its formats\' media types (contract/formats.ts)')
})

t.test('error replies keep their whole body through the error schema', async (t) => {
  const { app } = await buildTestApp(t)
  const bad = JSON.stringify({ schedule: [{ title: 'x', start: '2025-01-01T10:00:00Z', end: '2025-01-01T09:00:00Z' }] })
  const refused = await app.inject({ method: 'POST', url: '/api/schedules/import', headers: { ...bearer('operator'), 'content-type': 'application/json' }, payload: bad })
  t.equal(refused.statusCode, ERROR_STATUS.VALIDATION_FAILED)
  t.match(refused.json(), { status: 'error', code: 'VALIDATION_FAILED', message: String, request_id: refused.headers['x-request-id'], errors: [{ index: 0, field: String, message: String }] })

  const unknown = await app.inject({ method: 'DELETE', url: `/api/playlists/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, headers: bearer('admin') })
  t.equal(unknown.statusCode, 404)
  t.same(Object.keys(unknown.json()).sort(), ['code', 'message', 'request_id', 'status'], 'no field is added or lost')

  const crashed = await app.inject({ method: 'POST', url: '/api/_test/crash', payload: {} })
  t.equal(crashed.statusCode, ERROR_STATUS.WORKER_CRASHED)
  t.match(crashed.json(), { status: 'error', code: 'WORKER_CRASHED', request_id: String })
})

t.test('an API route declared without a success answer is refused at startup', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await t.rejects(async () => {
    await app.register(docsPlugin)
    await app.register(async (api) => {
      api.get('/documented', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async () => ({ ok: true }))
      api.get('/undocumented', async () => ({ ok: true }))
    }, { prefix: '/api' })
    await app.ready()
  }, /GET \/api\/undocumented: an API route needs a response schema/)
})
