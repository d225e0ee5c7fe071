import { types, withColumns, type SchemaStep } from './step.js'

// 15: the media library (SPEC §16). Libraries (a root under SCHEDULEFLOW_MEDIA_ROOTS); their
// items, one per media file, keyed by the path relative to the root, with what ffprobe and the
// file's name and .nfo told (the probe is kept while size and mtime are unchanged, so an
// unchanged file is never probed twice); scans with their progress, a cursor so a scan runs as
// tasks of bounded length (a cancel ends it at once: its state); probes of remote http(s) items, by URL.
const migration: SchemaStep = {
  async up (db, kind) {
    const t = types(kind)
    await withColumns(db.schema.createTable('libraries'), [
      ['id', 'text', (c) => c.primaryKey()],
      ['name', 'text', (c) => c.notNull()],
      ['root', 'text', (c) => c.notNull().unique()],
      ['rescan_minutes', 'integer'],
      ['created_ms', t.ms, (c) => c.notNull()],
      ['last_scan_id', 'text'],
      ['last_scan_ms', t.ms]
    ]).execute()

    await withColumns(db.schema.createTable('media_items'), [
      ['id', 'text', (c) => c.primaryKey()],
      ['library_id', 'text', (c) => c.notNull().references('libraries.id').onDelete('cascade')],
      ['path', 'text', (c) => c.notNull()],
      ['folder', 'text', (c) => c.notNull()],
      ['size', t.counter, (c) => c.notNull()],
      ['mtime_ms', t.ms, (c) => c.notNull()],
      ['duration_ms', t.counter],
      ['chapters', 'text', (c) => c.notNull().defaultTo('[]')],
      ['container', 'text'],
      ['video', 'text'],
      ['audio', 'text'],
      ['title', 'text', (c) => c.notNull()],
      ['show', 'text'],
      ['season', 'integer'],
      ['episode', 'integer'],
      ['year', 'integer'],
      ['description', 'text'],
      ['category', 'text'],
      ['problem', 'text'],
      ['probed_ms', t.ms, (c) => c.notNull()],
      ['seen_scan_id', 'text']
    ]).execute()
    await db.schema.createIndex('media_items_by_path').unique().on('media_items').columns(['library_id', 'path']).execute()
    await db.schema.createIndex('media_items_by_show').on('media_items').columns(['library_id', 'show', 'season', 'episode']).execute()
    await db.schema.createIndex('media_items_by_folder').on('media_items').columns(['library_id', 'folder']).execute()
    await db.schema.createIndex('media_items_by_category').on('media_items').columns(['library_id', 'category']).execute()

    await withColumns(db.schema.createTable('media_scans'), [
      ['id', 'text', (c) => c.primaryKey()],
      ['library_id', 'text', (c) => c.notNull().references('libraries.id').onDelete('cascade')],
      ['state', 'text', (c) => c.notNull()],
      ['files_seen', 'integer', (c) => c.notNull().defaultTo(0)],
      ['probed', 'integer', (c) => c.notNull().defaultTo(0)],
      ['cached', 'integer', (c) => c.notNull().defaultTo(0)],
      ['failed', 'integer', (c) => c.notNull().defaultTo(0)],
      ['removed', 'integer', (c) => c.notNull().defaultTo(0)],
      ['skipped', 'text', (c) => c.notNull().defaultTo('[]')],
      ['cursor', 'text'],
      ['started_ms', t.ms, (c) => c.notNull()],
      ['finished_ms', t.ms],
      ['error', 'text']
    ]).execute()
    await db.schema.createIndex('media_scans_by_library').on('media_scans').columns(['library_id', 'started_ms']).execute()

    await withColumns(db.schema.createTable('remote_probes'), [
      ['url', 'text', (c) => c.primaryKey()],
      ['duration_ms', t.counter],
      ['live', t.flag, (c) => c.notNull().defaultTo(0)],
      ['problem', 'text'],
      ['probed_ms', t.ms, (c) => c.notNull()]
    ]).execute()
  }
}
export default migration
