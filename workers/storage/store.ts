import type { ChannelInfo, ScheduleEvent, ScheduleSource, ScheduleSummary, StoredEvent } from '../schedule/model.js'
import type { PlaylistItem } from '../playlist/model.js'

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

export interface PlaylistSummary { id: string, name: string, created: string, item_count: number }
export interface NewPlaylist { name: string, attributes: Record<string, string>, items: PlaylistItem[] }
export interface PlaylistDetail extends PlaylistSummary { attributes: Record<string, string>, items: PlaylistItem[] }

export interface PlaylistRepository {
  createPlaylist(playlist: NewPlaylist): PlaylistSummary
  listPlaylists(): PlaylistSummary[]
  getPlaylist(id: string): PlaylistDetail | null
  deletePlaylist(id: string): boolean
}

/** A stored play of a video: what the auto-fill cooldown is counted against. */
export interface Play { video_key: string, start: number }

export interface Store {
  readonly kind: 'sqlite'
  readonly schedules: ScheduleRepository
  readonly playlists: PlaylistRepository
  /** Every stored play starting in [from, to), in every schedule. */
  playsBetween(from: number, to: number): Iterable<Play>
  /** Runs `work` holding the write lock, so what it read is still true when it writes. */
  exclusive<T>(work: () => T): T
  schemaVersion(): number
  counts(): StoreCounts
  close(): void
}
