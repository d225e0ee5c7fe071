import type { TimeRange } from '../schedule/time.js'
import type { ChannelInfo, ScheduleEvent, ScheduleSource, ScheduleSummary, StoredEvent } from '../schedule/model.js'
import type { PlaylistItem } from '../playlist/model.js'
import type { ImportWarnings, PlaylistSummary, StorageKind, StoreCounts } from '../../contract/api.js'
import type { ChannelRepository } from './channels.js'
import type { GuideMode } from '../../contract/programmes.js'
import type { KyselyEditRepository } from './edits.js'
import type { KyselyProgrammeRepository } from './programmes.js'
import type { KyselyAlarmRepository } from './alarms.js'
import type { KyselyMediaRepository } from './media.js'
import type { KyselyFeedTokenRepository } from './feed-tokens.js'
import type { KyselyKeyNameRepository } from './key-names.js'
import type { KyselyPublishTargetRepository } from './publish-targets.js'

export type { ImportWarnings, PlaylistSummary, StoreCounts }

// What the CLI commands need from a database, asynchronous throughout so that SQLite and
// PostgreSQL answer through the same interface. Every method that writes does
// all of its writes in one transaction: its own, or the one exclusive() holds.

export interface NewSchedule {
  name: string
  source: ScheduleSource
  channels: ChannelInfo[]
  events: ScheduleEvent[]
  /**
   * The import's report. Only what the stored events cannot tell again is kept: the duplicates
   * left out and the reader's notes. Overlaps and cooldown replays are worked out when the
   * schedule is read (workers/schedule/checks/stored-warnings.ts), against the schedules stored then.
   */
  warnings: StoredReport
  /** The cooldown its replays are read against; default DEFAULT_COOLDOWN_HOURS (contract/limits.ts). */
  cooldown_hours?: number
  /** The channel (SPEC §11) it is placed on: its events air on that channel. */
  channel_ref?: string | null
  /**
   * Without channel_ref: the stored channel each XMLTV channel id's events air on (an XMLTV
   * import that creates its channels); events of an id not in it air on none.
   */
  channel_of_xmltv_id?: ReadonlyMap<string, string>
}

/** What a schedule keeps of its import's report. */
export type StoredReport = Pick<ImportWarnings, 'duplicates' | 'notes'>

export interface ScheduleDetail extends ScheduleSummary {
  /** The stable channel id of the schedule's own events (migration 4). */
  channel_id: string
  /** The channel (SPEC §11) it is placed on, or null. */
  placed_on: string | null
  channels: ChannelInfo[]
  cooldown_hours: number
  /** Empty lists when the stored report cannot be read. */
  report: StoredReport
  /** Raised by each write (SPEC §12): what If-Match names. */
  revision: number
}

/** An event of another schedule on a named channel: what a schedule's events may overlap. */
export interface ChannelEvent { id: string, schedule_id: string | null, title: string, start: number, end: number, channel: string }

/** Half-open [from, to) in epoch ms: events that are on air at some instant of it. */
export interface ScheduleRepository {
  createSchedule(schedule: NewSchedule): Promise<ScheduleSummary>
  listSchedules(): Promise<ScheduleSummary[]>
  getSchedule(id: string): Promise<ScheduleDetail | null>
  /** In air order (start, then end). */
  listEvents(scheduleId: string, range?: TimeRange): Promise<StoredEvent[]>
  /** The plays of every other schedule starting in [from, to): what `scheduleId`'s replays are counted against. Iterate it before the next query. */
  playsOutside(scheduleId: string, from: number, to: number, channelId?: string): Promise<Iterable<Play>>
  /** The events of other schedules on one of `channels`, on air at some instant of [from, to). */
  channelEventsOutside(scheduleId: string, channels: string[], from: number, to: number): Promise<ChannelEvent[]>
  /**
   * The events on the stored channel `channelId` (built, or of other schedules placed there), on air at some instant of [from, to); `channel` is the
   * channel's id.
   */
  placedEventsOutside(scheduleId: string, channelId: string, from: number, to: number): Promise<ChannelEvent[]>
  deleteSchedule(id: string): Promise<boolean>
  deleteAllSchedules(): Promise<number>
}

export interface NewPlaylist { name: string, attributes: Record<string, string>, items: PlaylistItem[] }
export interface PlaylistReplacement { name?: string, attributes: Record<string, string>, items: PlaylistItem[] }
/** A playlist's own fields; one left out is left as it is. */
export interface PlaylistFields { guide?: GuideMode | null, cooldown_hours?: number | null }
export interface PlaylistDetail extends PlaylistSummary { attributes: Record<string, string>, items: PlaylistItem[] }

export interface PlaylistRepository {
  createPlaylist(playlist: NewPlaylist): Promise<PlaylistSummary>
  listPlaylists(): Promise<PlaylistSummary[]>
  getPlaylist(id: string): Promise<PlaylistDetail | null>
  deletePlaylist(id: string): Promise<boolean>
  /**
   * Sets the fields given (how its clips show in the guide, SPEC §14; its cooldown, SPEC §15), the
   * others as they are; a build reads them. null: no such playlist.
   */
  patchPlaylist(id: string, fields: PlaylistFields): Promise<PlaylistSummary | null>
  /**
   * Replaces its items and #EXTM3U attributes in place (SPEC §15): the same id, its name unless
   * one is given, its guide and cooldown. Part of the caller's transaction. null: no such playlist.
   */
  replacePlaylist(id: string, playlist: PlaylistReplacement): Promise<PlaylistSummary | null>
}

/** A stored play of a video: what the auto-fill cooldown is counted against. */
export interface Play { video_key: string, start: number }

/**
 * The plays of a window, read without the write lock, for Store.playsUnchanged() to tell
 * later whether they changed. Only the store that made it reads its other fields.
 */
export interface PlaysReading {
  /** Every stored play starting in the window; iterate it once, before the next query. */
  readonly plays: Iterable<Play>
}

/** A write's answer kept under its Idempotency-Key (issue 8 item 13). */
export interface IdempotencyRecord {
  /** The caller's key id: one caller's keys never replay another's answers. */
  owner: string
  key: string
  /** Of the command, its arguments and its input: the same key for another request is refused. */
  request_hash: string
  command: string
  answer: unknown
  /** epoch ms */
  created: number
}

export interface IdempotencyRepository {
  /** The record of (owner, key) made at `notBefore` or later, or null. */
  find(owner: string, key: string, notBefore: number): Promise<IdempotencyRecord | null>
  save(record: IdempotencyRecord): Promise<void>
  /** Deletes the records made before `before`; answers how many. */
  prune(before: number): Promise<number>
}

/** An auto-fill's decisions, kept with the schedule it stored (issue 11 item 8). */
export interface FillDecisionRepository {
  /** Part of the fill's write: call it inside the transaction that stores the schedule. */
  save(scheduleId: string, decisions: readonly string[]): Promise<void>
  count(scheduleId: string): Promise<number>
  /** Decisions [offset, offset + limit), in the order the fill made them. */
  page(scheduleId: string, offset: number, limit: number): Promise<string[]>
}

/** Which plays a read counts: every stored play (of schedules and built channels), or one channel's only. */
export interface PlaysOf { channelId?: string }

export interface Store {
  readonly kind: StorageKind
  readonly schedules: ScheduleRepository
  readonly playlists: PlaylistRepository
  readonly idempotency: IdempotencyRepository
  readonly fillDecisions: FillDecisionRepository
  readonly channels: ChannelRepository
  /** Edits by hand, revisions and history (SPEC §12); its writes belong inside exclusive(). */
  readonly edits: KyselyEditRepository
  /** A channel's programmes (SPEC §14), read a page at a time. */
  readonly programmes: KyselyProgrammeRepository
  readonly alarms: KyselyAlarmRepository
  /** The media library (SPEC §16) */
  readonly media: KyselyMediaRepository
  /** Feed tokens for IPTV apps and tuners (SPEC §17), stored hashed. */
  readonly feedTokens: KyselyFeedTokenRepository
  /** Names people gave the stored API keys (SPEC §17). */
  readonly keyNames: KyselyKeyNameRepository
  /** Where a channel's playout files are published, and how the last publish went (SPEC §17). */
  readonly publishTargets: KyselyPublishTargetRepository
  /** Every stored play starting in [from, to), in every schedule and channel (or `of` one channel); iterate it before the next query. */
  playsBetween(from: number, to: number, of?: PlaysOf): Promise<Iterable<Play>>
  /** The same plays, for a computation done outside the write lock and re-checked inside it. */
  readPlays(from: number, to: number, of?: PlaysOf): Promise<PlaysReading>
  /**
   * Asked on the store exclusive() gives, after `reading.plays` was iterated: true when the
   * window holds exactly the plays iterated. Cheap when nothing was committed meanwhile
   * (SQLite's data_version; PostgreSQL's 'schedules' change counter).
   */
  playsUnchanged(reading: PlaysReading): Promise<boolean>
  /**
   * Runs `work` holding the write lock, as one transaction, so what it read is still true
   * when it writes. `work` must use the store it is given (the transaction's connection), not
   * this one, which refuses to be used until the transaction ends. A lock not had within the
   * busy timeout is a CommandError STORAGE_BUSY; a throw rolls everything back.
   */
  exclusive<T>(work: (tx: Store) => Promise<T>): Promise<T>
  schemaVersion(): Promise<number>
  counts(): Promise<StoreCounts>
  close(): Promise<void>
}
