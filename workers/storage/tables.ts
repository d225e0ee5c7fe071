import type { Kysely } from 'kysely'

// The schema of migrations 1–6 as Kysely sees it: every query of the repositories is typed by
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
}

export interface EventsTable {
  id: string
  schedule_id: string
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
}

export interface PlaylistsTable {
  id: string
  name: string
  created: string
  item_count: number
  attributes: string
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

export interface Tables {
  schedules: SchedulesTable
  events: EventsTable
  playlists: PlaylistsTable
  playlist_items: PlaylistItemsTable
  idempotency_keys: IdempotencyKeysTable
  revisions: RevisionsTable
  fill_decisions: FillDecisionsTable
}

/** The database, or one write transaction's connection: the repositories query either the same way. */
export type Database = Kysely<Tables>
