import { Type, type FastifyPluginAsyncTypebox, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { isIPv6 } from 'node:net'
import { documentResponse, IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { costlyRateLimit, optionArgs, sendDocument } from './documents.js'
import {
  BuildDryRunSchema, BuildRequestSchema, BuildStoredSchema, ChannelAnswerSchema, ChannelCreateSchema,
  ChannelEventsSchema, ChannelListSchema, ChannelPatchSchema,
  DeleteAnswerSchema, OverrideAnswerSchema, OverrideCreateSchema, OverrideListSchema, OverridePatchSchema, PlaceScheduleAnswerSchema,
  PlaceScheduleRequestSchema, TemplateAnswerSchema, TemplateSchema
} from '../contract/api.js'
import { runWrite } from './idempotency.js'
import { conditionalGet, ifMatchArgs } from './conditional.js'
import { CHANNELS_SCOPE, channelScope, PLAYLISTS_SCOPE } from '../workers/storage/revisions.js'
import type { CommandName } from '../workers/commands/index.js'
import { defaultChannelRange, LIGHT_PAGE, readCost } from '../workers/paging.js'
import { CHANNEL_DEFAULT_DAYS, MAX_PAGE } from '../contract/limits.js'
import { ProgrammesPageSchema } from '../contract/programmes.js'
import { CHANNEL_EXPORT_FORMATS, EXPORT_FORMATS, formatList, mediaTypesOf } from '../contract/formats.js'
import { ChannelExportFormatSchema as ChannelExportFormat } from '../contract/format-schemas.js'
import { coverageStep } from '../workers/on-air/coverage-step.js'

// /api/channels, /api/guide.xml, /api/channels.m3u (SPEC §11): thin shells over the channel
// commands. Bodies go to the worker as bytes: it checks them and names every field it refuses
// (the schemas here document them), so one 400 lists every problem and nothing is stored.

const tags = ['channels']
const Instant = Type.String({ description: 'ISO 8601 date-time; naive times are read in the channel\'s zone', maxLength: 64 })
const OverrideParams = Type.Object({ id: Type.String({ description: 'the channel, a UUID' }), oid: Type.String({ description: 'the override, a UUID' }) })
const DAY_MS = 86_400_000

/** A paged read's query: a range, the cursor of a `next` link, a page's size. */
const PagedRange = (perPage: string) => Type.Object({
  from: Type.Optional(Instant),
  to: Type.Optional(Instant),
  cursor: Type.Optional(Type.String({ description: 'from a `next` link: where the page before ended', maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: MAX_PAGE, description: perPage }))
})

/** guide.xml's default range: from the start of yesterday (UTC) to 8 days later. It moves with the clock, so the ETag hashes it. */
function guideRange (query: { from?: string, to?: string }): { from: string, to: string } {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS
  return { from: query.from ?? new Date(today - DAY_MS).toISOString(), to: query.to ?? new Date(today + 8 * DAY_MS).toISOString() }
}

const eventsRange = ({ from, to }: { from: number, to: number }): { from: string, to: string } => ({
  from: new Date(from).toISOString(),
  to: new Date(to).toISOString()
})

/**
 * Where players reach this service, for the links a document writes (the channel list's
 * url-tvg): SCHEDULEFLOW_PUBLIC_URL, else the address it listens on, never the request's Host
 * header (a client could name any host there, and a player given it loads its guide from
 * there). Listening on every address (0.0.0.0, ::) names none: then 127.0.0.1.
 */
function serviceUrl (fastify: FastifyInstance): string {
  if (fastify.config.publicUrl !== null) return fastify.config.publicUrl
  const bound = fastify.server.address()
  const port = typeof bound === 'object' && bound !== null ? bound.port : fastify.config.port
  const host = ['0.0.0.0', '::', ''].includes(fastify.config.host) ? '127.0.0.1' : fastify.config.host
  return `http://${isIPv6(host) ? `[${host}]` : host}:${port}`
}

const bodyOf = (raw: unknown): Buffer => Buffer.isBuffer(raw) ? raw : Buffer.alloc(0)

/** The plugin's instance, with TypeBox's type provider: the routes' params and queries are typed by their schemas. */
type Api = Parameters<FastifyPluginAsyncTypebox>[0]
type Costly = ReturnType<typeof costlyRateLimit>

/** A body route's options: the body goes to the worker as bytes, unchecked here (the worker checks it). */
type Unchecked = { validatorCompiler: () => () => boolean, bodyLimit: number }

/** Who writes, for the channel's history (SPEC §14): the key's name and role, never the key; how long history is kept. */
const authorArgs = (request: FastifyRequest): string[] => [
  `--by=${request.identity?.name ?? 'anonymous'}`, `--role=${request.identity?.role ?? 'anonymous'}`, `--history-days=${request.server.config.historyDays}`
]

/** Runs a body route's command: the body's bytes to the worker, with the channel, If-Match and the author as arguments. */
const write = async <C extends CommandName>(request: FastifyRequest, reply: Parameters<typeof runWrite>[1], command: C, id: string | null, cost?: 'heavy', more: string[] = []) =>
  runWrite(request, reply, command, id === null ? [] : ['--channel', id, ...ifMatchArgs(request), ...authorArgs(request), ...more], { input: bodyOf(request.body), ...(cost !== undefined && { cost }) })

/**
 * What a channel answer's coverage (built_until, gaps: SPEC §17) is read at: the service clock's
 * current step, hashed into its ETag, so a kept answer's gaps move on with the clock.
 */
const coverageAt = (fastify: Api): { coverage: number } => ({ coverage: coverageStep(fastify.clock.now()) })

/** GET /channels, GET and DELETE /channels/:id. */
function channelReads (fastify: Api): void {
  fastify.get('/channels', {
    config: { role: 'viewer' },
    schema: { summary: 'List channels by number', tags, security, response: { 200: ChannelListSchema } }
  }, async (request, reply) => conditionalGet(request, reply, CHANNELS_SCOPE, async () => fastify.runCli('list-channels', [], { request }), coverageAt(fastify)))

  fastify.get('/channels/:id', {
    config: { role: 'viewer' },
    schema: { summary: 'One channel', tags, security, params: IdParams, response: { 200: ChannelAnswerSchema } }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'channel')
    return conditionalGet(request, reply, channelScope(id), async () => fastify.runCli('get-channel', ['--', id], { request }), coverageAt(fastify))
  })

  fastify.delete('/channels/:id', {
    config: { role: 'admin' },
    schema: { summary: 'Delete a channel, its template, overrides and built events (placed schedules stay, taken off it)', tags, security, params: IdParams, response: { 200: DeleteAnswerSchema } }
  }, async (request, reply) => runWrite(request, reply, 'delete-channel', ['--', recordId(request.params.id, 'channel')]))
}

/** GET /channels/:id/template. */
function templateRead (fastify: Api): void {
  fastify.get('/channels/:id/template', {
    config: { role: 'viewer' },
    schema: { summary: 'A channel\'s weekly template', tags, security, params: IdParams, response: { 200: TemplateAnswerSchema } }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'channel')
    return conditionalGet(request, reply, channelScope(id), async () => fastify.runCli('get-template', ['--', id], { request }))
  })
}

/** GET /channels/:id/overrides, DELETE /channels/:id/overrides/:oid. */
function overrideReads (fastify: Api): void {
  fastify.get('/channels/:id/overrides', {
    config: { role: 'viewer' },
    schema: { summary: 'A channel\'s dated overrides (the later wins)', tags, security, params: IdParams, response: { 200: OverrideListSchema } }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'channel')
    return conditionalGet(request, reply, channelScope(id), async () => fastify.runCli('list-overrides', ['--', id], { request }))
  })

  fastify.delete('/channels/:id/overrides/:oid', {
    config: { role: 'operator' },
    schema: { summary: 'Delete one override', description: 'If-Match: the channel\'s revision (412 when it moved on).', tags, security, params: OverrideParams, response: { 200: DeleteAnswerSchema } }
  }, async (request, reply) => runWrite(request, reply, 'delete-override', [...ifMatchArgs(request), ...authorArgs(request), '--', recordId(request.params.id, 'channel'), recordId(request.params.oid, 'override')]))
}

/** GET /channels/:id/events. */
function channelEvents (fastify: Api): void {
  fastify.get('/channels/:id/events', {
    config: { role: 'viewer' },
    schema: {
      summary: 'What a channel airs in a range: built events and those of schedules placed on it, a page at a time',
      description: `Paged (SPEC §12): \`from\`/\`to\` (default: now → now + ${CHANNEL_DEFAULT_DAYS} days), at most \`limit\` events a page (default and most ${MAX_PAGE}) in order of start, then id; \`next\` is the URL of the page after (absent on the last). A read that can cover more than a day with more than ${LIGHT_PAGE} events a page counts as a heavy operation (its key's share of the pool).`,
      tags,
      security,
      params: IdParams,
      querystring: PagedRange('events per page'),
      response: { 200: ChannelEventsSchema }
    }
  }, async (request, reply) => {
    const { id, range, args, cost } = pagedChannelRead(request.params.id, request.query)
    // The marks read each playlist's cooldown_hours (SPEC §15): a playlist write changes the tag too.
    return conditionalGet(request, reply, [channelScope(id), PLAYLISTS_SCOPE], async () => fastify.runCli('channel-events', args, { request, cost }), [range, coverageAt(fastify)])
  })
}

/** GET /channels/:id/programmes (SPEC §14): paged as …/events, a programme whole however it straddles `from`. */
function channelProgrammes (fastify: Api): void {
  fastify.get('/channels/:id/programmes', {
    config: { role: 'viewer' },
    schema: {
      summary: 'A channel\'s programmes in a range: each airing with its breaks and pad, fixed events, filler stretches, a page at a time',
      description: `Paged as …/events: \`from\`/\`to\` (default: now → now + ${CHANNEL_DEFAULT_DAYS} days), at most \`limit\` programmes a page (default and most ${MAX_PAGE}) in order of start, then id; \`next\` is the URL of the page after (absent on the last). A programme that starts before \`from\` but runs into it is answered whole.`,
      tags,
      security,
      params: IdParams,
      querystring: PagedRange('programmes per page'),
      response: { 200: ProgrammesPageSchema }
    }
  }, async (request, reply) => {
    const { id, range, args, cost } = pagedChannelRead(request.params.id, request.query)
    return conditionalGet(request, reply, channelScope(id), async () => fastify.runCli('channel-programmes', args, { request, cost }), range)
  })
}

/**
 * A paged read of a channel (…/events, …/programmes): its range (no range and no cursor: now →
 * now + 7 days, resolved here so the ETag hashes it), the command's arguments, its cost.
 */
function pagedChannelRead (rawId: string, query: { from?: string, to?: string, cursor?: string, limit?: number }) {
  const id = recordId(rawId, 'channel')
  const { cursor, limit } = query
  const range = query.from === undefined && query.to === undefined && cursor === undefined
    ? eventsRange(defaultChannelRange(Date.now()))
    : { from: query.from, to: query.to }
  return { id, range, args: [...optionArgs({ ...range, cursor, limit }), '--', id], cost: readCost({ ...range, cursor, limit }, MAX_PAGE) }
}

/** GET /channels/:id/export, /guide.xml, /channels.m3u. */
function channelDocuments (fastify: Api, costly: Costly): void {
  fastify.get('/channels/:id/export', {
    config: { role: 'viewer', ...costly },
    schema: {
      summary: `One channel as a document: ${formatList(CHANNEL_EXPORT_FORMATS)}`,
      tags,
      security,
      params: IdParams,
      querystring: Type.Object({
        format: Type.Optional(ChannelExportFormat),
        from: Type.Optional(Instant),
        to: Type.Optional(Instant),
        date: Type.Optional(Type.String({ description: 'a day format: the local day, YYYY-MM-DD (default: the day of from, else today)', maxLength: 10 }))
      }),
      response: documentResponse('the channel in the format asked for', mediaTypesOf(CHANNEL_EXPORT_FORMATS))
    }
  }, async (request, reply) => {
    const id = recordId(request.params.id, 'channel')
    const { format, from, to, date } = request.query
    return conditionalGet(request, reply, channelScope(id), async () =>
      sendDocument(reply, await fastify.runCli('export-channel', [...optionArgs({ format, from, to, date }), '--', id], { request, cost: 'heavy', stream: true })))
  })

  fastify.get('/guide.xml', {
    config: { role: 'viewer', ...costly },
    schema: {
      summary: 'The XMLTV guide of every channel (readable anonymously with SCHEDULEFLOW_ANONYMOUS_READ=true)',
      description: 'Default range: from the start of yesterday (UTC) to 8 days later. Answers an ETag; If-None-Match with it is a 304.',
      tags,
      security,
      querystring: Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) }),
      response: documentResponse('XMLTV', [EXPORT_FORMATS.xmltv.media_type])
    }
  }, async (request, reply) => {
    const range = guideRange(request.query)
    return conditionalGet(request, reply, CHANNELS_SCOPE, async () =>
      sendDocument(reply, await fastify.runCli('export-guide', optionArgs(range), { request, cost: 'heavy', stream: true })), range)
  })

  fastify.get('/channels.m3u', {
    config: { role: 'viewer' },
    schema: {
      summary: 'The channel-list M3U IPTV players load (readable anonymously with SCHEDULEFLOW_ANONYMOUS_READ=true)',
      tags,
      security,
      response: documentResponse('the channel list', [EXPORT_FORMATS.m3u.media_type])
    }
  }, async (request, reply) => {
    const guideUrl = `${serviceUrl(fastify)}/api/guide.xml`
    return conditionalGet(request, reply, CHANNELS_SCOPE, async () =>
      sendDocument(reply, await fastify.runCli('export-channel-list', optionArgs({ 'guide-url': guideUrl }), { request, stream: true })), guideUrl)
  })
}

/** POST /channels, PATCH /channels/:id. */
function channelWrites (api: Api, unchecked: Unchecked): void {
  api.post('/channels', {
    config: { role: 'operator' },
    ...unchecked,
    schema: { summary: 'Create a channel', tags, security, consumes: ['application/json'], body: ChannelCreateSchema, response: { 201: ChannelAnswerSchema } }
  }, async (request, reply) => reply.code(201).send(await write(request, reply, 'create-channel', null)))

  api.patch('/channels/:id', {
    config: { role: 'operator' },
    ...unchecked,
    schema: { summary: 'Change a channel\'s fields', tags, security, params: IdParams, consumes: ['application/json'], body: ChannelPatchSchema, response: { 200: ChannelAnswerSchema } }
  }, async (request, reply) => write(request, reply, 'update-channel', recordId(request.params.id, 'channel')))
}

/** PUT /channels/:id/template. */
function templateWrite (api: Api, unchecked: Unchecked): void {
  api.put('/channels/:id/template', {
    config: { role: 'operator' },
    ...unchecked,
    schema: {
      summary: 'Replace a channel\'s weekly template',
      description: 'Blocks that overlap within a day (the week is circular) are refused with the pair named; every playlist named must exist.',
      tags,
      security,
      params: IdParams,
      consumes: ['application/json'],
      body: TemplateSchema,
      response: { 200: TemplateAnswerSchema }
    }
  }, async (request, reply) => write(request, reply, 'put-template', recordId(request.params.id, 'channel')))
}

/** POST /channels/:id/overrides, PATCH /channels/:id/overrides/:oid. */
function overrideWrite (api: Api, unchecked: Unchecked): void {
  api.post('/channels/:id/overrides', {
    config: { role: 'operator' },
    ...unchecked,
    schema: { summary: 'Add a dated override: blocks replacing the template\'s they overlap, fixed one-off events', tags, security, params: IdParams, consumes: ['application/json'], body: OverrideCreateSchema, response: { 201: OverrideAnswerSchema } }
  }, async (request, reply) => reply.code(201).send(await write(request, reply, 'add-override', recordId(request.params.id, 'channel'))))

  api.patch('/channels/:id/overrides/:oid', {
    config: { role: 'operator' },
    ...unchecked,
    schema: {
      summary: 'Change an override: a JSON merge patch of its fields (SPEC §14)',
      description: 'The fields given replace the stored ones; `blocks` and `events` are replaced whole, `days: null` means every day. Checked as a create is: a bad body is a 400 naming every problem and changes nothing. If-Match: the channel\'s revision (412 when it moved on). Kept in the channel\'s history (kind override), so an undo restores it.',
      tags,
      security,
      params: OverrideParams,
      consumes: ['application/json', 'application/merge-patch+json'],
      body: OverridePatchSchema,
      response: { 200: OverrideAnswerSchema }
    }
  }, async (request, reply) => write(request, reply, 'patch-override', recordId(request.params.id, 'channel'), undefined, [`--override=${recordId(request.params.oid, 'override')}`]))
}

/** POST /channels/:id/build. */
function channelBuild (api: Api, unchecked: Unchecked, costly: Costly): void {
  api.post('/channels/:id/build', {
    config: { role: 'operator', ...costly },
    ...unchecked,
    schema: {
      summary: 'Build a channel\'s events for a range of local days (up to 93): 201 stored, 200 with dry_run (the events, nothing stored)',
      tags,
      security,
      params: IdParams,
      consumes: ['application/json'],
      body: BuildRequestSchema,
      response: { 200: BuildDryRunSchema, 201: BuildStoredSchema }
    }
  }, async (request, reply) => {
    const result = await write(request, reply, 'build-channel', recordId(request.params.id, 'channel'), 'heavy')
    return reply.code(result.dry_run ? 200 : 201).send(result)
  })
}

/** PUT /schedules/:id/channel. */
function placeSchedule (api: Api, unchecked: Unchecked): void {
  api.put('/schedules/:id/channel', {
    config: { role: 'operator' },
    ...unchecked,
    schema: { summary: 'Place a schedule on a channel (its events air there), or take it off with null', tags: ['schedules', ...tags], security, params: IdParams, consumes: ['application/json'], body: PlaceScheduleRequestSchema, response: { 200: PlaceScheduleAnswerSchema } }
  }, async (request, reply) => {
    const raw = bodyOf(request.body)
    let channelId: unknown
    try { channelId = (JSON.parse(raw.toString('utf8')) as { channel_id?: unknown }).channel_id } catch { channelId = undefined }
    const channel = channelId === null ? 'none' : typeof channelId === 'string' ? channelId : ''
    return runWrite(request, reply, 'place-schedule', ['--channel', channel, '--', recordId(request.params.id, 'schedule')])
  })
}

const channels: FastifyPluginAsyncTypebox = async (fastify) => {
  const costly = costlyRateLimit(fastify)
  channelReads(fastify)
  templateRead(fastify)
  overrideReads(fastify)
  channelEvents(fastify)
  channelProgrammes(fastify)
  channelDocuments(fastify, costly)

  // The bodies: bytes to the worker, which checks them.
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser(['application/json', 'application/merge-patch+json'], { parseAs: 'buffer', bodyLimit: fastify.config.maxUploadBytes }, (_request, body, done) => done(null, body))
    const api = scope.withTypeProvider<TypeBoxTypeProvider>()
    const unchecked = { validatorCompiler: () => () => true, bodyLimit: fastify.config.maxUploadBytes }
    channelWrites(api, unchecked)
    templateWrite(api, unchecked)
    overrideWrite(api, unchecked)
    channelBuild(api, unchecked, costly)
    placeSchedule(api, unchecked)
  })
}

export default channels
