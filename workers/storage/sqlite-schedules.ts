import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { iso, type ScheduleSource, type ScheduleSummary, type StoredEvent } from '../schedule/model.js'
import type { ChannelEvent, NewSchedule, Play, ScheduleDetail, ScheduleRepository, StoredReport, TimeRange } from './store.js'
import { DEFAULT_COOLDOWN_HOURS, videoKey } from '../schedule/checks/cooldown.js'
import { isInstantInRange } from '../schedule/time.js'
import { isObject } from '../json.js'
import { readJsonColumn, storageWarning, type OddRowWarning } from './read-column.js'
import { slug } from '../schedule/export/naming.js'

/** The warnings column as createSchedule writes it; a list missing or odd (an earlier version's row) reads as empty. */
function storedReport (column: string): StoredReport {
  const value = readJsonColumn(column, isObject, {})
  return {
    duplicates: Array.isArray(value.duplicates) ? value.duplicates as StoredReport['duplicates'] : [],
    notes: Array.isArray(value.notes) ? value.notes.filter((n): n is string => typeof n === 'string') : []
  }
}

const cooldownHours = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : DEFAULT_COOLDOWN_HOURS)

interface ScheduleRow {
  id: string
  name: string
  source: ScheduleSource
  created: string
  event_count: number
  first_start_ms: number | null
  last_end_ms: number | null
  metadata: string
  warnings: string
  /** null only in a row no migration has reached */
  channel_id: string | null
}

interface EventRow {
  id: string
  title: string
  start_ms: number
  end_ms: number
  video_url: string | null
  category: string | null
  description: string | null
  tags: string
  channel: string | null
}

// Reads never fail for everyone because one row is odd: a database written by an earlier
// version may hold an instant outside years 1–9999 (which no Date can format) or a column
// that is not the JSON it should be. Such an instant reads as null in a summary; such an
// event is left out of what is read, with a warning in the log naming it.

const instantOrNull = (ms: number | null): string | null => (isInstantInRange(ms) ? iso(ms) : null)

const summary = (row: ScheduleRow): ScheduleSummary => ({
  id: row.id,
  name: row.name,
  source: row.source,
  created: row.created,
  event_count: row.event_count,
  first_start: instantOrNull(row.first_start_ms),
  last_end: instantOrNull(row.last_end_ms)
})

const isReadableEvent = (row: EventRow): boolean => isInstantInRange(row.start_ms) && isInstantInRange(row.end_ms) && row.end_ms > row.start_ms

const event = (row: EventRow): StoredEvent => ({
  id: row.id,
  title: row.title,
  start: row.start_ms,
  end: row.end_ms,
  video_url: row.video_url,
  category: row.category,
  description: row.description,
  tags: readJsonColumn(row.tags, (v): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string'), []),
  channel: row.channel
})

/** The events of a schedule that can be read; the rest are named in one log warning. */
function readableEvents (scheduleId: string, rows: EventRow[], warn: OddRowWarning): StoredEvent[] {
  const readable = rows.filter(isReadableEvent)
  if (readable.length < rows.length) {
    const odd = rows.filter((row) => !isReadableEvent(row))
    warn('stored events left out: their start or end is outside years 1–9999 or not after the start', {
      schedule_id: scheduleId, left_out: odd.length, event_ids: odd.slice(0, 20).map((row) => row.id)
    })
  }
  return readable.map(event)
}

export class SqliteScheduleRepository implements ScheduleRepository {
  private readonly insertSchedule: Database.Statement
  private readonly insertEvent: Database.Statement
  private readonly channelIdTaken: Database.Statement

  constructor (private readonly db: Database.Database, private readonly warn: OddRowWarning = storageWarning) {
    this.insertSchedule = db.prepare(`INSERT INTO schedules (id, name, source, created, event_count, first_start_ms, last_end_ms, metadata, warnings, channel_id)
      VALUES (@id, @name, @source, @created, @event_count, @first_start_ms, @last_end_ms, @metadata, @warnings, @channel_id)`)
    this.channelIdTaken = db.prepare('SELECT 1 FROM schedules WHERE channel_id = ?').pluck()
    this.insertEvent = db.prepare(`INSERT INTO events (id, schedule_id, position, title, start_ms, end_ms, video_url, video_key, category, description, tags, channel)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  }

  createSchedule ({ name, source, channels, events, warnings, cooldown_hours }: NewSchedule): ScheduleSummary {
    let first: number | null = null
    let last: number | null = null
    for (const e of events) {
      if (first === null || e.start < first) first = e.start
      if (last === null || e.end > last) last = e.end
    }
    const row: ScheduleRow = {
      id: randomUUID(),
      name,
      source,
      created: new Date().toISOString(),
      event_count: events.length,
      first_start_ms: first,
      last_end_ms: last,
      metadata: JSON.stringify({ channels, cooldown_hours: cooldownHours(cooldown_hours) }),
      warnings: JSON.stringify({ duplicates: warnings.duplicates, notes: warnings.notes }),
      channel_id: null
    }
    // IMMEDIATE: take the write lock up front, so a busy database makes this wait (busy_timeout), not fail halfway.
    this.db.transaction(() => {
      row.channel_id = this.freeChannelId(name)
      this.insertSchedule.run(row)
      events.forEach((e, position) => {
        this.insertEvent.run(randomUUID(), row.id, position, e.title, e.start, e.end, e.video_url, videoKey(e),
          e.category, e.description, JSON.stringify(e.tags), e.channel)
      })
    }).immediate()
    return summary(row)
  }

  /**
   * `<slug of the name>.scheduleflow`, with `-2`, `-3`… before the suffix when another schedule
   * has it: only letters, digits, dots and hyphens, which every IPTV client and guide grabber
   * (Plex, Jellyfin) takes as a channel id. Called under the write lock: no race takes it meanwhile.
   */
  private freeChannelId (name: string): string {
    const base = slug(name)
    let id = `${base}.scheduleflow`
    for (let n = 2; this.channelIdTaken.get(id) !== undefined; n++) id = `${base}-${n}.scheduleflow`
    return id
  }

  listSchedules (): ScheduleSummary[] {
    return (this.db.prepare('SELECT * FROM schedules ORDER BY created DESC, name').all() as ScheduleRow[]).map(summary)
  }

  getSchedule (id: string): ScheduleDetail | null {
    const row = this.db.prepare('SELECT * FROM schedules WHERE id = ?').get(id) as ScheduleRow | undefined
    if (row === undefined) return null
    const metadata = readJsonColumn(row.metadata, isObject, {})
    const channels = Array.isArray(metadata.channels) ? metadata.channels as ScheduleDetail['channels'] : []
    return { ...summary(row), channel_id: row.channel_id ?? `${row.id}.scheduleflow`, channels, cooldown_hours: cooldownHours(metadata.cooldown_hours), report: storedReport(row.warnings) }
  }

  listEvents (scheduleId: string, { from, to }: TimeRange = {}): StoredEvent[] {
    const rows = this.db.prepare(`SELECT id, title, start_ms, end_ms, video_url, category, description, tags, channel FROM events
      WHERE schedule_id = ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms, end_ms, position`)
      .all(scheduleId, to ?? Number.MAX_SAFE_INTEGER, from ?? Number.MIN_SAFE_INTEGER) as EventRow[]
    return readableEvents(scheduleId, rows, this.warn)
  }

  playsOutside (scheduleId: string, from: number, to: number): Iterable<Play> {
    // events_by_start: one range of the index, whatever the number of schedules.
    const rows = this.db.prepare('SELECT video_key, start_ms FROM events WHERE start_ms >= ? AND start_ms < ? AND schedule_id <> ?').raw()
      .iterate(from, to, scheduleId) as Iterable<[string, number]>
    return (function * () { for (const [video_key, start] of rows) yield { video_key, start } })()
  }

  channelEventsOutside (scheduleId: string, channels: string[], from: number, to: number): ChannelEvent[] {
    // An event on air in [from, to) starts before `to` and at most the channel's longest event before `from`:
    // both bounds are ranges of events_by_channel_start, the longest is read from events_by_channel_length.
    const longest = this.db.prepare('SELECT end_ms - start_ms FROM events WHERE channel = ? ORDER BY end_ms - start_ms DESC LIMIT 1').pluck()
    const onAir = this.db.prepare(`SELECT id, schedule_id, title, start_ms, end_ms, channel FROM events
      WHERE channel = ? AND start_ms > ? AND start_ms < ? AND end_ms > ? AND schedule_id <> ?`)
    const found: ChannelEvent[] = []
    for (const channel of channels) {
      const length = longest.get(channel) as number | undefined
      if (length === undefined) continue
      const rows = onAir.all(channel, from - length - 1, to, from, scheduleId) as (Omit<EventRow, 'video_url' | 'category' | 'description' | 'tags'> & { schedule_id: string, channel: string })[]
      for (const row of rows) {
        if (isInstantInRange(row.start_ms) && isInstantInRange(row.end_ms) && row.end_ms > row.start_ms) {
          found.push({ id: row.id, schedule_id: row.schedule_id, title: row.title, start: row.start_ms, end: row.end_ms, channel: row.channel })
        }
      }
    }
    return found
  }

  deleteSchedule (id: string): boolean {
    return this.db.prepare('DELETE FROM schedules WHERE id = ?').run(id).changes > 0
  }

  deleteAllSchedules (): number {
    return this.db.transaction(() => this.db.prepare('DELETE FROM schedules').run().changes).immediate()
  }
}
