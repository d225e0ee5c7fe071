import t, { type Test } from 'tap'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { deflateRawSync } from 'node:zlib'
import Database from 'better-sqlite3'
import pg from 'pg'
import { openSqliteStore } from '../workers/storage/sqlite.js'
import { openPostgresStore } from '../workers/storage/postgres.js'
import { openSqliteDatabase, SqliteStorage } from '../workers/storage/sqlite-dialect.js'
import { openPostgresPool, PostgresStorage } from '../workers/storage/postgres-dialect.js'
import { SCHEMA_VERSION, STEP_NAMES } from '../workers/storage/migrations/index.js'
import { DB_FILE_NAME } from '../workers/storage/revisions.js'
import type { StorageDialect } from '../workers/storage/dialect.js'
import type { Store } from '../workers/storage/store.js'
import { LEGACY_SCHEMA_VERSION_TABLE, migrations as legacyMigrations } from './fixtures/legacy-migrations.js'
import { onPostgres, storeQuery, testDatabaseUrl, type StoreLocation } from './test-database.js'
import { tempDir } from './helpers.js'

// The schema's history under Kysely's Migrator (workers/storage/migrations/): a database made
// by the code before it, at every earlier version, upgrades in place to the newest with its data
// and ends with the schema a new database gets; the Migrator's steps up to any version make the
// schema the old migrations made at that version; nothing runs twice. On the pass's database:
// SQLite files, or one PostgreSQL schema per database in this test's own PostgreSQL database.

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 2, 23)
const LATEST = legacyMigrations.length

/** One database of the pass: a SQLite file, or a PostgreSQL schema reached through search_path. */
interface Place {
  where: StoreLocation
  /** Runs `statements` as one transaction, as the old code ran a migration. */
  exec(statements: readonly string[]): Promise<void>
  /** The old code's migrate(): its SQL up to `version`, the version recorded its way. */
  legacyMigrate(version: number): Promise<void>
  /** The dialect on it, unmigrated (migrate(n) stops at version n). */
  storage(): StorageDialect
  open(): Promise<Store>
  shape(): Promise<unknown>
  /** A literal of `bytes` in this database's SQL. */
  bytes(bytes: Buffer): string
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim()

/** What a SQLite schema is, as the database reports it, so that hand SQL and Kysely's spelling of it compare equal. */
function sqliteShape (file: string): unknown {
  const db = new Database(file, { readonly: true })
  try {
    const all = <R>(query: string, ...params: unknown[]): R[] => db.prepare(query).all(...params) as R[]
    const tables = all<{ name: string, sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name")
    return {
      tables: tables.map(({ name, sql }) => ({
        name,
        withoutRowid: /without\s+rowid\s*$/i.test(sql),
        checks: [...sql.matchAll(/\bcheck\s*\(((?:[^()]|\([^()]*\))*)\)/gi)].map((m) => collapse(m[1])).sort(),
        columns: all('SELECT name, lower(type) AS type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid', name),
        foreignKeys: all('SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY "from"', name),
        indexes: all<{ name: string }>('SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name', name)
          .map((index) => ({ ...index, columns: all('SELECT name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', index.name) }))
      })),
      triggers: all<{ name: string, tbl_name: string, sql: string }>("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        .map((r) => ({ ...r, sql: collapse(r.sql) }))
    }
  } finally {
    db.close()
  }
}

/** What a PostgreSQL schema is, in PostgreSQL's own words (it spells constraints, indexes and triggers one way whoever made them). */
async function postgresShape (url: string, schema: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const rows = async (query: string): Promise<unknown[]> => (await client.query(query, [schema])).rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? collapse(v.replaceAll(`${schema}.`, '')) : v])))
    // The bookkeeping of versions (kysely_migration*, the old schema_version) is not the schema.
    const inSchema = 'JOIN pg_class c ON c.oid = x.rel JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname NOT LIKE \'kysely%\' AND c.relname <> \'schema_version\''
    return {
      columns: await rows("SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name NOT LIKE 'kysely%' AND table_name <> 'schema_version' ORDER BY table_name, ordinal_position"),
      constraints: await rows(`SELECT c.relname AS table, x.conname AS name, pg_get_constraintdef(x.oid) AS def FROM (SELECT oid, conrelid AS rel, conname FROM pg_constraint) x ${inSchema} ORDER BY 1, 2`),
      indexes: await rows("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename NOT LIKE 'kysely%' AND tablename <> 'schema_version' ORDER BY indexname"),
      triggers: await rows(`SELECT c.relname AS table, x.tgname AS name, pg_get_triggerdef(x.oid) AS def FROM (SELECT oid, tgrelid AS rel, tgname FROM pg_trigger WHERE NOT tgisinternal) x ${inSchema} ORDER BY 2`),
      functions: await rows('SELECT proname, prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY proname')
    }
  } finally {
    await client.end()
  }
}

async function sqlitePlace (t: Test): Promise<Place> {
  const dataDir = join(tempDir(t), 'data')
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, DB_FILE_NAME)
  const raw = (): Database.Database => {
    const db = new Database(file)
    db.pragma('foreign_keys = ON')
    return db
  }
  const exec = async (statements: readonly string[]): Promise<void> => {
    const db = raw()
    try {
      db.transaction(() => { for (const s of statements) db.exec(s) })()
    } finally {
      db.close()
    }
  }
  return {
    where: { dataDir, databaseUrl: null },
    exec,
    async legacyMigrate (version) {
      await exec([...legacyMigrations.slice(0, version).map((m) => m.sqlite), `PRAGMA user_version = ${version}`])
    },
    storage: () => new SqliteStorage(openSqliteDatabase(dataDir)),
    async open () {
      const store = await openSqliteStore(dataDir)
      t.teardown(() => store.close())
      return store
    },
    shape: async () => sqliteShape(file),
    bytes: (bytes) => `X'${bytes.toString('hex')}'`
  }
}

let schemas = 0
const root = t
let database: Promise<string | null> | undefined

/** A schema of its own in this file's one database (whose public schema the test template has migrated already). */
async function postgresPlace (): Promise<Place> {
  const databaseUrl = (await (database ??= testDatabaseUrl(root)))!
  const schema = `place_${++schemas}`
  const url = new URL(databaseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  const placeUrl = url.toString()
  const exec = async (statements: readonly string[]): Promise<void> => {
    const client = new pg.Client({ connectionString: placeUrl })
    await client.connect()
    try {
      await client.query('BEGIN')
      for (const s of statements) await client.query(s)
      await client.query('COMMIT')
    } finally {
      await client.end()
    }
  }
  await exec([`CREATE SCHEMA ${schema}`])
  return {
    where: { dataDir: '', databaseUrl: placeUrl },
    exec,
    async legacyMigrate (version) {
      await exec([LEGACY_SCHEMA_VERSION_TABLE, ...legacyMigrations.slice(0, version).flatMap((m, i) => [m.postgres, `INSERT INTO schema_version (version) VALUES (${i + 1})`])])
    },
    storage: () => new PostgresStorage(openPostgresPool(placeUrl)),
    async open () {
      const store = await openPostgresStore(placeUrl)
      root.teardown(() => store.close())
      return store
    },
    shape: async () => postgresShape(databaseUrl, schema),
    bytes: (bytes) => `decode('${bytes.toString('hex')}', 'hex')`
  }
}

const place = async (t: Test): Promise<Place> => onPostgres ? postgresPlace() : sqlitePlace(t)

/** Runs the Migrator's steps up to `version` on `p`. */
async function migrateTo (p: Place, version: number): Promise<number> {
  const storage = p.storage()
  try {
    return await storage.migrate(version)
  } finally {
    await storage.close()
  }
}

const ANSWER = { ok: true, result: { id: 's1' } }

/** Rows a database at `version` could hold, in the columns it had then: what an upgrade must carry over. */
function dataAt (version: number, p: Place): string[] {
  const at = (hours: number): number => T0 + hours * HOUR
  // Before migration 6 the warnings column of a SQLite database kept copies of the conflicts (6 removes them).
  const warnings = version < 6 && !onPostgres ? '{"duplicates":[{"title":"x"}],"conflicts":[],"conflicts_total":0}' : '{"duplicates":[{"title":"x"}]}'
  const rows = [
    `INSERT INTO schedules (id, name, source, created, event_count, first_start_ms, last_end_ms, warnings${version >= 4 ? ', channel_id' : ''})
      VALUES ('s1', 'Week', 'json', '2026-01-01T00:00:00.000Z', 2, ${at(0)}, ${at(2)}, '${warnings}'${version >= 4 ? ", 'week.scheduleflow'" : ''})`,
    `INSERT INTO events (id, schedule_id, position, title, start_ms, end_ms, video_url, video_key, tags, channel) VALUES
      ('e1', 's1', 0, 'Morning', ${at(0)}, ${at(1)}, 'https://cdn.example/a.mp4', 'url:https://cdn.example/a.mp4', '["news"]', 'bbc1.uk'),
      ('e2', 's1', 1, 'Noon', ${at(1)}, ${at(2)}, 'https://cdn.example/b.mp4', 'url:https://cdn.example/b.mp4', '[]', NULL)`,
    "INSERT INTO playlists (id, name, created, item_count) VALUES ('p1', 'Films', '2026-01-01T00:00:00.000Z', 2)",
    `INSERT INTO playlist_items (playlist_id, position, title, url, duration) VALUES
      ('p1', 0, 'One', 'https://cdn.example/1.mp4', 60.5), ('p1', 1, 'Two', 'https://cdn.example/2.mp4', NULL)`
  ]
  if (version >= 2) {
    rows.push(`INSERT INTO idempotency_keys (owner, key, request_hash, command, answer, created_ms)
      VALUES ('k1', 'key-1', 'hash', 'import', ${p.bytes(deflateRawSync(JSON.stringify(ANSWER)))}, ${at(0)})`)
  }
  if (version >= 5) rows.push('INSERT INTO fill_decisions (schedule_id, chunk, count, decisions) VALUES (\'s1\', 0, 2, \'["first","second"]\')')
  if (version >= 7) {
    rows.push(
      "INSERT INTO channels (id, number, name, timezone, xmltv_id, created, updated) VALUES ('c1', '7', 'Seven', 'UTC', 'C7.7.scheduleflow', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
      `INSERT INTO events (id, schedule_id, channel_id, position, title, start_ms, end_ms, video_url, video_key, tags, origin_kind, origin_block, build_id)
        VALUES ('b-e1', NULL, 'c1', 0, 'Built', ${at(3)}, ${at(4)}, 'https://cdn.example/c.mp4', 'url:https://cdn.example/c.mp4', '[]', 'item', 'films', 'b1')`,
      `INSERT INTO channel_builds (id, channel_id, created, from_date, to_date, seed, freeze_hours, stats, warnings${version >= 10 ? ', revision' : ''})
        VALUES ('b1', 'c1', '2026-01-01T00:00:00.000Z', '2026-03-23', '2026-03-23', 'seed', 0, '{}', '[]'${version >= 10 ? ', 2' : ''})`,
      "INSERT INTO channel_overrides (id, channel_id, seq, name, from_date, to_date, created) VALUES ('o1', 'c1', 1, 'Holiday', '2026-03-24', '2026-03-25', '2026-01-01T00:00:00.000Z')"
    )
  }
  if (version >= 10) rows.push(builtAt10(at))
  if (version >= 8) {
    rows.push(
      "UPDATE schedules SET revision = 2 WHERE id = 's1'",
      `INSERT INTO edit_history (target, revision, at_ms, by_name, by_role, request_id, summary, changes)
        VALUES ('schedule:s1', 2, ${at(0)}, 'ed', 'editor', 'req-1', 'retitled', '{"added":[],"removed":[],"changed":[]}')`
    )
  }
  return rows
}

/**
 * A built stretch at version 10 (before programmes): a film in three parts with two breaks and
 * its pad, a fixed event, the film pushed after it, two default filler clips, an event added by
 * hand and the pad after it. [id, title, origin_kind, from and to in minutes after hour 5, in_ms].
 */
const BUILT_AT_10: ReadonlyArray<readonly [string, string, string | null, number, number, number]> = [
  ['f1', 'Film', 'item', 0, 15, 0], ['br1', 'Ident', 'break', 15, 16, 0], ['f2', 'Film', 'item', 16, 31, 15 * 60_000],
  ['br2', 'Ident', 'break', 31, 32, 0], ['f3', 'Film', 'item', 32, 40, 30 * 60_000], ['pad1', 'Trailer', 'filler', 40, 45, 0],
  ['fx', 'Live', 'fixed', 45, 60, 0], ['f4', 'Pushed', 'item', 60, 90, 0], ['d1', 'Loop', 'default', 90, 100, 0],
  ['d2', 'Loop', 'default', 100, 110, 0], ['h1', 'By hand', null, 110, 120, 0], ['pad2', 'Trailer', 'filler', 120, 125, 0]
]
/** The programmes migration 11 makes of BUILT_AT_10 (and the version 7 row 'b-e1'), by event id: [programme, role]. */
const PROGRAMMES_AT_10: Record<string, [string, string]> = {
  'b-e1': ['b-e1', 'part'],
  f1: ['f1', 'part'],
  br1: ['f1', 'break'],
  f2: ['f1', 'part'],
  br2: ['f1', 'break'],
  f3: ['f1', 'part'],
  pad1: ['f1', 'pad'],
  fx: ['fx', 'part'],
  f4: ['f4', 'part'],
  d1: ['d1', 'part'],
  d2: ['d1', 'part'],
  h1: ['h1', 'part'],
  pad2: ['pad2', 'pad']
}

function builtAt10 (at: (hours: number) => number): string {
  const values = BUILT_AT_10.map(([id, title, kind, from, to, inMs], i) => {
    const url = `https://cdn.example/${title.toLowerCase().replace(' ', '-')}.mp4`
    return `('${id}', NULL, 'c1', ${i + 1}, '${title}', ${at(5 + from / 60)}, ${at(5 + to / 60)}, '${url}', 'url:${url}', '[]', ${kind === null ? 'NULL' : `'${kind}'`}, ${kind === null ? 'NULL' : "'b1'"}, ${inMs})`
  })
  return `INSERT INTO events (id, schedule_id, channel_id, position, title, start_ms, end_ms, video_url, video_key, tags, origin_kind, build_id, in_ms) VALUES ${values.join(', ')}`
}

const scopes = async (where: StoreLocation): Promise<Array<{ scope: string, revision: number }>> =>
  (await storeQuery<{ scope: string, revision: number }>(where, 'SELECT scope, revision FROM revisions ORDER BY scope')).map((r) => ({ scope: r.scope, revision: Number(r.revision) }))

/** What the upgraded store must still answer of dataAt(version), and that it takes writes on the newest schema. */
async function assertCarriedOver (t: Test, p: Place, store: Store, version: number): Promise<void> {
  t.equal(await store.schemaVersion(), SCHEMA_VERSION, 'at the newest version')
  const migrated = await storeQuery<{ name: string }>(p.where, 'SELECT name FROM kysely_migration ORDER BY name')
  t.same(migrated.map((r) => r.name), STEP_NAMES, 'every step recorded once')
  const channelEvents = version >= 10 ? 1 + BUILT_AT_10.length : version >= 7 ? 1 : 0
  t.match(await store.counts(), { schedules: 1, events: 2 + channelEvents, playlists: 1, playlist_items: 2, channels: version >= 7 ? 1 : 0 })
  const events = await store.schedules.listEvents('s1')
  t.same(events.map((e) => [e.id, e.title, e.start, e.end, e.tags, e.channel]), [
    ['e1', 'Morning', T0, T0 + HOUR, ['news'], 'bbc1.uk'], ['e2', 'Noon', T0 + HOUR, T0 + 2 * HOUR, [], null]
  ], 'events, their fields and order')
  const [scheduleRow] = await storeQuery<{ channel_id: string, warnings: string }>(p.where, "SELECT channel_id, warnings FROM schedules WHERE id = 's1'")
  t.equal(scheduleRow.channel_id, version >= 4 ? 'week.scheduleflow' : 's1.scheduleflow', 'the stable channel id, kept or given by migration 4')
  t.same(JSON.parse(scheduleRow.warnings), { duplicates: [{ title: 'x' }] }, 'the warnings, without the copies migration 6 removes')
  t.same((await store.playlists.getPlaylist('p1'))?.items.map((i) => [i.title, i.duration]), [['One', 60.5], ['Two', null]], 'playlist items')
  t.same((await store.idempotency.find('k1', 'key-1', 0))?.answer, version >= 2 ? ANSWER : undefined, 'an idempotent answer replays')
  t.same(await store.fillDecisions.page('s1', 0, 10), version >= 5 ? ['first', 'second'] : [], 'the fill decisions')
  if (version >= 7) {
    t.match(await store.channels.get('c1'), { name: 'Seven', number: '7' })
    t.same((await store.channels.channelEvents('c1')).map((e) => e.title), ['Built', ...(version >= 10 ? BUILT_AT_10.map(([, title]) => title) : [])], 'the built events')
  }
  const history = await store.edits.history({ kind: 'schedule', id: 's1' })
  t.same(history.map((h) => [h.revision, h.summary]), version >= 8 ? [[2, 'retitled']] : [], 'the edit history')
  const scopeNames = (await scopes(p.where)).map((r) => r.scope).sort()
  t.same(scopeNames, ['channels', ...(version >= 7 ? ['channel:c1'] : []), 'playlist:p1', 'playlists', 'schedule:s1', 'schedules'].sort(), 'a change counter for every scope')

  // The newest schema takes the app's writes: a channel, a schedule placed on it, a delete that cascades.
  const channel = await store.channels.create({ number: '8', name: 'Eight', timezone: 'UTC' })
  t.equal(await store.channels.placeSchedule('s1', channel.id), 'placed')
  t.equal(await store.exclusive((tx) => tx.schedules.deleteSchedule('s1')), true)
  t.match(await store.counts(), { schedules: 0, events: channelEvents })
  t.notOk((await scopes(p.where)).some((r) => r.scope === 'schedule:s1'), 'its counter went with it')
  t.same(await store.edits.history({ kind: 'schedule', id: 's1' }), [], 'and its history')
}

t.test('a new database: the Migrator\'s steps make the schema the old migrations made, every step recorded', async (t) => {
  const fresh = await place(t)
  const legacy = await place(t)
  // The old migrations stop at LATEST; the steps after it are the Migrator's alone.
  t.equal(await migrateTo(fresh, LATEST), LATEST)
  await legacy.legacyMigrate(LATEST)
  t.ok(SCHEMA_VERSION >= LATEST, 'one step per old version, then the new ones')
  t.same(await fresh.shape(), await legacy.shape(), 'tables, columns, types, defaults, keys, checks, indexes and triggers alike')
  t.equal(await migrateTo(fresh, SCHEMA_VERSION), SCHEMA_VERSION)
  const store = await fresh.open()
  t.equal(await store.schemaVersion(), SCHEMA_VERSION)
  t.same((await storeQuery<{ name: string }>(fresh.where, 'SELECT name FROM kysely_migration ORDER BY name')).map((r) => r.name), STEP_NAMES)
})

t.test('the steps up to each earlier version make that version\'s schema', async (t) => {
  for (let version = 1; version < LATEST; version++) {
    const fresh = await place(t)
    const legacy = await place(t)
    t.equal(await migrateTo(fresh, version), version, `stops at ${version}`)
    await legacy.legacyMigrate(version)
    t.same(await fresh.shape(), await legacy.shape(), `version ${version} alike`)
  }
})

t.test('a database made by the old migrations at every version upgrades in place with its data', async (t) => {
  const newest = await place(t)
  await migrateTo(newest, SCHEMA_VERSION)
  const expected = await newest.shape()
  for (let version = 1; version <= LATEST; version++) {
    await t.test(`from version ${version}`, async (t) => {
      const p = await place(t)
      await p.legacyMigrate(version)
      await p.exec(dataAt(version, p))
      const before = await scopes(p.where).catch(() => [])
      const store = await p.open()
      t.same(await p.shape(), expected, 'the schema a new database gets')
      if (version === LATEST) t.same(await scopes(p.where), before, 'nothing ran again: not a counter moved')
      await assertCarriedOver(t, p, store, version)
    })
  }
})

t.test('a database the Migrator made part way is taken on from its last step', async (t) => {
  const p = await place(t)
  t.equal(await migrateTo(p, 7), 7)
  await p.exec(dataAt(7, p))
  const store = await p.open()
  await assertCarriedOver(t, p, store, 7)
})

t.test('migration 11 makes programmes of a version 10 channel\'s events: an airing with its breaks and pad, a filler stretch, a fixed and a hand-added event each', async (t) => {
  const p = await place(t)
  t.equal(await migrateTo(p, 10), 10)
  await p.exec(dataAt(10, p))
  const store = await p.open()
  const rows = await storeQuery<{ id: string, programme_id: string | null, segment_role: string | null }>(p.where, 'SELECT id, programme_id, segment_role FROM events ORDER BY start_ms, id')
  t.same(Object.fromEntries(rows.filter((r) => r.programme_id !== null).map((r) => [r.id, [r.programme_id, r.segment_role]])), PROGRAMMES_AT_10,
    'the film\'s parts, breaks and pad one programme; the pad before the fixed event not the pushed film\'s')
  t.same(rows.filter((r) => r.programme_id === null).map((r) => r.id), ['e1', 'e2'], 'a schedule\'s events have none')
  await assertCarriedOver(t, p, store, 10)
})
