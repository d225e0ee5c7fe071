import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { IdParams, NEEDS_KEY as security, recordId } from './schemas.js'
import { optionArgs } from './documents.js'
import { runWrite } from './idempotency.js'
import { ifMatchArgs, revisionTag } from './conditional.js'
import {
  BulkEditSchema, EditAnswerSchema, EventEditAnswerSchema, EventPatchSchema, HistorySchema, NewEventSchema,
  ProgrammeEditAnswerSchema, ProgrammePatchSchema, RevertRequestSchema, UndoAnswerSchema, UndoQuerySchema,
  type EditAnswer, type EditOp, type EventEditAnswer, type ProgrammeEditAnswer, type ProgrammePatch
} from '../contract/api.js'
import { HISTORY_MAX, HISTORY_PAGE, MAX_EDIT_OPS } from '../contract/limits.js'

// Editing by hand (SPEC §12), the same routes under /api/schedules/:id and /api/channels/:id:
// thin shells over the edit commands (workers/commands/edit-events.ts), which check every
// field, the revision, and write each edit, undo or revert in one transaction.
// Revisions: each answer sends `ETag: "<revision>"`; a write with `If-Match` of an older one is
// a 412 that changes nothing. Every write takes an Idempotency-Key (routes/idempotency.ts): a
// repeat answers the first result, so an add or a bulk retried after a 502 is not applied twice.

const EventParams = Type.Object({ id: Type.String({ description: 'the schedule or channel, a UUID' }), eid: Type.String({ description: 'the event' }) })
const ProgrammeParams = Type.Object({ id: Type.String({ description: 'the channel, a UUID' }), pid: Type.String({ description: 'the programme' }) })
const ZoneQuery = Type.Object({
  timezone: Type.Optional(Type.String({ description: 'schedules: the zone naive times are read in (default UTC); a channel reads them in its own', maxLength: 64 }))
})
const IF_MATCH = 'If-Match: "<revision>" (the ETag of any edit answer, of the history or of any GET of this schedule or channel, weak or strong, or the `revision` field): a 412 when the timeline has moved on since. Idempotency-Key: a repeat answers the first result (Idempotent-Replayed: true), never applies twice; a 502/504 with may_be_stored says the write may be stored'

const withRevision = <T extends { revision: number }>(reply: FastifyReply, answer: T): T => {
  reply.header('etag', revisionTag(answer.revision))
  return answer
}

const editRoutes = (kind: 'schedule' | 'channel'): FastifyPluginAsyncTypebox => async (fastify) => {
  const tags = [`${kind}s`, 'editing']
  const base = `/${kind}s/:id`
  /** The worker's options naming the timeline, who writes, and how long history is kept. */
  const targetArgs = (request: FastifyRequest, id: string): string[] => [
    `--${kind}=${recordId(id, kind)}`,
    ...ifMatchArgs(request),
    `--by=${request.identity?.name ?? 'anonymous'}`,
    `--role=${request.identity?.role ?? 'anonymous'}`,
    `--history-days=${fastify.config.historyDays}`
  ]
  const edit = async (request: FastifyRequest, reply: FastifyReply, { id, timezone }: { id: string, timezone?: string }, ops: EditOp[]): Promise<EditAnswer> =>
    withRevision(reply, await runWrite(request, reply, 'edit-events', [...targetArgs(request, id), ...optionArgs({ timezone: kind === 'schedule' ? timezone : undefined })], { input: JSON.stringify({ ops }) }))
  /** A single edit's answer: its one result as `event` (and `moved`). */
  const single = ({ status, revision, results: [result], warnings }: EditAnswer): EventEditAnswer =>
    ({ status, revision, ...(result?.event !== undefined && { event: result.event }), ...(result?.moved !== undefined && { moved: result.moved }), warnings })

  fastify.post(`${base}/events`, {
    config: { role: 'operator' },
    schema: { summary: `Add an event to a ${kind}`, description: IF_MATCH, tags, security, params: IdParams, querystring: ZoneQuery, body: NewEventSchema, response: { 201: EventEditAnswerSchema } }
  }, async (request, reply) => reply.code(201).send(single(await edit(request, reply, { ...request.params, ...request.query }, [{ ...request.body, op: 'add' }]))))

  fastify.patch(`${base}/events/:eid`, {
    config: { role: 'operator' },
    schema: {
      summary: `Move, resize or change one event of a ${kind}`,
      description: `A new start alone moves the event (same length); an end resizes it; ripple (true or "day") shifts the later events of that local day by as much, "gap" pushes them only as far as the next gap absorbs it; a ripple never makes an overlap. ${IF_MATCH}`,
      tags,
      security,
      params: EventParams,
      querystring: ZoneQuery,
      body: EventPatchSchema,
      response: { 200: EventEditAnswerSchema }
    }
  }, async (request, reply) => single(await edit(request, reply, { ...request.params, ...request.query }, [{ ...request.body, op: 'update', id: request.params.eid }])))

  fastify.delete(`${base}/events/:eid`, {
    config: { role: 'operator' },
    schema: { summary: `Delete one event of a ${kind}`, description: IF_MATCH, tags, security, params: EventParams, response: { 200: EventEditAnswerSchema } }
  }, async (request, reply) => single(await edit(request, reply, request.params, [{ op: 'delete', id: request.params.eid }])))

  if (kind === 'channel') programmeRoutes(fastify, targetArgs)

  fastify.post(`${base}/events/bulk`, {
    config: { role: 'operator' },
    schema: {
      summary: `Several edits of a ${kind} at once, in order: all applied or none`,
      description: `Up to ${MAX_EDIT_OPS} ops.${kind === 'channel' ? ' An update or delete op may name a `programme` in place of an `id`: it acts on the whole programme, as PATCH/DELETE …/programmes/:pid do.' : ''} ${IF_MATCH}`,
      tags,
      security,
      params: IdParams,
      querystring: ZoneQuery,
      body: BulkEditSchema,
      response: { 200: EditAnswerSchema }
    }
  }, async (request, reply) => edit(request, reply, { ...request.params, ...request.query }, request.body.ops))

  fastify.get(`${base}/history`, {
    config: { role: 'viewer' },
    schema: {
      summary: `What each edit of a ${kind} changed, who made it and when, newest first (kept SCHEDULEFLOW_HISTORY_DAYS)`,
      tags,
      security,
      params: IdParams,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: HISTORY_MAX, default: HISTORY_PAGE, description: 'the newest entries to answer' })) }),
      response: { 200: HistorySchema }
    }
  }, async (request, reply) => withRevision(reply, await fastify.runCli('edit-history', [`--${kind}=${recordId(request.params.id, kind)}`, ...optionArgs({ limit: request.query.limit })], { request })))

  fastify.post(`${base}/undo`, {
    config: { role: 'operator' },
    schema: {
      summary: `Take back the last edit of a ${kind} (with ?redo=true, the last undo); itself a new revision`,
      description: `Undo takes back the newest edit not already undone, so repeated undos go back edit by edit; redo works while no new edit came after the undo. ${IF_MATCH}`,
      tags,
      security,
      params: IdParams,
      querystring: UndoQuerySchema,
      response: { 200: UndoAnswerSchema }
    }
  }, async (request, reply) => withRevision(reply, await runWrite(request, reply, 'undo-edit', [...targetArgs(request, request.params.id), ...(request.query.redo === true ? ['--redo'] : [])])))

  fastify.post(`${base}/revert`, {
    config: { role: 'operator' },
    schema: { summary: `Take a ${kind} back to the state right after a revision (\`{ "revision": n }\`) or, a channel, right after its newest build (\`{ "to": "last_build" }\`): its events and settings; itself a new revision`, description: IF_MATCH, tags, security, params: IdParams, body: RevertRequestSchema, response: { 200: UndoAnswerSchema } }
  }, async (request, reply) => withRevision(reply, await runWrite(request, reply, 'revert-edits', [...targetArgs(request, request.params.id), 'revision' in request.body ? `--revision=${request.body.revision}` : `--to=${request.body.to}`])))
}

/**
 * SPEC §14: a channel's programmes edited whole (edit-programme: the bulk op naming the
 * programme). `targetArgs`: the worker's options naming the channel, who writes, the history kept.
 */
function programmeRoutes (fastify: Parameters<FastifyPluginAsyncTypebox>[0], targetArgs: (request: FastifyRequest, id: string) => string[]): void {
  const [tags, base] = [['channels', 'editing'], '/channels/:id']
  /** A PATCH body, or null to delete. */
  type Params = { id: string, pid: string }
  const edit = async (request: FastifyRequest, reply: FastifyReply, { id, pid }: Params, body: ProgrammePatch | null): Promise<ProgrammeEditAnswer> => {
    const args = [...targetArgs(request, id), `--programme=${pid}`, ...(body === null ? ['--delete'] : [])]
    return withRevision(reply, await runWrite(request, reply, 'edit-programme', args, { input: body === null ? undefined : JSON.stringify(body) }))
  }
  fastify.patch(`${base}/programmes/:pid`, {
    config: { role: 'operator' },
    schema: {
      summary: 'Move, resize, pin or ripple one programme of a channel, with all its segments',
      description: 'A new start moves every segment by as much (breaks stay where they are in it); an end trims the tail (its pad first, then the item: ' +
        '`item_cut` says how much of the item no longer airs) or extends its pad; any change pins every segment (`pinned: false` unpins them); ripple ' +
        `shifts the later events of the local day ("day", true) or pushes them only as far as the next gap absorbs it ("gap"), never making an overlap. ${IF_MATCH}`,
      tags,
      security,
      params: ProgrammeParams,
      body: ProgrammePatchSchema,
      response: { 200: ProgrammeEditAnswerSchema }
    }
  }, async (request, reply) => edit(request, reply, request.params, request.body))

  fastify.delete(`${base}/programmes/:pid`, {
    config: { role: 'operator' },
    schema: { summary: 'Delete one programme of a channel: every segment of it', description: IF_MATCH, tags, security, params: ProgrammeParams, response: { 200: ProgrammeEditAnswerSchema } }
  }, async (request, reply) => edit(request, reply, request.params, null))
}

export const scheduleEditRoutes = editRoutes('schedule')
export const channelEditRoutes = editRoutes('channel')
