import { sql } from 'kysely'
import type { SchemaStep } from './step.js'

// 11: programmes (SPEC §14). A built event names the programme it is a segment of and its role
// in it (part, break, pad) and, when its source asked for one, its guide mode; a programme's
// segments are one seek of (channel_id, programme_id). Channels get the guide's filler fields,
// playlists a guide mode for when they air as filler, and history a kind for every write.
// Existing events are grouped into programmes by the data step that follows these columns.
const migration: SchemaStep = {
  async up (db) {
    await db.schema.alterTable('events').addColumn('programme_id', 'text').execute()
    await db.schema.alterTable('events').addColumn('segment_role', 'text').execute()
    await db.schema.alterTable('events').addColumn('guide_mode', 'text').execute()
    await db.schema.createIndex('events_by_channel_programme').on('events').columns(['channel_id', 'programme_id'])
      .where(sql.ref('programme_id'), 'is not', null).execute()
    await db.schema.alterTable('channels').addColumn('default_filler_guide', 'text').execute()
    await db.schema.alterTable('channels').addColumn('filler_guide_minutes', 'integer', (c) => c.notNull().defaultTo(15)).execute()
    await db.schema.alterTable('channels').addColumn('filler_title', 'text').execute()
    await db.schema.alterTable('playlists').addColumn('guide', 'text').execute()
    await db.schema.alterTable('edit_history').addColumn('kind', 'text', (c) => c.notNull().defaultTo('edit')).execute()
    await db.updateTable('edit_history').set({ kind: 'undo' }).where('undoes', 'is not', null).execute()
  }
}
export default migration
