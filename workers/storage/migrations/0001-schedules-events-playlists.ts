import { sql } from 'kysely'
import type { StorageKind } from '../../../contract/api.js'
import { types, withColumns, type ColumnSpec, type SchemaDb, type SchemaStep } from './step.js'

// 1: imported schedules and their events, and M3U playlists with their items.

/** The events table's columns as made here; migration 7 makes the table again from them on SQLite. */
export function eventColumns (kind: StorageKind): ColumnSpec[] {
  const { ms } = types(kind)
  return [
    ['id', 'text', (c) => c.primaryKey()],
    ['schedule_id', 'text', (c) => c.notNull().references('schedules.id').onDelete('cascade')],
    ['position', 'integer', (c) => c.notNull()],
    ['title', 'text', (c) => c.notNull()],
    ['start_ms', ms, (c) => c.notNull()],
    ['end_ms', ms, (c) => c.notNull()],
    ['video_url', 'text'],
    ['video_key', 'text', (c) => c.notNull()],
    ['category', 'text'],
    ['description', 'text'],
    ['tags', 'text', (c) => c.notNull().defaultTo('[]')],
    ['channel', 'text']
  ]
}

/** The events indexes made here; migration 7 makes them again on SQLite, by the same names. */
export async function createEventIndexes (db: SchemaDb): Promise<void> {
  await db.schema.createIndex('events_by_schedule_start').on('events').columns(['schedule_id', 'start_ms']).execute()
  await db.schema.createIndex('events_by_video_start').on('events').columns(['video_key', 'start_ms']).execute()
  // Auto-fill reads every play near its window, across schedules.
  await db.schema.createIndex('events_by_start').on('events').column('start_ms').execute()
}

const migration: SchemaStep = {
  async up (db, kind) {
    const { ms, real } = types(kind)
    await db.schema.createTable('schedules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull().check(sql`source IN ('xml', 'json', 'xmltv', 'auto-fill')`))
      .addColumn('created', 'text', (c) => c.notNull())
      // Events never change after their schedule is stored, so the list's figures are kept here.
      .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_start_ms', ms)
      .addColumn('last_end_ms', ms)
      .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('warnings', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute()
    await db.schema.createIndex('schedules_by_created').on('schedules').column('created').execute()
    await withColumns(db.schema.createTable('events'), eventColumns(kind)).execute()
    await createEventIndexes(db)
    await db.schema.createTable('playlists')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
      // attributes of the #EXTM3U line (url-tvg, …), kept for the export
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute()
    await db.schema.createTable('playlist_items')
      .addColumn('playlist_id', 'text', (c) => c.notNull().references('playlists.id').onDelete('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('duration', real)
      .addColumn('group_title', 'text')
      .addColumn('tvg', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('directives', 'text', (c) => c.notNull().defaultTo('[]'))
      .addPrimaryKeyConstraint('playlist_items_pkey', ['playlist_id', 'position'])
      .execute()
  }
}
export default migration
