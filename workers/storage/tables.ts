import type { Generated, Kysely } from 'kysely'

// The schema of migrations 1–11 as Kysely sees it: every query of the repositories is typed by
// these rows. Instants are epoch ms; JSON columns are text, parsed by the repositories.

export interface SchedulesTable {
  id: string
  name: string
  source: 'xml' | 'json' | 'xmltv' | 'auto-fill'
  created: string
  event_count: number
  first_start_ms: number | null
  last_end_ms: number | null
  metadata: string
  warnings: string
  /** null only in a row no migration has reached */
  channel_id: string | null
  /** The channel (migration 7) the schedule is placed on; not the XMLTV id above. */
  channel_ref: string | null
  /** Raised by each write (migration 8, SPEC §12). */
  revision: Generated<number>
}

/** What made a built event (migration 7). */
export type OriginKind = 'item' | 'filler' | 'break' | 'fixed' | 'default'

export interface EventsTable {
  id: string
  /** null for an event a channel's build made */
  schedule_id: string | null
  /** the channel it airs on: built, or of a schedule placed on a channel */
  channel_id: string | null
  position: number
  title: string
  start_ms: number
  end_ms: number
  video_url: string | null
  video_key: string
  category: string | null
  description: string | null
  tags: string
  channel: string | null
  origin_kind: OriginKind | null
  origin_block: string | null
  origin_override: string | null
  origin_source: string | null
  origin_position: number | null
  reason: string | null
  /** 0 or 1 */
  pinned: Generated<number>
  build_id: string | null
  guide_id: string | null
  guide_title: string | null
  in_ms: Generated<number>
  episode_num: string | null
  icon: string | null
  /** The programme it is a segment of (migration 11, SPEC §14); null for a schedule's event. */
  programme_id: string | null
  segment_role: 'part' | 'break' | 'pad' | null
  /** its source's guide mode when one was asked for; null: the default rule */
  guide_mode: 'own' | 'meld' | 'hide' | null
}

export interface ChannelsTable {
  id: string
  number: string
  name: string
  timezone: string
  xmltv_id: string
  logo: string | null
  group_title: string | null
  stream_url: string | null
  default_filler: string | null
  /** migration 11: the guide's filler fields (SPEC §14) */
  default_filler_guide: 'own' | 'meld' | 'hide' | null
  filler_guide_minutes: Generated<number>
  filler_title: string | null
  /** migration 14: on air (SPEC §17) */
  build_ahead_days: Generated<number>
  rebuild_freeze_hours: Generated<number>
  alarm_hours: Generated<number>
  /** the fingerprint of the inputs (template, overrides, sources) the last rolling build used; null: none yet */
  rolling_inputs: string | null
  /** the template as JSON */
  template: string
  revision: number
  created: string
  updated: string
}

/** migration 14: where a channel's playout files are written, and how the last try went (SPEC §17). */
export interface PublishTargetsTable {
  id: string
  channel_id: string
  /** the order the admin gave them in */
  position: number
  kind: 'ersatztv' | 'ffplayout'
  dir: string
  /** null: the channel's build_ahead_days */
  days_ahead: number | null
  last_published_ms: number | null
  files: Generated<number>
  last_error: string | null
  /** set when a publish failed: the earliest instant still to be written, retried on the next tick */
  pending_from_ms: number | null
}

/** migration 14: read-only tokens that open the feeds; the token itself is never stored. */
/** A name a person gave a stored API key (migration 16, SPEC §17), by the key's digest id. */
export interface KeyNamesTable {
  key_id: string
  name: string
  named_ms: number
}

export interface FeedTokensTable {
  id: string
  name: string
  /** SHA-256 of the token, hex */
  token_hash: string
  created_ms: number
  last_used_ms: number | null
}

/** migration 14: the alarms open now (SPEC §17), one per key (kind, channel and what it is about). */
export interface AlarmsTable {
  id: string
  key: string
  kind: 'coverage' | 'gap' | 'dead_air' | 'missing_media' | 'build_failed' | 'publish_failed'
  channel_id: string | null
  since_ms: number
  message: string
  /** JSON object */
  details: string
}

/** migration 14: an alarm opened or cleared, kept until the webhook has sent it (sent_ms). */
export interface AlarmNoticesTable {
  id: string
  at_ms: number
  state: 'open' | 'cleared'
  /** the alarm as the API answers it, JSON */
  alarm: string
  sent_ms: number | null
}

export interface ChannelOverridesTable {
  id: string
  channel_id: string
  seq: number
  name: string
  from_date: string
  to_date: string
  /** a JSON list of weekdays, or null for every day */
  days: string | null
  /** JSON */
  blocks: string
  /** JSON, instants as epoch ms */
  events: string
  created: string
  /** migration 13: 'blocks' | 'hours' (SPEC §15); null: blocks */
  replace: string | null
}

export interface ChannelBuildsTable {
  id: string
  channel_id: string
  created: string
  from_date: string
  to_date: string
  seed: string
  freeze_hours: number
  /** JSON */
  stats: string
  /** JSON */
  warnings: string
  /** The channel revision the build made (migration 10); null for builds stored before. */
  revision: number | null
}

export interface PlaylistsTable {
  id: string
  name: string
  created: string
  item_count: number
  attributes: string
  /** migration 11: how its clips show in the guide when they air as filler or breaks (SPEC §14) */
  guide: 'own' | 'meld' | 'hide' | null
  /** migration 13: the cooldown of its items (SPEC §15); null: the template's rule */
  cooldown_hours: number | null
}

export interface PlaylistItemsTable {
  playlist_id: string
  position: number
  title: string
  url: string
  duration: number | null
  group_title: string | null
  tvg: string
  directives: string
  /** migration 13: season and episode numbers when known (SPEC §15) */
  season: number | null
  episode: number | null
}

export interface IdempotencyKeysTable {
  owner: string
  key: string
  request_hash: string
  command: string
  /** deflated JSON */
  answer: Buffer
  created_ms: number
}

export interface RevisionsTable {
  scope: string
  revision: number
}

export interface FillDecisionsTable {
  schedule_id: string
  chunk: number
  count: number
  /** a JSON list of text */
  decisions: string
}

/** One write's record (migration 8): what it changed, by whom. */
export interface EditHistoryTable {
  /** 'schedule:<id>' or 'channel:<id>' */
  target: string
  revision: number
  at_ms: number
  by_name: string
  by_role: string
  request_id: string
  summary: string
  /** JSON of EventChangeRows */
  changes: string
  undoes: number | null
  /** migration 11: what kind of write (SPEC §14) */
  kind: Generated<'edit' | 'build' | 'rolling_build' | 'template' | 'override' | 'channel' | 'playlist' | 'undo' | 'revert'>
  /** migration 12: JSON of HistoryDetail (counts, settings before and after, a build's facts) */
  detail: string | null
  /** migration 12: deflated JSON of EventChangeRows when too many to keep as text (then `changes` is empty) */
  rows_gz: Buffer | null
}

/** migration 15: a media library (SPEC §16): a root under SCHEDULEFLOW_MEDIA_ROOTS. */
export interface LibrariesTable {
  id: string
  name: string
  /** absolute, resolved (no trailing slash, no ..) */
  root: string
  rescan_minutes: number | null
  created_ms: number
  last_scan_id: string | null
  last_scan_ms: number | null
}

/** migration 15: one media file of a library, as probed and named; kept while its size and mtime stay. */
export interface MediaItemsTable {
  id: string
  library_id: string
  /** relative to the library's root, with / between folders */
  path: string
  /** the path's folder ('' at the root): the folder collection */
  folder: string
  size: number
  mtime_ms: number
  /** null: unknown (not probed, or ffprobe gave none) */
  duration_ms: number | null
  /** JSON array of chapter starts after the first, ms */
  chapters: Generated<string>
  container: string | null
  video: string | null
  audio: string | null
  title: string
  show: string | null
  season: number | null
  episode: number | null
  year: number | null
  description: string | null
  category: string | null
  /** why the file cannot air (unreadable, zero length, no streams); null: it can */
  problem: string | null
  probed_ms: number
  /** the last scan that found the file: a finished scan removes the items it did not see */
  seen_scan_id: string | null
}

/** migration 15: a scan of a library, run as tasks; `cursor` says where the next task goes on. */
export interface MediaScansTable {
  id: string
  library_id: string
  state: 'running' | 'done' | 'failed' | 'cancelled'
  files_seen: Generated<number>
  probed: Generated<number>
  cached: Generated<number>
  failed: Generated<number>
  removed: Generated<number>
  /** JSON array of { path, reason } (at most SCAN_SKIPPED_LISTED) */
  skipped: Generated<string>
  /** JSON, the walk's state between tasks (workers/media); null: not started */
  cursor: string | null
  started_ms: number
  finished_ms: number | null
  error: string | null
}

/** migration 15: a remote http(s) item's probe, by URL. */
export interface RemoteProbesTable {
  url: string
  duration_ms: number | null
  /** 0 or 1: a live stream (no end): airs only as a fixed event */
  live: Generated<number>
  problem: string | null
  probed_ms: number
}

export interface Tables {
  schedules: SchedulesTable
  events: EventsTable
  playlists: PlaylistsTable
  playlist_items: PlaylistItemsTable
  idempotency_keys: IdempotencyKeysTable
  revisions: RevisionsTable
  fill_decisions: FillDecisionsTable
  channels: ChannelsTable
  channel_overrides: ChannelOverridesTable
  publish_targets: PublishTargetsTable
  feed_tokens: FeedTokensTable
  key_names: KeyNamesTable
  alarms: AlarmsTable
  alarm_notices: AlarmNoticesTable
  channel_builds: ChannelBuildsTable
  edit_history: EditHistoryTable
  libraries: LibrariesTable
  media_items: MediaItemsTable
  media_scans: MediaScansTable
  remote_probes: RemoteProbesTable
}

/** The database, or one write transaction's connection: the repositories query either the same way. */
export type Database = Kysely<Tables>
