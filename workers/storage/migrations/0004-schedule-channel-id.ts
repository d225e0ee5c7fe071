import { sql } from 'kysely'
import type { SchemaStep } from './step.js'

// 4: one stable channel id per schedule (issue 11 item 2), the M3U export's tvg-id and the
// XMLTV export's channel id for its events that carry no channel of their own. Set once
// when the schedule is stored (`<slug of its name>.scheduleflow`, made unique), so renaming
// it never breaks a guide client's link. Schedules stored before get `<id>.scheduleflow`:
// their M3U tvg-id was their id, so a client linked by it keeps finding them.
const migration: SchemaStep = {
  async up (db) {
    await db.schema.alterTable('schedules').addColumn('channel_id', 'text').execute()
    await db.updateTable('schedules').set({ channel_id: sql`id || '.scheduleflow'` }).execute()
    await db.schema.createIndex('schedules_by_channel_id').unique().on('schedules').column('channel_id').execute()
  }
}
export default migration
