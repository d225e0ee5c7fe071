import t, { type Test } from 'tap'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openSqliteDatabase, SqliteStorage, WAL_LIMIT_BYTES } from '../workers/storage/sqlite-dialect.js'
import { KyselyStore } from '../workers/storage/kysely-store.js'
import { DB_FILE_NAME } from '../workers/storage/revisions.js'
import type { Store } from '../workers/storage/store.js'
import { tempDir } from './helpers.js'

// Issue 21 item 10: the SQLite -wal file is bounded. A large import must fit in the log while
// it runs, but afterwards the file is checkpointed back under journal_size_limit, at once when
// no reader holds an older snapshot, else by the next write (or the worker's close) once the
// reader is done; a reader is never waited for. Real files; the limit is 1 MiB here so an
// import of 20,000 events (several MiB of log) crosses it.

const LIMIT = 1024 * 1024
const HOUR = 3_600_000

const bigSchedule = (name: string, count = 20_000) => ({
  name,
  source: 'json' as const,
  channels: [],
  events: Array.from({ length: count }, (_, i) => ({
    title: `Programme ${i} with a title long enough to take some room`,
    start: Date.UTC(2026, 0, 1) + i * HOUR,
    end: Date.UTC(2026, 0, 1) + (i + 1) * HOUR,
    video_url: `https://cdn.example/media/${i}.mp4`,
    category: 'Film',
    description: 'A description of a few words, as imports carry them.',
    tags: [],
    channel: null
  })),
  warnings: { duplicates: [], notes: [] }
})

/** A store on the file with the -wal bound at LIMIT, its schema made. */
async function migrated (dataDir: string): Promise<Store> {
  const storage = new SqliteStorage(openSqliteDatabase(dataDir, LIMIT))
  await storage.migrate()
  return KyselyStore.over(storage)
}

async function open (t: Test, dataDir: string): Promise<Store> {
  const store = await migrated(dataDir)
  t.teardown(() => store.close())
  return store
}

const walSize = (dataDir: string): number => statSync(join(dataDir, `${DB_FILE_NAME}-wal`), { throwIfNoEntry: false })?.size ?? 0

t.test('the default limit is set on every connection', async (t) => {
  const db = openSqliteDatabase(join(tempDir(t), 'data'))
  t.teardown(() => db.close())
  t.equal(db.pragma('journal_size_limit', { simple: true }), WAL_LIMIT_BYTES)
  t.equal(WAL_LIMIT_BYTES, 64 * 1024 * 1024)
})

t.test('a large import with no reader: the -wal file is under the limit once it is stored', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const store = await open(t, dataDir)
  await store.exclusive(async (tx) => { await tx.schedules.createSchedule(bigSchedule('big')) })
  t.ok(walSize(dataDir) <= LIMIT, `-wal is ${walSize(dataDir)} bytes`)
  t.match(await store.counts(), { events: 20_000 }, 'all of it stored')
})

t.test('a reader on an older snapshot keeps the log for as long as it reads; the next write then bounds it', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const store = await open(t, dataDir)
  await store.exclusive(async (tx) => { await tx.schedules.createSchedule(bigSchedule('first', 10)) })
  // Another process's long read (an export streaming): its snapshot predates the import.
  const reader = new Database(join(dataDir, DB_FILE_NAME), { readonly: true })
  t.teardown(() => reader.close())
  reader.exec('BEGIN')
  const before = reader.prepare('SELECT count(*) FROM events').pluck().get()

  await store.exclusive(async (tx) => { await tx.schedules.createSchedule(bigSchedule('big')) })
  const held = walSize(dataDir)
  t.ok(held > LIMIT, `while the reader reads, the import's log stays (${held} bytes): the checkpoint did not wait for it`)
  t.equal(reader.prepare('SELECT count(*) FROM events').pluck().get(), before, 'and the reader still sees its snapshot')

  reader.exec('COMMIT')
  await store.exclusive(async (tx) => { await tx.schedules.createSchedule(bigSchedule('small', 1)) })
  t.ok(walSize(dataDir) <= LIMIT, `the next write brings it under the limit (${walSize(dataDir)} bytes)`)
  t.match(await store.counts(), { events: 20_011 })
})

t.test('a worker closing bounds the log it left behind while another connection stays open', async (t) => {
  const dataDir = join(tempDir(t), 'data')
  const store = await migrated(dataDir)
  const other = new Database(join(dataDir, DB_FILE_NAME), { readonly: true })
  t.teardown(() => other.close())
  other.exec('BEGIN')
  other.prepare('SELECT count(*) FROM events').pluck().get()
  await store.exclusive(async (tx) => { await tx.schedules.createSchedule(bigSchedule('big')) })
  t.ok(walSize(dataDir) > LIMIT, 'the reader held the log')
  other.exec('COMMIT')
  await store.close()
  t.ok(walSize(dataDir) <= LIMIT, `closed, the worker left ${walSize(dataDir)} bytes of log`)
  t.equal(other.prepare('SELECT count(*) FROM events').pluck().get(), 20_000, 'everything is in the database')
})
