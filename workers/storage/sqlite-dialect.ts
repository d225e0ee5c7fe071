import { closeSync, mkdirSync, openSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, sql, type CompiledQuery, type Insertable, type Selectable } from 'kysely'
import { isCurrent, migrateSchema, schemaVersion } from './migrations/index.js'
import { lockedTransaction, type StorageDialect, type TableWithId } from './dialect.js'
import type { Database, Tables } from './tables.js'
import { DB_FILE_NAME } from './revisions.js'

// Everything of the storage that only SQLite says: the file and its pragmas, BEGIN IMMEDIATE,
// the write lock migrations take, data_version, and better-sqlite3's own prepared statements
// for the hot paths.

// The driver (CommonJS) through require: imported, an ES module would first have its sources
// parsed for their export names, and every worker start would pay for that.
const require = createRequire(import.meta.url)
const Sqlite = require('better-sqlite3') as typeof BetterSqlite3

/**
 * The driver's compiled addon, named to it: left to find it, better-sqlite3 asks the
 * `bindings` package, which walks the call stack and tries a dozen paths at every worker start.
 * undefined (the driver's own search) if this install keeps it elsewhere.
 */
const nativeBinding = ((): string | undefined => {
  try {
    return require.resolve('better-sqlite3/build/Release/better_sqlite3.node')
  } catch {
    return undefined
  }
})()

/**
 * The bound on the -wal file (issue 21: after a soak it stayed at 315 MB beside a 620 MB
 * database). SQLite cuts the file back to it when the log restarts after a full checkpoint
 * (journal_size_limit), and a write that leaves it larger checkpoints it away at once
 * (SqliteStorage.boundWal): a large import's transaction must fit in the log while it runs,
 * but the file does not stay that large.
 */
export const WAL_LIMIT_BYTES = 64 * 1024 * 1024

export function openSqliteDatabase (dataDir: string, walLimitBytes = WAL_LIMIT_BYTES): BetterSqlite3.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, DB_FILE_NAME)
  // Made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's
  // own mode, so the whole database stays the owner's. An existing file keeps its mode.
  closeSync(openSync(file, 'a', 0o600))
  const db = new Sqlite(file, { nativeBinding })
  // Many CLI processes write at once: WAL lets readers run beside the one writer,
  // and the busy timeout makes a writer wait for the lock instead of failing.
  db.pragma('journal_mode = WAL')
  db.pragma('busy_timeout = 15000')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  // A page cache of up to 8 MiB (SQLite's default is 2 MiB): a pooled worker keeps its
  // connection for hundreds of operations, and a week of 10,000 events is about 4 MiB of pages
  // read in index order. With 2 MiB the pages are read from the file again on every read, and
  // evicted within one (a 10,000-event timeline: 50–120 ms of reads against 25–35 ms). Not
  // more: a large import fills the cache with the pages it writes (32 MiB: +30 MB of peak
  // memory for a 100,000-event import).
  db.pragma('cache_size = -8192')
  db.pragma(`journal_size_limit = ${walLimitBytes}`)
  return db
}

/** SQLITE_BUSY and its kin: another writer held the lock past the busy timeout. A retry later succeeds. */
const isBusy = (err: unknown): boolean => err instanceof Sqlite.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(err.code)

/**
 * `work` as one transaction on the connection, begun IMMEDIATE: the write lock is taken up
 * front (waiting up to busy_timeout), so a transaction that reads then writes never fails
 * halfway with SQLITE_BUSY as Kysely's own (deferred) db.transaction() does across processes.
 */
export async function writeTransaction<T> (db: Database, work: (tx: Database) => Promise<T>): Promise<T> {
  return lockedTransaction(db, async (tx) => { await sql`BEGIN IMMEDIATE`.execute(tx) }, work, isBusy)
}

const MAX_CACHED_STATEMENTS = 256

export class SqliteStorage implements StorageDialect {
  readonly kind = 'sqlite' as const
  readonly db: Database
  /** better-sqlite3 statements by SQL text: Kysely builds the SQL, the hot paths run it prepared. */
  private readonly prepared = new Map<string, BetterSqlite3.Statement>()
  /** journal_size_limit as openSqliteDatabase set it: what boundWal() holds the -wal file to. */
  private readonly walLimit: number

  constructor (private readonly raw: BetterSqlite3.Database) {
    this.walLimit = raw.pragma('journal_size_limit', { simple: true }) as number
    // Kysely's SQLite driver prepares every query anew; a long-lived worker asks for the same
    // few statements thousands of times, so the driver is handed the cache as well.
    this.db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: { prepare: (text: string) => this.statement(text), close: () => raw.close() } }) })
  }

  async writeTransaction<T> (work: (tx: Database) => Promise<T>): Promise<T> {
    try {
      return await writeTransaction(this.db, work)
    } finally {
      this.boundWal()
    }
  }

  /**
   * After a write: when the -wal file has grown past journal_size_limit (a large import), a
   * TRUNCATE checkpoint copies it into the database and empties it. It never waits: with the
   * busy timeout at 0 for it, a reader still on an older snapshot (another worker's export)
   * or another writer makes it stop where it is, and the next write tries again; the normal
   * auto-checkpoint and journal_size_limit then keep the file from growing back. One stat()
   * per write transaction is all it costs otherwise.
   */
  boundWal (): void {
    let size: number
    try {
      size = statSync(`${this.raw.name}-wal`).size
    } catch {
      return // no -wal file: nothing to bound
    }
    if (!this.raw.open || this.walLimit < 0 || size <= this.walLimit) return
    const timeout = this.raw.pragma('busy_timeout', { simple: true }) as number
    try {
      this.raw.pragma('busy_timeout = 0')
      this.raw.pragma('wal_checkpoint(TRUNCATE)')
    } catch {
      // A statement of this connection still running (a streamed read): the next write tries again.
    } finally {
      this.raw.pragma(`busy_timeout = ${timeout}`)
    }
  }

  private statement (text: string): BetterSqlite3.Statement {
    let statement = this.prepared.get(text)
    if (statement === undefined) {
      // SQL with a list of values (IN (?, ?, …), a chunk of rows) differs by its length: bounded.
      if (this.prepared.size >= MAX_CACHED_STATEMENTS) this.prepared.clear()
      this.prepared.set(text, statement = this.raw.prepare(text))
    }
    return statement
  }

  /**
   * One prepared INSERT run per row, on the connection the transaction holds: Kysely's
   * multi-row inserts cost 8× as much here (a 10,000-event import: ~500 ms against ~70 ms).
   */
  async insertRows<K extends keyof Tables & string> (tx: Database, table: K, rows: Iterable<Insertable<Tables[K]>>): Promise<void> {
    let insert: BetterSqlite3.Statement | undefined
    let columns: Array<keyof Insertable<Tables[K]>> = []
    let values: unknown[] = []
    for (const row of rows) {
      if (insert === undefined) {
        // The first row names the columns and compiles the statement every row runs.
        columns = Object.keys(row) as Array<keyof Insertable<Tables[K]>>
        const { sql: text, parameters } = tx.insertInto(table).values(row).compile()
        if (parameters.length !== columns.length) throw new Error(`insertRows ${table}: every column needs a value (null, not undefined)`)
        insert = this.statement(text)
        values = new Array(columns.length)
      }
      for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]]
      insert.run(values)
    }
  }

  // One prepared UPDATE run per row: on SQLite a run is a function call, not a round trip.
  async updateRows<K extends TableWithId> (
    _tx: Database,
    table: K,
    columns: ReadonlyArray<keyof Selectable<Tables[K]> & string>,
    rows: Iterable<Selectable<Tables[K]>>
  ): Promise<void> {
    if (columns.length === 0) return
    const update = this.statement(`UPDATE "${table}" SET ${columns.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ?`)
    const values = new Array<unknown>(columns.length + 1)
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]]
      values[columns.length] = (row as { id: string }).id
      update.run(values)
    }
  }

  // The executor is not needed: a SQLite store has one connection, transaction or not.
  async iterateRows (_executor: Database, query: CompiledQuery): Promise<Iterable<unknown[]>> {
    const select = this.statement(query.sql).raw(true)
    // Run when iterated, not now: a running statement keeps the connection busy for any other query.
    return { [Symbol.iterator]: () => select.iterate(...query.parameters) as IterableIterator<unknown[]> }
  }

  /**
   * Several processes may start at once on a new file: the steps run inside one transaction
   * begun IMMEDIATE, so the first takes the write lock and the rest wait, then find nothing to
   * do. Kysely's Migrator takes no lock of its own on SQLite, and runs in whatever transaction
   * its one connection is in (SQLite's DDL is transactional: a failed step leaves nothing).
   */
  async migrate (target?: number): Promise<number> {
    if (target === undefined && await isCurrent(this.db)) return schemaVersion(this.db)
    this.raw.exec('BEGIN IMMEDIATE')
    try {
      const version = await migrateSchema(this.db, this.kind, { target })
      this.raw.exec('COMMIT')
      return version
    } catch (err) {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK')
      throw err
    }
  }

  async changeMark (): Promise<number> {
    return this.raw.pragma('data_version', { simple: true }) as number
  }

  async schemaVersion (): Promise<number> {
    return schemaVersion(this.db)
  }

  async close (): Promise<void> {
    // A worker retiring leaves the log as small as it can (the last connection's close would
    // checkpoint it anyway; with other processes open, this one's may be the last chance).
    this.boundWal()
    await this.db.destroy()
  }
}
