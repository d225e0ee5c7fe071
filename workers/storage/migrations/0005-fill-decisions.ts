import { withoutRowid, type SchemaStep } from './step.js'

// 5: an auto-fill's whole decision log (issue 11 item 8); the answer carries at most 500,
// the rest are paged from here. Written with the schedule, in its transaction; never changed.
// Chunk n holds decisions [500n, 500n + count) as a JSON list of text.
const migration: SchemaStep = {
  async up (db, kind) {
    await withoutRowid(db.schema.createTable('fill_decisions')
      .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id').onDelete('cascade'))
      .addColumn('chunk', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('decisions', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('fill_decisions_pkey', ['schedule_id', 'chunk']), kind).execute()
  }
}
export default migration
