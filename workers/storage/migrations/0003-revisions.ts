import { sql } from 'kysely'
import { randomCounter, runEach, types, withoutRowid, type SchemaDb, type SchemaStep } from './step.js'

// 3: change counters (issue 10 item 3), what the API's ETags are made of. One row per scope:
// 'schedules' and 'playlists' (raised by every write to any of them: lists, export of all)
// and 'schedule:<id>' / 'playlist:<id>' (raised by every write to that one; gone with it).
// Kept by triggers, so every write path (the API's workers, the CLI by hand, a future
// command) raises them in its own transaction without knowing about them. The two global
// counters start at a random number: a database made afresh (a wiped data dir) never hands
// out an ETag that an earlier one did. Events have no trigger: they never change once their
// schedule is stored; an edit of events (SPEC §12) updates its schedule's row with them.

const SQLITE_TRIGGERS = ['schedule', 'playlist'].flatMap((one) => {
  const table = `${one}s`
  return [
    `CREATE TRIGGER ${table}_revision_insert AFTER INSERT ON ${table} BEGIN
    INSERT INTO revisions (scope, revision) VALUES ('${one}:' || NEW.id, 1);
    UPDATE revisions SET revision = revision + 1 WHERE scope = '${table}';
  END`,
    `CREATE TRIGGER ${table}_revision_update AFTER UPDATE ON ${table} BEGIN
    UPDATE revisions SET revision = revision + 1 WHERE scope IN ('${one}:' || NEW.id, '${table}');
  END`,
    `CREATE TRIGGER ${table}_revision_delete AFTER DELETE ON ${table} BEGIN
    DELETE FROM revisions WHERE scope = '${one}:' || OLD.id;
    UPDATE revisions SET revision = revision + 1 WHERE scope = '${table}';
  END`
  ]
})

// One function for both tables: TG_ARGV names the row's scope prefix and the table's scope.
const POSTGRES_TRIGGERS = [
  `CREATE FUNCTION raise_revisions() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO revisions (scope, revision) VALUES (TG_ARGV[0] || ':' || NEW.id, 1);
    ELSIF TG_OP = 'UPDATE' THEN
      UPDATE revisions SET revision = revision + 1 WHERE scope = TG_ARGV[0] || ':' || NEW.id;
    ELSE
      DELETE FROM revisions WHERE scope = TG_ARGV[0] || ':' || OLD.id;
    END IF;
    UPDATE revisions SET revision = revision + 1 WHERE scope = TG_ARGV[1];
    RETURN NULL;
  END
  $$`,
  `CREATE TRIGGER schedules_revision AFTER INSERT OR UPDATE OR DELETE ON schedules
    FOR EACH ROW EXECUTE FUNCTION raise_revisions('schedule', 'schedules')`,
  `CREATE TRIGGER playlists_revision AFTER INSERT OR UPDATE OR DELETE ON playlists
    FOR EACH ROW EXECUTE FUNCTION raise_revisions('playlist', 'playlists')`
]

/** A row of counter 1 for each row of `table` already stored, under '<one>:<id>'. */
async function countersOfRows (db: SchemaDb, table: string, one: string): Promise<void> {
  await db.insertInto('revisions').columns(['scope', 'revision'])
    .expression(db.selectFrom(table).select([sql`${sql.lit(`${one}:`)} || id`.as('scope'), sql.lit(1).as('revision')]))
    .execute()
}

const migration: SchemaStep = {
  async up (db, kind) {
    await withoutRowid(db.schema.createTable('revisions')
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('revision', types(kind).counter, (c) => c.notNull()), kind).execute()
    await db.insertInto('revisions').values([
      { scope: 'schedules', revision: randomCounter(kind) },
      { scope: 'playlists', revision: randomCounter(kind) }
    ]).execute()
    await countersOfRows(db, 'schedules', 'schedule')
    await countersOfRows(db, 'playlists', 'playlist')
    await runEach(db, kind === 'sqlite' ? SQLITE_TRIGGERS : POSTGRES_TRIGGERS)
  }
}
export default migration
