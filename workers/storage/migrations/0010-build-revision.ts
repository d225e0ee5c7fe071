import { types, type SchemaStep } from './step.js'

// 10: a build records the channel revision it made (issue 21 item 10). Builds are not in the
// edit history, so a revert that finds no edit after revision N tells from this column
// whether a build changed the events since N (and says so) or none did. Older rows: NULL.
const migration: SchemaStep = {
  async up (db, kind) {
    await db.schema.alterTable('channel_builds').addColumn('revision', types(kind).counter).execute()
  }
}
export default migration
