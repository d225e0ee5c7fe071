import { CommandError } from '../../contract/command-error.js'
import { DEFAULT_COOLDOWN_HOURS } from '../../contract/limits.js'
import { airedEvent, iso } from '../schedule/model.js'
import { readChannelCreate, readChannelPatch, readOverride, readOverridePatch, readTemplate, type Problems } from '../channels/request.js'
import type {
  Channel, ChannelAnswer, PlaceScheduleAnswer, ChannelEvent, ChannelEvents, ChannelList, DeleteAnswer,
  OverrideAnswer, OverrideList, TemplateAnswer
} from '../../contract/api.js'
import type { ChannelSettings } from '../../contract/editing.js'
import { CHANNEL_SETTING_FIELDS } from '../../contract/limits.js'
import type { Store } from '../storage/store.js'
import type { TimeRange } from '../schedule/time.js'
import { channelSettings, type MarkEvent, type StoredChannelEvent, type StoredOverride } from '../storage/channels.js'
import type { CommandContext, CommandDefinition, OptionValues } from './command.js'
import { requiredId, rangeOption } from './options.js'
import { isLocalDate, localDays } from '../channels/wall-time.js'
import { found, isRecordId, notFound } from './not-found.js'
import { IDEMPOTENCY_USAGE, idempotencyOptions, WriteOnce } from './idempotency.js'
import { jsonBody } from './json-body.js'
import { deleteById } from './delete-schedule.js'
import { TIMELINE_MARKS } from './timeline-events.js'
import { withCoverage } from '../on-air/coverage.js'
import { cursorOption, defaultChannelRange, limitOption, nextPageUrl } from '../paging.js'
import { MAX_PAGE } from '../../contract/limits.js'
import { checkedState, revisionOption } from './edit-events.js'
import { AUTHOR_OPTIONS, AUTHOR_USAGE, overrideAnswer, recordWrite } from './history.js'
import { describeChannel, describeOverride, describeTemplate } from '../editing/summary.js'
import { overlappingEvents } from '../schedule/checks/stored-warnings.js'
import { findCooldownViolations, videoKey, type PlayedEvent } from '../schedule/checks/cooldown.js'
import { channelCooldowns, type CooldownPolicy } from '../channels/cooldown-policy.js'
import { kindOf } from '../channels/source-kinds/index.js'
import { SourceReader } from '../channels/source-kinds/reader.js'

// The channel commands of SPEC §11 but the build and the exports: thin over the channels
// repository and the checks of workers/channels/request.ts. Writes are idempotent with
// --idempotency-key; every refused body names each field and stores nothing.

export const findChannel = async (db: Store, id: string): Promise<Channel> => found(await db.channels.get(id), 'channel', id)

/** Adds a problem for every source a body names (a playlist, a group of one, a collection) that the store does not hold. */
export async function checkSources (db: Store, problems: Problems): Promise<void> {
  const reader = new SourceReader(db)
  for (const ref of problems.references) {
    const why = await kindOf(ref.source).refused(reader, ref.source)
    if (why !== null) problems.add(ref.field, why)
  }
}

export const CHANNEL_OPTION = { channel: { type: 'string' } } as const

/** What a body write's callbacks are given. */
interface BodyWrite { db: Store, body: unknown, id: string | null, positionals: string[], ctx: Pick<CommandContext, 'options' | 'requestId' | 'now'> }

/**
 * A write with its body: checked whole, then committed once (Idempotency-Key), if the channel
 * is still at --if-match's revision (SPEC §12), with its history entry (who: --by/--role).
 */
function bodyWrite<T> (
  name: string,
  summary: string,
  usage: string,
  write: (w: BodyWrite, tx: Store) => Promise<T>,
  check: (db: Store, body: unknown, id: string | null, options: OptionValues) => Promise<void>,
  { takesId = true, options: more = {} }: { takesId?: boolean, options?: CommandDefinition['options'] } = {}
): CommandDefinition<T> {
  return {
    summary,
    usage: `${takesId ? `--channel <id> [--if-match REVISION] ${AUTHOR_USAGE} ` : ''}${usage} ${IDEMPOTENCY_USAGE}`,
    options: { ...(takesId && { ...CHANNEL_OPTION, 'if-match': { type: 'string' } as const, ...AUTHOR_OPTIONS }), ...more, ...idempotencyOptions },
    async run ({ options, positionals, readInput, store, requestId, now }) {
      // The id is an option: by hand the positional is the body's file.
      const id = takesId ? requiredId(typeof options.channel === 'string' ? [options.channel] : [], 'channel') : null
      const ifMatch = revisionOption(options)
      const { input, body } = await jsonBody(readInput)
      const db = await store()
      const once = WriteOnce.of<T>(name, options, positionals, input)
      const replay = await once.earlier(db)
      if (replay !== undefined) return replay
      await check(db, body, id, options)
      return (await once.commit(db, async (tx) => {
        if (id !== null && ifMatch !== undefined) await checkedState(tx, { kind: 'channel', id }, ifMatch)
        return write({ db, body, id, positionals, ctx: { options, requestId, now } }, tx)
      })).answer
    }
  }
}

/** The channel's revision now (inside the write that raised it). */
const revisionNow = async (tx: Store, id: string): Promise<number> => found(await tx.edits.revision({ kind: 'channel', id }), 'channel', id)

export const createChannel = bodyWrite<ChannelAnswer>('create-channel', 'create a channel (SPEC §11)', '[channel.json]', async ({ body, ctx }, tx) => {
  const { channel } = readChannelCreate(body)
  return { channel: await withCoverage(tx, await tx.channels.create(channel), ctx.now()) }
}, async (db, body) => {
  const { problems } = readChannelCreate(body)
  await checkSources(db, problems)
  problems.refuse('the channel')
}, { takesId: false })

export const updateChannel = bodyWrite<ChannelAnswer>('update-channel', 'change a channel\'s fields', '[patch.json]', async ({ body, id, ctx }, tx) => {
  const was = channelSettings(await findChannel(tx, id!))
  const channel = found(await tx.channels.update(id!, readChannelPatch(body).patch), 'channel', id!)
  const now = channelSettings(channel)
  // Only the fields that changed: what an undo sets back.
  const fields = CHANNEL_SETTING_FIELDS.filter((f) => was[f] !== now[f])
  const side = (s: Required<ChannelSettings>): ChannelSettings => Object.fromEntries(fields.map((f) => [f, s[f]]))
  const before = side(was)
  const after = side(now)
  await recordWrite(tx, ctx, id!, channel.revision, { kind: 'channel', summary: describeChannel(before, after), detail: { settings: { before: { channel: before }, after: { channel: after } } } })
  return { channel: await withCoverage(tx, channel, ctx.now()) }
}, async (db, body, id) => {
  await findChannel(db, id!)
  const { problems } = readChannelPatch(body)
  await checkSources(db, problems)
  problems.refuse('the channel')
})

export const putTemplate = bodyWrite<TemplateAnswer>('put-template', 'replace a channel\'s weekly template (blocks)', '[template.json]', async ({ body, id, ctx }, tx) => {
  const before = found(await tx.channels.getTemplate(id!), 'channel', id!).template
  const stored = found(await tx.channels.putTemplate(id!, readTemplate(body).template), 'channel', id!)
  await recordWrite(tx, ctx, id!, stored.revision, {
    kind: 'template', summary: describeTemplate(before, stored.template), detail: { settings: { before: { template: before }, after: { template: stored.template } } }
  })
  return stored
}, async (db, body, id) => {
  await findChannel(db, id!)
  const { problems } = readTemplate(body)
  await checkSources(db, problems)
  problems.refuse('the template')
})

export const addOverride = bodyWrite<OverrideAnswer>('add-override', 'add a dated override (blocks and fixed events) to a channel', '[override.json]', async ({ body, id, ctx }, tx) => {
  const channel = await findChannel(tx, id!)
  const stored = found(await tx.channels.addOverride(id!, readOverride(body, channel.timezone).override), 'channel', id!)
  await recordWrite(tx, ctx, id!, await revisionNow(tx, id!), {
    kind: 'override', summary: describeOverride(null, stored), detail: { settings: { before: { overrides: { [stored.id]: null } }, after: { overrides: { [stored.id]: stored } } } }
  })
  return { override: overrideAnswer(stored) }
}, async (db, body, id) => {
  const channel = await findChannel(db, id!)
  const { problems } = readOverride(body, channel.timezone)
  await checkSources(db, problems)
  problems.refuse('the override')
})

/** The override `--override` names, or 404. */
async function storedOverride (db: Store, channelId: string, options: OptionValues): Promise<StoredOverride> {
  const overrideId = requiredId(typeof options.override === 'string' ? [options.override] : [], 'override')
  const stored = (await db.channels.listOverrides(channelId)).find((o) => o.id === overrideId)
  if (stored === undefined) throw notFound('override', overrideId)
  return stored
}

export const patchOverride = bodyWrite<OverrideAnswer>('patch-override', 'change an override of a channel: a JSON merge patch (SPEC §14; blocks and events replaced whole)', '--override <id> [patch.json]', async ({ body, id, ctx }, tx) => {
  const channel = await findChannel(tx, id!)
  const before = await storedOverride(tx, id!, ctx.options)
  const after: StoredOverride = { ...before, ...readOverridePatch(body, before, channel.timezone).override }
  await tx.channels.updateOverride(after)
  await recordWrite(tx, ctx, id!, await revisionNow(tx, id!), {
    kind: 'override', summary: describeOverride(before, after), detail: { settings: { before: { overrides: { [before.id]: before } }, after: { overrides: { [after.id]: after } } } }
  })
  return { override: overrideAnswer(after) }
}, async (db, body, id, options) => {
  const channel = await findChannel(db, id!)
  const { problems } = readOverridePatch(body, await storedOverride(db, id!, options), channel.timezone)
  await checkSources(db, problems)
  problems.refuse('the override')
}, { options: { override: { type: 'string' } } })

export const listChannels: CommandDefinition<ChannelList> = {
  summary: 'list channels by number',
  async run ({ store, now }) {
    const db = await store()
    const channels: Channel[] = []
    for (const channel of await db.channels.list()) channels.push(await withCoverage(db, channel, now()))
    return { channels, count: channels.length }
  }
}

export const getChannel: CommandDefinition<ChannelAnswer> = {
  summary: 'one channel',
  usage: '<id>',
  async run ({ positionals, store, now }) {
    const db = await store()
    return { channel: await withCoverage(db, await findChannel(db, requiredId(positionals, 'channel')), now()) }
  }
}

export const deleteChannel = deleteById('channel', 'delete a channel, its template, overrides and built events (placed schedules stay, taken off it)', (tx, id) => tx.channels.delete(id))

export const getTemplate: CommandDefinition<TemplateAnswer> = {
  summary: 'a channel\'s weekly template',
  usage: '<id>',
  async run ({ positionals, store }) {
    const id = requiredId(positionals, 'channel')
    return found(await (await store()).channels.getTemplate(id), 'channel', id)
  }
}

export const listOverrides: CommandDefinition<OverrideList> = {
  summary: 'a channel\'s overrides, the later winning',
  usage: '<id>',
  async run ({ positionals, store }) {
    const id = requiredId(positionals, 'channel')
    const db = await store()
    await findChannel(db, id)
    const overrides = (await db.channels.listOverrides(id)).map(overrideAnswer)
    return { overrides, count: overrides.length }
  }
}

export const deleteOverride: CommandDefinition<DeleteAnswer> = {
  summary: 'delete one override of a channel',
  usage: `<channel id> <override id> [--if-match REVISION] ${AUTHOR_USAGE} ${IDEMPOTENCY_USAGE}`,
  options: { 'if-match': { type: 'string' }, ...AUTHOR_OPTIONS, ...idempotencyOptions },
  async run ({ options, positionals, store, requestId }) {
    if (positionals.length !== 2) throw new CommandError('BAD_ARGUMENTS', 'give the channel id and the override id')
    const id = requiredId(positionals.slice(0, 1), 'channel')
    const overrideId = requiredId(positionals.slice(1), 'override')
    const ifMatch = revisionOption(options)
    const db = await store()
    const once = WriteOnce.of<DeleteAnswer>('delete-override', options, positionals)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    return (await once.commit(db, async (tx) => {
      if (ifMatch !== undefined) await checkedState(tx, { kind: 'channel', id }, ifMatch)
      const before = await storedOverride(tx, id, { override: overrideId })
      if (!await tx.channels.deleteOverride(id, overrideId)) throw notFound('override', overrideId)
      await recordWrite(tx, { options, requestId }, id, await revisionNow(tx, id), {
        kind: 'override', summary: describeOverride(before, null), detail: { settings: { before: { overrides: { [overrideId]: before } }, after: { overrides: { [overrideId]: null } } } }
      })
      return { status: 'success', deleted: overrideId }
    })).answer
  }
}

/** A stored event as the API answers it (SPEC §11's event shape). */
export const channelEventAnswer = (e: StoredChannelEvent): ChannelEvent => ({
  ...airedEvent(e.id, e),
  origin: e.origin,
  reason: e.reason,
  pinned: e.pinned,
  schedule_id: e.schedule_id,
  guide_id: e.guide_id,
  programme_id: e.programme_id,
  segment_role: e.segment_role,
  in_ms: e.in_ms,
  episode_num: e.episode_num
})

/**
 * What a paged read of a channel (channel-events, channel-programmes) reads first: the channel,
 * its range (default now → now + 7 days when neither a range nor a cursor is given), cursor and limit.
 */
export async function pagedChannelRead ({ options, positionals, store }: CommandContext) {
  const id = requiredId(positionals, 'channel')
  const limit = limitOption(options, MAX_PAGE)
  const after = cursorOption(options)
  const db = await store()
  const channel = await findChannel(db, id)
  const asked = channelRange(options, channel.timezone)
  const range = asked.from === undefined && asked.to === undefined && after === undefined ? defaultChannelRange(Date.now()) : asked
  return { db, id, channel, range, after, limit }
}

export const channelEvents: CommandDefinition<ChannelEvents> = {
  summary: 'what a channel airs in a range (default now → now + 7 days), a page at a time: built events and those of schedules placed on it',
  usage: `<id> [--from ISO] [--to ISO] [--cursor C] [--limit N ≤ ${MAX_PAGE}]`,
  options: { from: { type: 'string' }, to: { type: 'string' }, cursor: { type: 'string' }, limit: { type: 'string' } },
  async run (ctx) {
    const { db, id, channel, range, after, limit } = await pagedChannelRead(ctx)
    const page = await db.channels.channelEventsPage(id, range, { after, limit })
    const last = page.events.at(-1)
    const next = page.more && last !== undefined ? nextPageUrl(`/api/channels/${id}/events`, range, last, limit) : undefined
    return { channel: await withCoverage(db, channel, ctx.now()), events: await markedPage(db, id, page.events), ...(next !== undefined && { next }) }
  }
}

/**
 * A page's events with their marks. Marks need the neighbours (an overlap with the event before
 * the page, a replay inside the cooldown), so the page's span widened by the longest cooldown
 * any item may have is read: the cost follows the page, never the channel.
 */
async function markedPage (db: Store, id: string, events: StoredChannelEvent[]): Promise<ChannelEvent[]> {
  if (events.length === 0) return []
  const policy = await channelCooldowns(db, id)
  const window = policy?.longestMs ?? DEFAULT_COOLDOWN_HOURS * 3_600_000
  const from = events.reduce((min, e) => Math.min(min, e.start), Infinity)
  const to = events.reduce((max, e) => Math.max(max, e.end), -Infinity)
  const around = await db.channels.markEvents(id, { from: from - window, to: to + window })
  const marks = channelMarks(around, policy)
  const byId = new Map(around.map((e, i) => [e.id, marks[i]]))
  return events.map((e) => {
    const mark = byId.get(e.id)
    return { ...channelEventAnswer(e), marks: mark?.bits ?? 0, ...(mark?.replayOf !== undefined && { replay_of: mark.replayOf }) }
  })
}

interface Mark { bits: number, replayOf?: NonNullable<ChannelEvent['replay_of']> }

/**
 * Per event, the timeline's mark bits (SPEC §11: overlaps and cooldowns counted per channel).
 * A replay is counted between airings only (SPEC §15): an exempt piece is none, and only an
 * airing's first part counts; a replay names the airing it follows.
 */
function channelMarks (events: MarkEvent[], policy: CooldownPolicy | null): Mark[] {
  const timed = events.map((e, index) => ({ index, title: e.title, start: e.start, end: e.end, channel: null }))
  const overlapping = overlappingEvents(timed)
  const replayed = new Map<number, number | null>()
  findCooldownViolations(airings(events, policy), 0, { maxListed: 0, onViolation: (index, previous) => replayed.set(index, previous) })
  return timed.map((e, i): Mark => {
    const bits = (overlapping.has(e) ? TIMELINE_MARKS.overlap : 0) | (replayed.has(i) ? TIMELINE_MARKS.cooldown : 0)
    const previous = replayed.get(i)
    if (previous === undefined || previous === null) return { bits }
    const before = events[previous]
    const hours = Math.round(((events[i].start - before.start) / 3_600_000) * 100) / 100
    return { bits, replayOf: { event_id: before.id, title: before.title, start: iso(before.start), hours_since_previous: hours } }
  })
}

/** The events that are airings (SPEC §15), each with its own cooldown: the first part of each programme's video, exempt pieces left out. */
function airings (events: MarkEvent[], policy: CooldownPolicy | null): PlayedEvent[] {
  const played: PlayedEvent[] = []
  const seen = new Set<string>()
  events.forEach((e, index) => {
    const cooldownMs = policy === null ? DEFAULT_COOLDOWN_HOURS * 3_600_000 : policy.of(e)
    if (cooldownMs === null) return
    // A later part of an airing (the same video again in its programme) is no new airing.
    const part = e.programme_id === null ? null : `${e.programme_id} ${videoKey(e)}`
    if (part !== null && seen.has(part)) return
    if (part !== null) seen.add(part)
    played.push({ index, title: e.title, start: e.start, video_url: e.video_url, cooldownMs })
  })
  return played
}

export const placeSchedule: CommandDefinition<PlaceScheduleAnswer> = {
  summary: 'put a schedule on a channel (its events air there), or take it off with --channel none',
  usage: `<schedule id> --channel <channel id>|none ${IDEMPOTENCY_USAGE}`,
  options: { channel: { type: 'string' }, ...idempotencyOptions },
  async run ({ options, positionals, store }) {
    const scheduleId = requiredId(positionals, 'schedule')
    const given = options.channel
    if (typeof given !== 'string') throw new CommandError('BAD_REQUEST', 'give --channel <id> or --channel none', [{ field: 'channel_id', message: 'required' }])
    const channelId = given === 'none' ? null : given
    if (channelId !== null && !isRecordId(channelId)) throw new CommandError('VALIDATION_FAILED', `no channel with id ${channelId}`, [{ field: 'channel_id', message: 'unknown channel' }])
    const db = await store()
    const once = WriteOnce.of<PlaceScheduleAnswer>('place-schedule', options, positionals)
    const replay = await once.earlier(db)
    if (replay !== undefined) return replay
    return (await once.commit(db, async (tx) => {
      const placed = await tx.channels.placeSchedule(scheduleId, channelId)
      if (placed === 'no-schedule') throw notFound('schedule', scheduleId)
      if (placed === 'no-channel') throw new CommandError('VALIDATION_FAILED', `no channel with id ${channelId!}`, [{ field: 'channel_id', message: 'unknown channel' }])
      return { status: 'success', schedule_id: scheduleId, channel_id: channelId }
    })).answer
  }
}

/**
 * --from/--to of a channel's events or exports: ISO date-times as for schedules, or local
 * days as its builds take them: from the start of `from`'s day to the end of `to`'s, both
 * included, in the channel's zone (23 or 25 h on a clock-change day).
 */
export function channelRange (options: OptionValues, zone: string): TimeRange {
  const day = (value: unknown): ReturnType<typeof localDays>[number] | undefined =>
    typeof value === 'string' && isLocalDate(value) ? localDays(value, value, zone)[0] : undefined
  const from = day(options.from)
  const to = day(options.to)
  const rest = rangeOption({ ...options, from: from === undefined ? options.from : undefined, to: to === undefined ? options.to : undefined }, zone)
  const range = { from: from?.start ?? rest.from, to: to?.end ?? rest.to }
  if (range.from !== undefined && range.to !== undefined && range.to <= range.from) {
    throw new CommandError('BAD_REQUEST', 'to must be after from', [{ field: 'to', message: 'not after from' }])
  }
  return range
}
