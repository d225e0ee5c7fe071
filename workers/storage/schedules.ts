import { newId } from '../ids.js'
import { sql, type Selectable } from 'kysely'
import { iso, type ScheduleEvent, type ScheduleSummary, type StoredEvent } from '../schedule/model.js'
import type { ChannelEvent, NewSchedule, Play, ScheduleDetail, ScheduleRepository, StoredReport } from './store.js'
import { videoKey } from '../schedule/checks/cooldown.js'
import { DEFAULT_COOLDOWN_HOURS } from '../../contract/limits.js'
import { isInstantInRange, type TimeRange } from '../schedule/time.js'
import { isObject } from '../json.js'
import { readJsonColumn, storageWarning, type OddRowWarning } from './read-column.js'
import { slug } from '../schedule/export/naming.js'
import { rowsOf, type Scope } from './dialect.js'
import type { Database, SchedulesTable } from './tables.js'
import { channelsAiring, raiseChannels, storedEvent, type EventRow } from './event-rows.js'
import { playsIn } from './plays.js'

/** The warnings column as createSchedule writes it; a list missing or odd (an earlier version's row) reads as empty. */
function storedReport (column: string): StoredReport {
  const value = readJsonColumn(column, isObject, {})
  return {
    duplicates: Array.isArray(value.duplicates) ? value.duplicates as StoredReport['duplicates'] : [],
    notes: Array.isArray(value.notes) ? value.notes.filter((n): n is string => typeof n === 'string') : []
  }
}

const cooldownHours = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_COOLDOWN_HOURS)

type ScheduleRow = Omit<Selectable<SchedulesTable>, 'revision'>

const EVENT_COLUMNS = ['id', 'title', 'start_ms', 'end_ms', 'video_url', 'category', 'description', 'tags', 'channel'] as const

// Reads never fail for everyone because one row is odd: a database written by an earlier
// version may hold an instant outside years 1–9999 (which no Date can format) or a column
// that is not the JSON it should be. Such an instant reads as null in a summary; such an
// event is left out of what is read, with a warning in the log naming it.

const instantOrNull = (ms: number | null): string | null => (isInstantInRange(ms) ? iso(ms) : null)

const SUMMARY_COLUMNS = ['id', 'name', 'source', 'created', 'event_count', 'first_start_ms', 'last_end_ms'] as const

const summary = (row: Pick<ScheduleRow, typeof SUMMARY_COLUMNS[number]>): ScheduleSummary => ({
  id: row.id,
  name: row.name,
  source: row.source,
  created: row.created,
  event_count: row.event_count,
  first_start: instantOrNull(row.first_start_ms),
  last_end: instantOrNull(row.last_end_ms)
})

const isReadableEvent = (row: EventRow): boolean => isInstantInRange(row.start_ms) && isInstantInRange(row.end_ms) && row.end_ms > row.start_ms

/** The events of a schedule that can be read; the rest are named in one log warning. */
function readableEvents (scheduleId: string, rows: EventRow[], warn: OddRowWarning): StoredEvent[] {
  const readable = rows.filter(isReadableEvent)
  if (readable.length < rows.length) {
    const odd = rows.filter((row) => !isReadableEvent(row))
    warn('stored events left out: their start or end is outside years 1–9999 or not after the start', {
      schedule_id: scheduleId, left_out: odd.length, event_ids: odd.slice(0, 20).map((row) => row.id)
    })
  }
  return readable.map(storedEvent)
}

/**
 * `<slug of the name>.scheduleflow`, with `-2`, `-3`… before the suffix when another schedule
 * has it: only letters, digits, dots and hyphens, which every IPTV client and guide grabber
 * (Plex, Jellyfin) takes as a channel id. Called under the write lock: no race takes it meanwhile.
 */
async function freeChannelId (tx: Database, name: string): Promise<string> {
  const base = slug(name)
  const taken = async (id: string): Promise<boolean> =>
    await tx.selectFrom('schedules').select('id').where('channel_id', '=', id).executeTakeFirst() !== undefined
  let id = `${base}.scheduleflow`
  for (let n = 2; await taken(id); n++) id = `${base}-${n}.scheduleflow`
  return id
}

export class KyselyScheduleRepository implements ScheduleRepository {
  constructor (private readonly scope: Scope, private readonly warn: OddRowWarning = storageWarning) {}

  async createSchedule ({
    name,
    source,
    channels,
    events,
    warnings,
    cooldown_hours,
    channel_ref = null,
    channel_of_xmltv_id
  }: NewSchedule): Promise<ScheduleSummary> {
    let first: number | null = null
    let last: number | null = null
    for (const e of events) {
      if (first === null || e.start < first) first = e.start
      if (last === null || e.end > last) last = e.end
    }
    const row: ScheduleRow = {
      id: newId(),
      name,
      source,
      created: new Date().toISOString(),
      event_count: events.length,
      first_start_ms: first,
      last_end_ms: last,
      metadata: JSON.stringify({ channels, cooldown_hours: cooldownHours(cooldown_hours) }),
      warnings: JSON.stringify({ duplicates: warnings.duplicates, notes: warnings.notes }),
      channel_id: null,
      channel_ref
    }
    const channelOf = (e: ScheduleEvent): string | null =>
      channel_ref ?? (e.channel === null || channel_of_xmltv_id === undefined ? null : channel_of_xmltv_id.get(e.channel) ?? null)
    await this.scope.write(async (tx) => {
      row.channel_id = await freeChannelId(tx, name)
      await tx.insertInto('schedules').values(row).execute()
      // channel_ref's trigger raises its channel's revision; channels that get events by their
      // XMLTV id are raised here, so their guide's ETag changes with what they air.
      if (channel_ref === null && channel_of_xmltv_id !== undefined) await raiseChannels(tx, [...new Set(channel_of_xmltv_id.values())])
      await this.scope.dialect.insertRows(tx, 'events', rowsOf(events, (e, position) => ({
        id: newId(),
        schedule_id: row.id,
        channel_id: channelOf(e),
        position,
        title: e.title,
        start_ms: e.start,
        end_ms: e.end,
        video_url: e.video_url,
        video_key: videoKey(e),
        category: e.category,
        description: e.description,
        tags: JSON.stringify(e.tags),
        channel: e.channel
      })))
    })
    return summary(row)
  }

  async listSchedules (): Promise<ScheduleSummary[]> {
    // The summary's columns only: a schedule's metadata and stored report are not listed.
    return (await this.scope.db().selectFrom('schedules').select(SUMMARY_COLUMNS).orderBy('created', 'desc').orderBy('name').execute()).map(summary)
  }

  async getSchedule (id: string): Promise<ScheduleDetail | null> {
    const row = await this.scope.db().selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst()
    if (row === undefined) return null
    const metadata = readJsonColumn(row.metadata, isObject, {})
    const channels = Array.isArray(metadata.channels) ? metadata.channels as ScheduleDetail['channels'] : []
    return { ...summary(row), channel_id: row.channel_id ?? `${row.id}.scheduleflow`, placed_on: row.channel_ref, channels, cooldown_hours: cooldownHours(metadata.cooldown_hours), report: storedReport(row.warnings), revision: Number(row.revision) }
  }

  async listEvents (scheduleId: string, { from, to }: TimeRange = {}): Promise<StoredEvent[]> {
    const rows = await this.scope.db().selectFrom('events').select(EVENT_COLUMNS)
      .where('schedule_id', '=', scheduleId)
      .where('start_ms', '<', to ?? Number.MAX_SAFE_INTEGER)
      .where('end_ms', '>', from ?? Number.MIN_SAFE_INTEGER)
      .orderBy('start_ms').orderBy('end_ms').orderBy('position')
      .execute()
    return readableEvents(scheduleId, rows, this.warn)
  }

  async playsOutside (scheduleId: string, from: number, to: number, channelId?: string): Promise<Iterable<Play>> {
    return playsIn(this.scope, from, to, { except: scheduleId, channelId })
  }

  async placedEventsOutside (scheduleId: string, channelId: string, from: number, to: number): Promise<ChannelEvent[]> {
    // As channelEventsOutside, by the channel_id indexes.
    const db = this.scope.db()
    const length = sql<number>`end_ms - start_ms`
    const longest = await db.selectFrom('events').select(length.as('length')).where('channel_id', '=', channelId).orderBy(length, 'desc').limit(1).executeTakeFirst()
    if (longest === undefined) return []
    const rows = await db.selectFrom('events').select(['id', 'schedule_id', 'title', 'start_ms', 'end_ms'])
      .where('channel_id', '=', channelId)
      .where('start_ms', '>', from - Number(longest.length) - 1)
      .where('start_ms', '<', to)
      .where('end_ms', '>', from)
      .where((eb) => eb.or([eb('schedule_id', 'is', null), eb('schedule_id', '<>', scheduleId)]))
      .execute()
    return rows.filter((row) => isInstantInRange(row.start_ms) && isInstantInRange(row.end_ms) && row.end_ms > row.start_ms)
      .map((row) => ({ id: row.id, schedule_id: row.schedule_id, title: row.title, start: row.start_ms, end: row.end_ms, channel: channelId }))
  }

  async channelEventsOutside (scheduleId: string, channels: string[], from: number, to: number): Promise<ChannelEvent[]> {
    // An event on air in [from, to) starts before `to` and at most the channel's longest event before `from`:
    // both bounds are ranges of events_by_channel_start, the longest is read from events_by_channel_length
    // (the expression written as the index has it, so the index is used).
    const db = this.scope.db()
    const length = sql<number>`end_ms - start_ms`
    const found: ChannelEvent[] = []
    for (const channel of channels) {
      const longest = await db.selectFrom('events').select(length.as('length')).where('channel', '=', channel).orderBy(length, 'desc').limit(1).executeTakeFirst()
      if (longest === undefined) continue
      const rows = await db.selectFrom('events').select(['id', 'schedule_id', 'title', 'start_ms', 'end_ms', 'channel'])
        .where('channel', '=', channel)
        .where('start_ms', '>', from - longest.length - 1)
        .where('start_ms', '<', to)
        .where('end_ms', '>', from)
        // not `schedule_id <> ?` alone: that is NULL, so false, for an event a channel's build made
        .where((eb) => eb.or([eb('schedule_id', 'is', null), eb('schedule_id', '<>', scheduleId)]))
        .execute()
      for (const row of rows) {
        if (isInstantInRange(row.start_ms) && isInstantInRange(row.end_ms) && row.end_ms > row.start_ms) {
          found.push({ id: row.id, schedule_id: row.schedule_id, title: row.title, start: row.start_ms, end: row.end_ms, channel: row.channel! })
        }
      }
    }
    return found
  }

  async deleteSchedule (id: string): Promise<boolean> {
    const { numDeletedRows } = await this.scope.write(async (tx) => {
      await raiseChannels(tx, await channelsAiring(tx, id))
      return tx.deleteFrom('schedules').where('id', '=', id).executeTakeFirstOrThrow()
    })
    return numDeletedRows > 0n
  }

  async deleteAllSchedules (): Promise<number> {
    const { numDeletedRows } = await this.scope.write(async (tx) => {
      await raiseChannels(tx, await channelsAiring(tx, null))
      return tx.deleteFrom('schedules').executeTakeFirstOrThrow()
    })
    return Number(numDeletedRows)
  }
}
