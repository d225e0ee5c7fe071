import { closeSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { migrations } from './migrations.js'
import type { Play, PlaysReading, Store, StoreCounts } from './store.js'
import { SqliteScheduleRepository } from './sqlite-schedules.js'
import { SqlitePlaylistRepository } from './sqlite-playlists.js'
import { SqliteIdempotencyRepository } from './sqlite-idempotency.js'
import { SqliteFillDecisionRepository } from './sqlite-fill-decisions.js'
import { readPlays } from './sqlite-plays.js'
import { crashAfterCommitIfArmed } from './test-hooks.js'
import { CommandError } from '../protocol.js'
import { DB_FILE_NAME } from './revisions.js'

export { DB_FILE_NAME }

/** Brings the schema up to date. Several processes may race here: IMMEDIATE takes the write lock first. */
export function migrate (db: Database.Database): number {
  const current = (): number => db.pragma('user_version', { simple: true }) as number
  if (current() >= migrations.length) return current()
  db.transaction(() => {
    for (let version = current(); version < migrations.length; version++) {
      db.exec(migrations[version])
      db.pragma(`user_version = ${version + 1}`)
    }
  }).immediate()
  return current()
}

export function openSqliteDatabase (dataDir: string): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, DB_FILE_NAME)
  // Made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's
  // own mode, so the whole database stays the owner's. An existing file keeps its mode.
  closeSync(openSync(file, 'a', 0o600))
  const db = new Database(file)
  // Many CLI processes write at once: WAL lets readers run beside the one writer,
  // and the busy timeout makes a writer wait for the lock instead of failing.
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 15000')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  migrate(db)
  return db
}

/** SQLITE_BUSY and its kin: another writer held the lock past the busy timeout. A retry later succeeds. */
const isBusy = (err: unknown): boolean => err instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(err.code)

const storageBusy = (): CommandError => new CommandError('STORAGE_BUSY', 'the database is busy with other writes; nothing was stored: try again in a moment')

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
  readonly db: Database.Database
  readonly schedules: SqliteScheduleRepository
  readonly playlists: SqlitePlaylistRepository
  readonly idempotency: SqliteIdempotencyRepository
  readonly fillDecisions: SqliteFillDecisionRepository

  constructor (private readonly dataDir: string) {
    this.db = openSqliteDatabase(dataDir)
    this.schedules = new SqliteScheduleRepository(this.db)
    this.playlists = new SqlitePlaylistRepository(this.db)
    this.idempotency = new SqliteIdempotencyRepository(this.db)
    this.fillDecisions = new SqliteFillDecisionRepository(this.db)
  }

  playsBetween (from: number, to: number): Iterable<Play> {
    return readPlays(this.db, from, to).plays
  }

  readPlays (from: number, to: number): PlaysReading {
    return readPlays(this.db, from, to)
  }

  exclusive<T> (work: () => T): T {
    let result: T
    try {
      // Nested transactions of the repositories become savepoints inside this one.
      result = this.db.transaction(work).immediate()
    } catch (err) {
      throw isBusy(err) ? storageBusy() : err
    }
    crashAfterCommitIfArmed(this.dataDir)
    return result
  }

  schemaVersion (): number {
    return this.db.pragma('user_version', { simple: true }) as number
  }

  counts (): StoreCounts {
    return this.db.prepare(`SELECT
      (SELECT count(*) FROM schedules) AS schedules,
      (SELECT count(*) FROM events) AS events,
      (SELECT count(*) FROM playlists) AS playlists,
      (SELECT count(*) FROM playlist_items) AS playlist_items`).get() as StoreCounts
  }

  close (): void {
    this.db.close()
  }
}
