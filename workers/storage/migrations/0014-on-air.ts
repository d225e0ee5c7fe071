import { types, withColumns, type SchemaStep } from './step.js'

// 14: on air (SPEC §17). A channel says how far ahead the service keeps it built, how much of
// a rolling rebuild is frozen and when too little built raises an alarm, and remembers the
// inputs its last rolling build used (a fingerprint of template, overrides and sources), so a
// change to any of them rebuilds the unfrozen days. Publish targets with their last outcome;
// feed tokens (only their hash); the alarms open now, and a notice per opening and clearing for
// the webhook to send once.
const migration: SchemaStep = {
  async up (db, kind) {
    const t = types(kind)
    await db.schema.alterTable('channels').addColumn('build_ahead_days', 'integer', (c) => c.notNull().defaultTo(7)).execute()
    await db.schema.alterTable('channels').addColumn('rebuild_freeze_hours', t.real, (c) => c.notNull().defaultTo(24)).execute()
    await db.schema.alterTable('channels').addColumn('alarm_hours', t.real, (c) => c.notNull().defaultTo(24)).execute()
    await db.schema.alterTable('channels').addColumn('rolling_inputs', 'text').execute()

    await withColumns(db.schema.createTable('publish_targets'), [
      ['id', 'text', (c) => c.primaryKey()],
      ['channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade')],
      ['position', 'integer', (c) => c.notNull()],
      ['kind', 'text', (c) => c.notNull()],
      ['dir', 'text', (c) => c.notNull()],
      ['days_ahead', 'integer'],
      ['last_published_ms', t.ms],
      ['files', 'integer', (c) => c.notNull().defaultTo(0)],
      ['last_error', 'text'],
      ['pending_from_ms', t.ms]
    ]).execute()
    await db.schema.createIndex('publish_targets_by_channel').on('publish_targets').columns(['channel_id', 'position']).execute()

    await withColumns(db.schema.createTable('feed_tokens'), [
      ['id', 'text', (c) => c.primaryKey()],
      ['name', 'text', (c) => c.notNull()],
      ['token_hash', 'text', (c) => c.notNull().unique()],
      ['created_ms', t.ms, (c) => c.notNull()],
      ['last_used_ms', t.ms]
    ]).execute()

    await withColumns(db.schema.createTable('alarms'), [
      ['id', 'text', (c) => c.primaryKey()],
      ['key', 'text', (c) => c.notNull().unique()],
      ['kind', 'text', (c) => c.notNull()],
      ['channel_id', 'text'],
      ['since_ms', t.ms, (c) => c.notNull()],
      ['message', 'text', (c) => c.notNull()],
      ['details', 'text', (c) => c.notNull()]
    ]).execute()
    await withColumns(db.schema.createTable('alarm_notices'), [
      ['id', 'text', (c) => c.primaryKey()],
      ['at_ms', t.ms, (c) => c.notNull()],
      ['state', 'text', (c) => c.notNull()],
      ['alarm', 'text', (c) => c.notNull()],
      ['sent_ms', t.ms]
    ]).execute()
    await db.schema.createIndex('alarm_notices_unsent').on('alarm_notices').columns(['sent_ms', 'at_ms']).execute()
  }
}
export default migration
