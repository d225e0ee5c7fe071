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
  /** the template as JSON */
  template: string
  revision: number
  created: string
  updated: string
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
  channel_builds: ChannelBuildsTable
  edit_history: EditHistoryTable
}

/** The database, or one write transaction's connection: the repositories query either the same way. */
export type Database = Kysely<Tables>
