import { sql } from 'kysely'
import type { SchemaDb, SchemaStep } from './step.js'

// 6: overlaps and cooldown replays are worked out from the stored events when a schedule is
// read (issue 11 item 12), across the schedules stored then; a copy kept at import went stale
// when the schedule it compared against was deleted. The warnings column keeps only what the
// events cannot tell again: the duplicates left out and the reader's notes. Events of a named
// channel are compared with the same channel's events in other schedules: the two indexes
// find them by channel and start, and bound how far before a window such an event can start.

/** The indexes made here; migration 7 makes them again on SQLite, by the same names. */
export async function createChannelIndexes (db: SchemaDb): Promise<void> {
  await db.schema.createIndex('events_by_channel_start').on('events').columns(['channel', 'start_ms'])
    .where(sql.ref('channel'), 'is not', null).execute()
  await db.schema.createIndex('events_by_channel_length').on('events').expression(sql`channel, (end_ms - start_ms)`)
    .where(sql.ref('channel'), 'is not', null).execute()
}

const migration: SchemaStep = {
  async up (db, kind) {
    // Only SQLite databases held the copies (the PostgreSQL store came after this migration).
    if (kind === 'sqlite') {
      await sql`UPDATE schedules SET warnings = json_remove(warnings, '$.conflicts', '$.conflicts_total', '$.cooldown', '$.cooldown_total')
        WHERE json_valid(warnings) AND json_type(warnings) = 'object'`.execute(db)
    }
    await createChannelIndexes(db)
  }
}
export default migration
