import { sql, type CompiledQuery, type Insertable, type Selectable } from 'kysely'
import { CommandError } from '../../contract/command-error.js'
import type { Database, Tables } from './tables.js'
import type { StorageKind } from '../../contract/api.js'
import { beforeCommit, beforeWrite } from './before-write.js'

/**
 * What differs from one database to another, and only that: the repositories are written once,
 * in Kysely, against this: sqlite-dialect.ts and postgres-dialect.ts. Methods that read take
 * the executor to read on (the database, or the transaction's connection): a worker has one
 * connection, and a transaction holds it.
 */
export interface StorageDialect {
  readonly kind: StorageKind
  readonly db: Database
  /** Runs `work` on one connection as one transaction holding the write lock; a throw rolls it back. */
  writeTransaction<T>(work: (tx: Database) => Promise<T>): Promise<T>
  /**
   * Many rows into one table, inside `tx`: the hot path of a 10,000-event import, kept fast per
   * database. Rows are taken one by one as they are written (see rowsOf), never all held at once.
   */
  insertRows<K extends keyof Tables & string>(tx: Database, table: K, rows: Iterable<Insertable<Tables[K]>>): Promise<void>
  /**
   * Rows of `table` changed in place by their `id`, inside `tx`: only `columns` are set (the same
   * for every row), so only the indexes on them are touched (an edit's moves and retitles: a
   * delete and insert of each row updated every index of the events table).
   */
  updateRows<K extends TableWithId>(
    tx: Database,
    table: K,
    columns: ReadonlyArray<keyof Selectable<Tables[K]> & string>,
    rows: Iterable<Selectable<Tables[K]>>
  ): Promise<void>
  /** A select's rows as lists of column values, compactly: a window can hold hundreds of thousands. */
  iterateRows(executor: Database, query: CompiledQuery): Promise<Iterable<unknown[]>>
  /** Changes whenever another connection commits a schedule write: equal marks mean none did meanwhile. */
  changeMark(executor: Database): Promise<number>
  /**
   * Brings the schema up to the newest version (or to `target`, a test's earlier one) and
   * answers the version; safe when several processes open the same database at once.
   */
  migrate(target?: number): Promise<number>
  schemaVersion(): Promise<number>
  close(): Promise<void>
}

/** The tables whose rows are named by an `id` column. */
export type TableWithId = { [K in keyof Tables & string]: Selectable<Tables[K]> extends { id: string } ? K : never }[keyof Tables & string]

/**
 * `items` as rows, each made when insertRows takes it: a 100,000-event import's rows held all
 * at once were 65 MB of a worker's peak (issue 3's target for that import: under 300 MB).
 */
export function * rowsOf<T, R> (items: readonly T[], row: (item: T, position: number) => R): Generator<R> {
  for (let i = 0; i < items.length; i++) yield row(items[i], i)
}

/**
 * `work` as one transaction on one connection of `db`: `begin` opens it and takes the write
 * lock, a throw anywhere rolls it back. An error `isBusy` recognises (the lock not had in
 * time) is STORAGE_BUSY, a 503 saying nothing was stored, on either database.
 */
export async function lockedTransaction<T> (
  db: Database,
  begin: (tx: Database) => Promise<void>,
  work: (tx: Database) => Promise<T>,
  isBusy: (err: unknown) => boolean
): Promise<T> {
  beforeWrite()
  return db.connection().execute(async (tx) => {
    let result: T
    try {
      await begin(tx)
      result = await work(tx)
      beforeCommit()
      await sql`COMMIT`.execute(tx)
    } catch (err) {
      // Nothing to roll back when the begin itself failed, or the database already did (a full disk).
      await sql`ROLLBACK`.execute(tx).catch(() => {})
      throw isBusy(err) ? new CommandError('STORAGE_BUSY', 'the database is busy with other writes; nothing was stored: try again in a moment') : err
    }
    return result
  })
}

/**
 * Where a repository's queries go: the database, or the connection of the write transaction
 * it is part of. Within a worker the database's one connection is held by that transaction,
 * so the outer scope refuses queries meanwhile: a query waiting for the connection its own
 * caller holds would wait for ever.
 */
export class Scope {
  private constructor (
    readonly dialect: StorageDialect,
    private readonly tx: Database | null,
    private readonly lock: { held: boolean }
  ) {}

  static of (dialect: StorageDialect): Scope {
    return new Scope(dialect, null, { held: false })
  }

  get inTransaction (): boolean {
    return this.tx !== null
  }

  /** The executor for a query now. */
  db (): Database {
    if (this.tx !== null) return this.tx
    if (this.lock.held) throw new Error('storage: used outside the transaction exclusive() holds; use the store exclusive() gives')
    return this.dialect.db
  }

  /** Runs `work` as one write transaction, or as part of the one this scope is in. */
  async write<T> (work: (tx: Database) => Promise<T>): Promise<T> {
    return this.transaction((scope) => work(scope.db()))
  }

  /** Like write(), with the transaction's scope given to `work`. */
  async transaction<T> (work: (scope: Scope) => Promise<T>): Promise<T> {
    if (this.tx !== null) return work(this)
    this.db() // refuses to wait for the connection a transaction of this process holds
    this.lock.held = true
    try {
      return await this.dialect.writeTransaction((tx) => work(new Scope(this.dialect, tx, this.lock)))
    } finally {
      this.lock.held = false
    }
  }
}
