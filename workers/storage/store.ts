import type { ChannelInfo, ScheduleEvent, ScheduleSource, ScheduleSummary, StoredEvent } from '../schedule/model.js'

// What the CLI commands need from a database. SQLite implements it now; a
// PostgreSQL implementation is planned behind the same interface. Every method
// that writes does all of its writes in one transaction.

export interface StoreCounts {
  schedules: number
  events: number
  playlists: number
  playlist_items: number
}

export interface NewSchedule {
  name: string
  source: ScheduleSource
  channels: ChannelInfo[]
  events: ScheduleEvent[]
  /** The import's report, kept so a schedule's warnings survive restarts. */
  warnings: unknown
}

export interface ScheduleDetail extends ScheduleSummary {
  channels: ChannelInfo[]
  warnings: unknown
}

/** Half-open [from, to) in epoch ms: events that are on air at some instant of it. */
export interface TimeRange { from?: number, to?: number }

export interface ScheduleRepository {
  createSchedule(schedule: NewSchedule): ScheduleSummary
  listSchedules(): ScheduleSummary[]
  getSchedule(id: string): ScheduleDetail | null
  /** In air order (start, then end). */
  listEvents(scheduleId: string, range?: TimeRange): StoredEvent[]
  deleteSchedule(id: string): boolean
  deleteAllSchedules(): number
}

export interface Store {
  readonly kind: 'sqlite'
  readonly schedules: ScheduleRepository
  schemaVersion(): number
  counts(): StoreCounts
  close(): void
}
