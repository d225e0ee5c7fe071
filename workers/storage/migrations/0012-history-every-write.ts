import { sql } from 'kysely'
import { types, type SchemaStep } from './step.js'

// 12: history covers every write (SPEC §14). An entry of a template, override or channel write
// keeps the settings before and after it, a build's entry what it was asked and gave (`detail`,
// JSON); an entry of many events (a build's replaced rows, an undo of a build) keeps them
// compressed (`rows_gz`, deflated JSON) rather than as text, and lists none. A build's own
// events are found by their build_id, so they are not copied into its entry: the index below.
const migration: SchemaStep = {
  async up (db, kind) {
    await db.schema.alterTable('edit_history').addColumn('detail', 'text').execute()
    await db.schema.alterTable('edit_history').addColumn('rows_gz', types(kind).bytes).execute()
    await db.schema.createIndex('events_by_build').on('events').column('build_id')
      .where(sql.ref('build_id'), 'is not', null).execute()
  }
}
export default migration
