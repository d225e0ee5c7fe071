// A type-level test, checked by `tsc -p test --noEmit` (npm test) and never run: each
// `@ts-expect-error` line must fail to compile, so if the typed contract from route to
// worker regressed (a command name or an answer's field no longer checked), the directive
// itself is the compile error.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PlaylistListSchema, type ScheduleList } from '../contract/api.js'
import type { CommandDefinition } from '../workers/commands/command.js'
import { CommandError } from '../contract/command-error.js'
import { HttpError } from '../lib/http-errors.js'
import { runWrite } from '../routes/idempotency.js'
import type {} from '../plugins/process-pool.js'

declare const app: FastifyInstance
declare const request: FastifyRequest
declare const reply: FastifyReply

export async function commandNames (): Promise<void> {
  await app.runCli('list-schedules')
  // @ts-expect-error a misspelt command does not compile
  await app.runCli('list-schedule')
  await runWrite(request, reply, 'delete-schedule', ['--', 'id'])
  // @ts-expect-error nor in a write
  await runWrite(request, reply, 'delete-schedules', ['--', 'id'])
}

export async function answerFields (): Promise<number> {
  const { schedules } = await app.runCli('list-schedules')
  const counted: number = schedules[0].event_count
  // @ts-expect-error a field the worker's answer does not have
  return counted + schedules[0].events_count
}

export async function writeAnswers (): Promise<string> {
  const fill = await runWrite(request, reply, 'auto-fill', [])
  // A dry run's schedule has no id; a stored fill's has one.
  if (!fill.dry_run) return fill.schedule.id
  // @ts-expect-error null is not an id
  return fill.schedule.id
}

// A worker command whose answer lost a field of its contract type does not compile.
export const renamedInWorker: CommandDefinition<ScheduleList> = {
  summary: 'list schedules',
  // @ts-expect-error `counts` is not the contract's `count`
  run: () => ({ schedules: [], counts: 0 })
}

// A route answering one command's result under another answer's schema does not compile.
export const wrongAnswerForRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/playlists', { schema: { response: { 200: PlaylistListSchema } } },
    // @ts-expect-error list-schedules answers schedules, not playlists
    async () => await fastify.runCli('list-schedules'))
}

export function errorCodes (): Error[] {
  return [
    new CommandError('NOT_FOUND', 'no schedule'),
    // @ts-expect-error a worker's error code must be in the catalogue (contract/errors.ts)
    new CommandError('NO_SUCH_THING', 'x'),
    new HttpError('STORAGE_BUSY', 'busy'),
    // @ts-expect-error and so must the API's
    new HttpError('TEAPOT', 'x')
  ]
}
