import { runEach, types, type SchemaStep } from './step.js'

// 8: editing by hand (SPEC §12). Schedules get the integer revision channels have (raised by
// each write, what If-Match names); edit_history keeps what each edit, undo and revert
// changed: whole event rows before and after, so an undo restores them exactly. Rows of a
// schedule or channel go with it (a trigger: one table serves both kinds of target).

const SQLITE_TRIGGERS = [
  `CREATE TRIGGER schedules_history_delete AFTER DELETE ON schedules BEGIN
    DELETE FROM edit_history WHERE target = 'schedule:' || OLD.id;
  END`,
  `CREATE TRIGGER channels_history_delete AFTER DELETE ON channels BEGIN
    DELETE FROM edit_history WHERE target = 'channel:' || OLD.id;
  END`
]

const POSTGRES_TRIGGERS = [
  `CREATE FUNCTION drop_edit_history() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM edit_history WHERE target = TG_ARGV[0] || ':' || OLD.id;
    RETURN NULL;
  END
  $$`,
  `CREATE TRIGGER schedules_history_delete AFTER DELETE ON schedules
    FOR EACH ROW EXECUTE FUNCTION drop_edit_history('schedule')`,
  `CREATE TRIGGER channels_history_delete AFTER DELETE ON channels
    FOR EACH ROW EXECUTE FUNCTION drop_edit_history('channel')`
]

const migration: SchemaStep = {
  async up (db, kind) {
    const { ms, counter } = types(kind)
    await db.schema.alterTable('schedules').addColumn('revision', counter, (c) => c.notNull().defaultTo(1)).execute()
    await db.schema.createTable('edit_history')
      // 'schedule:<id>' or 'channel:<id>'
      .addColumn('target', 'text', (c) => c.notNull())
      // the revision this write made
      .addColumn('revision', counter, (c) => c.notNull())
      .addColumn('at_ms', ms, (c) => c.notNull())
      .addColumn('by_name', 'text', (c) => c.notNull())
      .addColumn('by_role', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      // JSON {added, removed, changed: [{before, after}]} of whole events rows
      .addColumn('changes', 'text', (c) => c.notNull())
      // an undo: the revision it reverted
      .addColumn('undoes', counter)
      .addPrimaryKeyConstraint('edit_history_pkey', ['target', 'revision'])
      .execute()
    await db.schema.createIndex('edit_history_by_time').on('edit_history').column('at_ms').execute()
    await runEach(db, kind === 'sqlite' ? SQLITE_TRIGGERS : POSTGRES_TRIGGERS)
  }
}
export default migration
