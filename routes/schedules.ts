import { Type, type FastifyPluginAsyncTypebox, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { documentResponse, IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { acceptRawDocuments, costlyRateLimit, optionArgs, readDocument, sendDocument, sendJsonDocument } from './documents.js'
import {
  AutoFillDryRunSchema, AutoFillRequestSchema, AutoFillStoredSchema, DeleteAllAnswerSchema, DeleteAnswerSchema, FillDecisionsPageSchema,
  ImportAnswerSchema, ImportQuerySchema, ScheduleListSchema, ScheduleTimelineSchema, ScheduleWithEventsSchema, type ScheduleList
} from '../contract/api.js'
import { runWrite } from './idempotency.js'
import { conditionalGet } from './conditional.js'
import { sendJsonText } from '../plugins/process-pool.js'
import { SCHEDULES_SCOPE, scheduleScope } from '../workers/storage/revisions.js'
import type { CommandResult } from '../workers/commands/index.js'
import type { FastifyReply } from 'fastify'
import { LIGHT_PAGE, readCost, scheduleDefaultLimit } from '../workers/paging.js'
import { MAX_PAGE, SCHEDULE_FIRST_PAGE } from '../contract/limits.js'
import { SCHEDULE_EXPORT_FORMATS, formatList, mediaTypesOf } from '../contract/formats.js'
import { ScheduleExportFormatSchema as ExportFormat } from '../contract/format-schemas.js'

const Timezone = Type.String({ description: 'IANA zone for naive times, e.g. Europe/London (default UTC)', maxLength: 64 })
const Instant = Type.String({ description: 'ISO 8601 date-time', maxLength: 64 })
const tags = ['schedules']

/** The plugin's instance, with TypeBox's type provider: the routes' params and queries are typed by their schemas. */
type Api = Parameters<FastifyPluginAsyncTypebox>[0]
type Costly = ReturnType<typeof costlyRateLimit>

/** GET /schedules, GET /schedules/export. */
function scheduleList (fastify: Api, costly: Costly): void {
  fastify.get('/schedules', {
    config: { role: 'viewer' },
    schema: { summary: 'List schedules with event counts and first/last instants', tags, security, response: { 200: ScheduleListSchema } }
    // The worker's JSON handed on as it is (sendJsonText): what clients poll most, at no parse and no second serialization here.
  }, async (request, reply) => conditionalGet(request, reply, SCHEDULES_SCOPE, async () => sendJsonText<ScheduleList>(reply, await fastify.runCli('list-schedules', [], { request, json: true }))))

  fastify.get('/schedules/export', {
    config: { role: 'viewer', ...costly },
    schema: { summary: 'Every schedule in one document', tags, security, querystring: Type.Object({ format: Type.Optional(ExportFormat) }), response: documentResponse('every schedule in the format asked for', mediaTypesOf(SCHEDULE_EXPORT_FORMATS)) }
  }, async (request, reply) => conditionalGet(request, reply, SCHEDULES_SCOPE, async () => sendDocument(reply, await fastify.runCli('export-schedule', ['--all', ...optionArgs({ format: request.query.format })], { request, cost: 'heavy', stream: true }))))
}

/** GET /schedules/:id. */
function scheduleRead (fastify: Api): void {
  fastify.get('/schedules/:id', {
    config: { role: 'viewer' },
    // The worker's answer is already checked JSON; on a 10,000-event answer the schema
    // serializer costs ten times JSON.stringify. The schema stays for the docs.
    serializerCompiler: () => (data) => JSON.stringify(data),
    schema: {
      summary: 'A schedule and its events (those on air between from and to, when given)',
      description: `Paged (SPEC §12): without a range its first ${SCHEDULE_FIRST_PAGE} events; with \`from\`/\`to\` at most ${MAX_PAGE} a page; \`limit\` (at most ${MAX_PAGE}) sets the page; \`next\` is the URL of the page after (absent on the last). Events in order of start, then id. A read that can cover more than a day with more than ${LIGHT_PAGE} events a page counts as a heavy operation. \`fields=timeline\` answers the events as columns (one array per field) with only what a timeline draws and each event's warning marks; its \`warnings\` list at most 150 overlaps and 150 cooldown replays (the totals count all, and the marks show every one).`,
      tags,
      security,
      params: IdParams,
      querystring: Type.Object({
        from: Type.Optional(Instant),
        to: Type.Optional(Instant),
        timezone: Type.Optional(Timezone),
        cursor: Type.Optional(Type.String({ description: 'from a `next` link: where the page before ended', maxLength: 200 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, description: `events per page (default ${SCHEDULE_FIRST_PAGE} without a range, ${MAX_PAGE} with one)` })),
        fields: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('timeline')], { description: 'full (default): every field of every event; timeline: columns for drawing', default: 'full' }))
      }),
      response: { 200: Type.Union([ScheduleWithEventsSchema, ScheduleTimelineSchema]) }
    }
  }, async (request, reply) => {
    const { from, to, timezone, fields, cursor, limit } = request.query
    const id = recordId(request.params.id, 'schedule')
    const cost = readCost({ from, to, cursor, limit }, scheduleDefaultLimit({ from, to }))
    // Its warnings are worked out against every schedule stored (a replay of another's video,
    // an overlap on a shared channel): any schedule write may change them, so the global counter.
    // A schedule with no counter of its own is gone: its 404 is answered, never a 304.
    const args = [...optionArgs({ from, to, timezone, cursor, limit }), '--', id]
    const read = async (): Promise<CommandResult<'get-schedule'> | FastifyReply> => fields === 'timeline'
      // The worker's JSON goes to the browser as the worker wrote it.
      ? sendJsonDocument(reply, await fastify.runCli('get-timeline', args, { request, stream: true, cost }))
      : fastify.runCli('get-schedule', args, { request, cost })
    return await fastify.storage.revision(scheduleScope(id)) === undefined
      ? read()
      : conditionalGet(
        request,
        reply,
        SCHEDULES_SCOPE,
        read,
        null,
        scheduleScope(id)
      )
  })
}

/** GET /schedules/:id/export. */
function scheduleExport (fastify: Api, costly: Costly): void {
  fastify.get('/schedules/:id/export', {
    config: { role: 'viewer', ...costly },
    schema: {
      summary: `One schedule as a document: ${formatList(SCHEDULE_EXPORT_FORMATS)}`,
      tags,
      security,
      params: IdParams,
      querystring: Type.Object({
        format: Type.Optional(ExportFormat),
        from: Type.Optional(Instant),
        to: Type.Optional(Instant),
        date: Type.Optional(Type.String({ description: 'a day format: the day, YYYY-MM-DD (default: the first event\'s)', maxLength: 10 })),
        timezone: Type.Optional(Timezone)
      }),
      response: documentResponse('the schedule in the format asked for', mediaTypesOf(SCHEDULE_EXPORT_FORMATS))
    }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'schedule')
    const { format, from, to, date, timezone } = request.query
    return conditionalGet(request, reply, scheduleScope(id), async () => sendDocument(reply, await fastify.runCli('export-schedule', [...optionArgs({ format, from, to, date, timezone }), '--', id], { request, cost: 'heavy', stream: true })))
  })
}

/** GET /schedules/:id/decisions. */
function fillDecisions (fastify: Api): void {
  fastify.get('/schedules/:id/decisions', {
    config: { role: 'viewer' },
    schema: {
      summary: 'Page through the decision log an auto-fill stored with this schedule',
      description: 'The auto-fill answer carries at most 500 decisions (`decisions_omitted` says how many it left out); every one is stored with the schedule and read here, in the order the fill made them.',
      tags,
      security,
      params: IdParams,
      querystring: Type.Object({
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 500 }))
      }),
      response: { 200: FillDecisionsPageSchema }
    }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'schedule')
    const { offset, limit } = request.query
    // A fill's decisions never change: the schedule's own counter tags them.
    return conditionalGet(request, reply, scheduleScope(id), async () => fastify.runCli('fill-decisions', [...optionArgs({ offset, limit }), '--', id], { request }))
  })
}

/** DELETE /schedules/:id, DELETE /schedules. */
function scheduleDeletes (fastify: Api): void {
  fastify.delete('/schedules/:id', {
    config: { role: 'admin' },
    schema: { summary: 'Delete a schedule', tags, security, params: IdParams, response: { 200: DeleteAnswerSchema } }
  }, async (request, reply) => runWrite(request, reply, 'delete-schedule', ['--', recordId(request.params.id, 'schedule')]))

  fastify.delete('/schedules', {
    config: { role: 'admin' },
    schema: {
      summary: 'Delete every schedule',
      tags,
      security,
      body: Type.Object({ confirm: Type.String({ description: 'must be DELETE_ALL_SCHEDULES' }) }),
      response: { 200: DeleteAllAnswerSchema }
    }
  }, async (request, reply) => runWrite(request, reply, 'delete-all-schedules', optionArgs({ confirm: request.body.confirm })))
}

/** POST /schedules/auto-fill, in a scope of its own. */
async function autoFill (fastify: Api, costly: Costly): Promise<void> {
  // An auto-fill body may list tens of thousands of links: parsing it here would stall
  // every other request, so it goes to the worker as bytes (up to the upload cap), and
  // the worker parses and checks it, naming each field it refuses.
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: fastify.config.maxUploadBytes }, (_request, body, done) => done(null, body))

    scope.withTypeProvider<TypeBoxTypeProvider>().post('/schedules/auto-fill', {
      config: { role: 'operator', ...costly },
      bodyLimit: fastify.config.maxUploadBytes,
      // The schema documents the body (OpenAPI); the worker is what checks it.
      validatorCompiler: () => () => true,
      schema: {
        summary: 'Fill a time window from a playlist or links without replays inside the cooldown (SPEC §5)',
        description: 'Ranges are checked by the worker, which names the field it refuses: duration_hours in (0, 744], slot_minutes in [1, 1440], cooldown_hours in [0, 8784]. The fill covers [start_time, start_time + duration_hours) in elapsed time, in UTC slots, so a DST change leaves no gap and no overlap.',
        tags,
        security,
        consumes: ['application/json'],
        body: AutoFillRequestSchema,
        response: { 200: AutoFillDryRunSchema, 201: AutoFillStoredSchema }
      }
    }, async (request, reply) => {
      const raw: unknown = request.body
      const input = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0)
      const result = await runWrite(request, reply, 'auto-fill', [], { input, cost: 'heavy' })
      // A dry run stored nothing: 200; a stored fill created a schedule: 201.
      return result.dry_run ? reply.code(200).send(result) : reply.code(201).send(result)
    })
  })
}

/** POST /schedules/import, in a scope of its own. */
async function scheduleImport (fastify: Api, costly: Costly): Promise<void> {
  // The import takes the document as it is (XML, JSON or a multipart file), so this
  // scope has its own body parsers: the bytes go to the worker unparsed.
  await fastify.register(async (scope) => {
    await acceptRawDocuments(scope, fastify.config.maxUploadBytes)

    scope.withTypeProvider<TypeBoxTypeProvider>().post('/schedules/import', {
      config: { role: 'operator', ...costly },
      schema: {
        summary: 'Import a schedule: the body is the document (XML, JSON, XMLTV) or a multipart file',
        description: 'The format is detected from the content unless given. Naive times are read in `timezone`. The whole import is refused, with every problem listed, when any event is invalid.',
        tags,
        security,
        querystring: ImportQuerySchema,
        response: { 201: ImportAnswerSchema }
      }
    }, async (request, reply) => {
      const input = await readDocument(request)
      const {
        format,
        name,
        timezone,
        cooldown_hours: cooldown,
        allow_empty: allowEmpty,
        channel_id: channelId,
        create_channels: createChannels
      } = request.query
      const args = [
        ...optionArgs({ format, name, timezone, 'cooldown-hours': cooldown, 'channel-id': channelId }),
        ...(allowEmpty === true ? ['--allow-empty'] : []),
        ...(createChannels === true ? ['--create-channels'] : [])
      ]
      return reply.code(201).send(await runWrite(request, reply, 'import-schedule', args, { input, cost: 'heavy' }))
    })
  })
}

/** /api/schedules: thin shells over the m3upro schedule commands (SPEC §6). */
const schedules: FastifyPluginAsyncTypebox = async (fastify) => {
  const costly = costlyRateLimit(fastify)
  scheduleList(fastify, costly)
  scheduleRead(fastify)
  scheduleExport(fastify, costly)
  fillDecisions(fastify)
  scheduleDeletes(fastify)
  await autoFill(fastify, costly)
  await scheduleImport(fastify, costly)
}

export default schedules
