import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Migration, type MigrationProvider } from 'kysely'
import type { StorageKind } from '../../../contract/api.js'
import type { SchemaDb, SchemaStep } from './step.js'
import schedulesEventsPlaylists from './0001-schedules-events-playlists.js'
import idempotencyKeys from './0002-idempotency-keys.js'
import revisions from './0003-revisions.js'
import scheduleChannelId from './0004-schedule-channel-id.js'
import fillDecisions from './0005-fill-decisions.js'
import channelIndexes from './0006-channel-indexes.js'
import channels from './0007-channels.js'
import editHistory from './0008-edit-history.js'
import editWarningIndexes from './0009-edit-warning-indexes.js'
import buildRevision from './0010-build-revision.js'
import programmes from './0011-programmes.js'
import historyEveryWrite from './0012-history-every-write.js'
import seriesSources from './0013-series-sources.js'
import onAir from './0014-on-air.js'
import media from './0015-media.js'
import keyNames from './0016-key-names.js'

// The schema's history, run by Kysely's Migrator, which records each step by name in its
// kysely_migration table. Imported here one by one, not read from the folder at run time: the
// worker is one bundle. A new step is a new file, added at the end of STEPS.

/**
 * The steps in order: the one at index n - 1 is schema version n, the number the migrate
 * command and system info answer and the one databases made before the Migrator counted
 * (SQLite in user_version, PostgreSQL in its schema_version table).
 */
const STEPS: ReadonlyArray<readonly [name: string, step: SchemaStep]> = [
  ['0001-schedules-events-playlists', schedulesEventsPlaylists],
  ['0002-idempotency-keys', idempotencyKeys],
  ['0003-revisions', revisions],
  ['0004-schedule-channel-id', scheduleChannelId],
  ['0005-fill-decisions', fillDecisions],
  ['0006-channel-indexes', channelIndexes],
  ['0007-channels', channels],
  ['0008-edit-history', editHistory],
  ['0009-edit-warning-indexes', editWarningIndexes],
  ['0010-build-revision', buildRevision],
  ['0011-programmes', programmes],
  ['0012-history-every-write', historyEveryWrite],
  ['0013-series-sources', seriesSources],
  ['0014-on-air', onAir],
  ['0015-media', media],
  ['0016-key-names', keyNames]
]

/** The newest schema version. */
export const SCHEMA_VERSION = STEPS.length

/** The names the Migrator records, in order (a test reads them back). */
export const STEP_NAMES: readonly string[] = STEPS.map(([name]) => name)

/**
 * How far a database made before the Migrator had come: SQLite's user_version, PostgreSQL's
 * schema_version table (0 when there is none: a new database). Those counters are read, never
 * written again.
 */
async function legacyVersion (db: SchemaDb, kind: StorageKind): Promise<number> {
  if (kind === 'sqlite') {
    const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db)
    return rows[0]?.user_version ?? 0
  }
  // Two statements: PostgreSQL resolves every table a statement names before running any of it.
  const { rows: [{ present }] } = await sql<{ present: boolean }>`SELECT to_regclass('schema_version') IS NOT NULL AS present`.execute(db)
  if (!present) return 0
  const { rows } = await sql<{ version: number | null }>`SELECT max(version) AS version FROM schema_version`.execute(db)
  return Number(rows[0]?.version ?? 0)
}

/**
 * The steps as the Migrator takes them, for one database. A step the database's old counter
 * already counts is recorded without running: on its first run under the Migrator, a database
 * at version 6 records steps 1–6 and runs 7 onward, in the same transaction.
 */
class SchemaSteps implements MigrationProvider {
  constructor (private readonly kind: StorageKind) {}

  async getMigrations (): Promise<Record<string, Migration>> {
    return Object.fromEntries(STEPS.map(([name, step], index): [string, Migration] => [name, {
      up: async (db) => {
        if (await legacyVersion(db, this.kind) > index) return
        await step.up(db, this.kind)
      }
    }]))
  }
}

/** The schema version the Migrator has recorded: its latest step's number (0: none yet, or no table). */
export async function schemaVersion (db: SchemaDb): Promise<number> {
  const row = await db.selectFrom(DEFAULT_MIGRATION_TABLE).select((eb) => eb.fn.max<string>('name').as('name')).executeTakeFirst()
  return STEP_NAMES.indexOf(row?.name ?? '') + 1
}

/**
 * Runs the steps the database lacks, up to `target` (a test stops at an earlier version).
 * The caller holds what makes concurrent starts take turns where Kysely does not: on SQLite
 * the write lock (BEGIN IMMEDIATE); on PostgreSQL the Migrator takes its own advisory lock
 * and transaction. `tableSchema` is where the Migrator keeps its tables (PostgreSQL: the
 * schema the app's tables are in; Kysely would otherwise find them in any schema).
 */
export async function migrateSchema (
  db: SchemaDb,
  kind: StorageKind,
  { tableSchema, target = SCHEMA_VERSION }: { tableSchema?: string, target?: number } = {}
): Promise<number> {
  const migrator = new Migrator({ db, provider: new SchemaSteps(kind), migrationTableSchema: tableSchema })
  const { error } = await migrator.migrateTo(STEP_NAMES[target - 1])
  if (error !== undefined) throw error
  return schemaVersion(db)
}

/** Whether the database already has every step: the check every worker start makes, one read. */
export async function isCurrent (db: SchemaDb): Promise<boolean> {
  return await schemaVersion(db).catch(() => 0) === SCHEMA_VERSION
}
