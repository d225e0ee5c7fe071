import { sql } from 'kysely'
import type { StorageKind } from '../../../contract/api.js'
import { randomCounter, runEach, types, withColumns, type ColumnSpec, type SchemaDb, type SchemaStep } from './step.js'
import { createEventIndexes, eventColumns } from './0001-schedules-events-playlists.js'
import { createChannelIndexes } from './0006-channel-indexes.js'

// 7: channels and their programming (issue 13, SPEC §11). A channel keeps its weekly template
// as one JSON column (always read and written whole), its dated overrides in a table (read by
// date range) and its builds in a small audit table. Everything that airs stays in the one
// events table: a built event has no schedule (schedule_id NULL) and names its channel; a
// schedule placed on a channel keeps its events, which name the channel too. So the cooldown
// reads of plays, and issue 14's edits, see built and imported plays alike. An event has an
// owner: a schedule, a channel, or both (the CHECK). Built events also record where they came
// from (origin_*), why (reason), whether an editor pinned them, their build and guide entry.
// Change counters: 'channels' and 'channel:<id>' as migration 3's, by triggers; a schedule put
// on, taken off or deleted from a channel raises that channel's revision (what it airs changed).

const channelColumn: ColumnSpec = ['channel_id', 'text', (c) => c.references('channels.id').onDelete('set null')]

/** The columns events gains here, after channel_id. */
function builtEventColumns (kind: StorageKind): ColumnSpec[] {
  const { ms, flag } = types(kind)
  return [
    ['origin_kind', 'text', (c) => c.check(sql`origin_kind IN ('item', 'filler', 'break', 'fixed', 'default')`)],
    ['origin_block', 'text'],
    ['origin_override', 'text'],
    // playlist:<id>[#group] or item:<video key>
    ['origin_source', 'text'],
    // the index in the source's order (an episode's number - 1)
    ['origin_position', 'integer'],
    ['reason', 'text'],
    ['pinned', flag, (c) => c.notNull().defaultTo(0)],
    ['build_id', 'text'],
    ['guide_id', 'text'],
    // the guide entry's title when it is not the event's (a block's title)
    ['guide_title', 'text'],
    // where in the media this event starts: a part of an item split by a break
    ['in_ms', ms, (c) => c.notNull().defaultTo(0)],
    ['episode_num', 'text'],
    ['icon', 'text']
  ]
}

const OWNER_CHECK = sql`schedule_id IS NOT NULL OR channel_id IS NOT NULL`

/**
 * SQLite cannot drop NOT NULL from schedule_id with ALTER: events is made again, with the same
 * ids and the same indexes (nothing references events, so it is safe with foreign keys on).
 * Its columns keep today's order there: channel_id after schedule_id.
 */
async function rebuildEventsSqlite (db: SchemaDb): Promise<void> {
  const [id, scheduleId, ...rest] = eventColumns('sqlite')
  const nullableScheduleId: ColumnSpec = [scheduleId[0], scheduleId[1], (c) => c.references('schedules.id').onDelete('cascade')]
  await withColumns(db.schema.createTable('events_v7'), [id, nullableScheduleId, channelColumn, ...rest, ...builtEventColumns('sqlite')])
    .addCheckConstraint('events_owner', OWNER_CHECK).execute()
  const kept = eventColumns('sqlite').map(([name]) => name)
  await db.insertInto('events_v7').columns(kept).expression(db.selectFrom('events').select(kept)).execute()
  await db.schema.dropTable('events').execute()
  await db.schema.alterTable('events_v7').renameTo('events').execute()
  // migration 1's and 6's indexes again, by the same names
  await createEventIndexes(db)
  await createChannelIndexes(db)
}

/** PostgreSQL drops NOT NULL in place and adds the columns. */
async function alterEventsPostgres (db: SchemaDb): Promise<void> {
  let alter = db.schema.alterTable('events').alterColumn('schedule_id', (c) => c.dropNotNull())
  for (const [name, type, build] of [channelColumn, ...builtEventColumns('postgres')]) alter = alter.addColumn(name, type, build)
  await alter.execute()
  await db.schema.alterTable('events').addCheckConstraint('events_owner', OWNER_CHECK).execute()
}

const SQLITE_TRIGGERS = [
  `CREATE TRIGGER channels_revision_insert AFTER INSERT ON channels BEGIN
    INSERT INTO revisions (scope, revision) VALUES ('channel:' || NEW.id, 1);
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'channels';
  END`,
  `CREATE TRIGGER channels_revision_update AFTER UPDATE ON channels BEGIN
    UPDATE revisions SET revision = revision + 1 WHERE scope IN ('channel:' || NEW.id, 'channels');
  END`,
  `CREATE TRIGGER channels_revision_delete AFTER DELETE ON channels BEGIN
    DELETE FROM revisions WHERE scope = 'channel:' || OLD.id;
    UPDATE revisions SET revision = revision + 1 WHERE scope = 'channels';
  END`,
  `CREATE TRIGGER schedules_channel_insert AFTER INSERT ON schedules WHEN NEW.channel_ref IS NOT NULL BEGIN
    UPDATE channels SET revision = revision + 1 WHERE id = NEW.channel_ref;
  END`,
  `CREATE TRIGGER schedules_channel_update AFTER UPDATE OF channel_ref ON schedules
    WHEN NEW.channel_ref IS NOT OLD.channel_ref BEGIN
    UPDATE channels SET revision = revision + 1 WHERE id IN (OLD.channel_ref, NEW.channel_ref);
  END`,
  `CREATE TRIGGER schedules_channel_delete AFTER DELETE ON schedules WHEN OLD.channel_ref IS NOT NULL BEGIN
    UPDATE channels SET revision = revision + 1 WHERE id = OLD.channel_ref;
  END`
]

// raise_revisions() is migration 3's.
const POSTGRES_TRIGGERS = [
  `CREATE TRIGGER channels_revision AFTER INSERT OR UPDATE OR DELETE ON channels
    FOR EACH ROW EXECUTE FUNCTION raise_revisions('channel', 'channels')`,
  `CREATE FUNCTION raise_channel_of_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- one branch per operation: OLD is not read on INSERT, nor NEW on DELETE
    IF TG_OP = 'INSERT' THEN
      UPDATE channels SET revision = revision + 1 WHERE id = NEW.channel_ref;
    ELSIF TG_OP = 'DELETE' THEN
      UPDATE channels SET revision = revision + 1 WHERE id = OLD.channel_ref;
    ELSIF NEW.channel_ref IS DISTINCT FROM OLD.channel_ref THEN
      UPDATE channels SET revision = revision + 1 WHERE id IN (OLD.channel_ref, NEW.channel_ref);
    END IF;
    RETURN NULL;
  END
  $$`,
  `CREATE TRIGGER schedules_channel AFTER INSERT OR DELETE OR UPDATE OF channel_ref ON schedules
    FOR EACH ROW EXECUTE FUNCTION raise_channel_of_schedule()`
]

async function createChannelTables (db: SchemaDb, kind: StorageKind): Promise<void> {
  const { counter, real } = types(kind)
  await db.schema.createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    // set once at create (default C{number}.{digit sum}.scheduleflow): a guide client's link
    .addColumn('xmltv_id', 'text', (c) => c.notNull().unique())
    .addColumn('logo', 'text')
    .addColumn('group_title', 'text')
    // what the channel-list M3U points players at
    .addColumn('stream_url', 'text')
    // a playlist id; no foreign key: a playlist deleted later is a build warning, not a failed delete
    .addColumn('default_filler', 'text')
    .addColumn('template', 'text', (c) => c.notNull().defaultTo('{"cooldown_hours":48,"blocks":[]}'))
    .addColumn('revision', counter, (c) => c.notNull().defaultTo(1))
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createTable('channel_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    // max(seq) + 1 under the write lock: the later override wins
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // local dates YYYY-MM-DD, both included
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('days', 'text')
    .addColumn('blocks', 'text', (c) => c.notNull().defaultTo('[]'))
    // fixed one-off events, their instants as UTC epoch ms
    .addColumn('events', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addCheckConstraint('channel_overrides_check', sql`from_date <= to_date`)
    .execute()
  await db.schema.createIndex('channel_overrides_by_seq').unique().on('channel_overrides').columns(['channel_id', 'seq']).execute()
  await db.schema.createIndex('channel_overrides_by_dates').on('channel_overrides').columns(['channel_id', 'to_date', 'from_date']).execute()
  await db.schema.createTable('channel_builds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('freeze_hours', real, (c) => c.notNull())
    .addColumn('stats', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('channel_builds_by_channel').on('channel_builds').columns(['channel_id', 'created']).execute()
}

const migration: SchemaStep = {
  async up (db, kind) {
    await createChannelTables(db, kind)
    await db.schema.alterTable('schedules').addColumn('channel_ref', 'text', (c) => c.references('channels.id').onDelete('set null')).execute()
    await db.schema.createIndex('schedules_by_channel_ref').on('schedules').column('channel_ref')
      .where(sql.ref('channel_ref'), 'is not', null).execute()

    await (kind === 'sqlite' ? rebuildEventsSqlite(db) : alterEventsPostgres(db))
    await db.schema.createIndex('events_by_channel_id_start').on('events').columns(['channel_id', 'start_ms'])
      .where(sql.ref('channel_id'), 'is not', null).execute()
    await db.schema.createIndex('events_by_channel_id_length').on('events').expression(sql`channel_id, (end_ms - start_ms)`)
      .where(sql.ref('channel_id'), 'is not', null).execute()
    // a block's last aired item before a build: where its sequential order goes on
    await db.schema.createIndex('events_by_channel_block').on('events').columns(['channel_id', 'origin_block', 'start_ms'])
      .where(sql.ref('origin_block'), 'is not', null).execute()

    await db.insertInto('revisions').values({ scope: 'channels', revision: randomCounter(kind) }).execute()
    await runEach(db, kind === 'sqlite' ? SQLITE_TRIGGERS : POSTGRES_TRIGGERS)
  }
}
export default migration
