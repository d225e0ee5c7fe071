import pg from 'pg'
import { Kysely, PostgresDialect, sql, type CompiledQuery, type Insertable, type RawBuilder, type Selectable } from 'kysely'
import { isCurrent, migrateSchema, schemaVersion } from './migrations/index.js'
import { lockedTransaction, type StorageDialect, type TableWithId } from './dialect.js'
import type { Database, Tables } from './tables.js'
import { CHANNELS_SCOPE, SCHEDULES_SCOPE } from './revisions.js'

// Everything of the storage that only PostgreSQL says: the connection, the advisory locks
// that make its writes take turns as SQLite's do, where migrations are recorded, and the change mark.

/**
 * Advisory lock keys (any two bigints the application owns). WRITE_LOCK is held by every
 * write transaction: an auto-fill's re-check and write must not interleave with another
 * instance's (the cooldown counts plays across every schedule), and an import's free
 * channel id must not be taken by another import meanwhile. Reads never wait for it.
 */
const WRITE_LOCK = 7_420_002

/** How long a write waits for the lock before it gives up, as SQLite's busy_timeout. */
const LOCK_TIMEOUT = '15s'

/** Epoch ms are BIGINT: read as numbers (they are below 2^53), not as text. */
const INT8_OID = 20
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
}

/** Lock or statement timeouts and serialization failures: another writer held on too long. A retry later succeeds. */
const isBusy = (err: unknown): boolean => ['55P03', '57014', '40001', '40P01'].includes((err as { code?: string }).code ?? '')

/** One connection: a worker serves one operation at a time, and a transaction holds it throughout. */
export function openPostgresPool (url: string, max = 1): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 0 })
  // A connection the server ends while idle (a restart) is dropped from the pool; the next query opens another.
  pool.on('error', () => {})
  return pool
}

/** Rows per INSERT: each column is one array parameter, so only the statement's size bounds it. */
const ROWS_PER_INSERT = 5000

/** Runs `write` on `rows` ROWS_PER_INSERT at a time, holding one chunk at a time. */
async function inChunks<R> (rows: Iterable<R>, write: (chunk: R[]) => Promise<void>): Promise<void> {
  let chunk: R[] = []
  for (const row of rows) {
    chunk.push(row)
    if (chunk.length === ROWS_PER_INSERT) {
      await write(chunk)
      chunk = []
    }
  }
  if (chunk.length > 0) await write(chunk)
}

/** unnest()'s arguments: one typed array per column, of the chunk's values. */
function unnestArrays<R> (
  types: ReadonlyMap<string, string>,
  table: string,
  columns: ReadonlyArray<keyof R & string>,
  chunk: readonly R[]
): RawBuilder<unknown> {
  return sql.join(columns.map((column) => {
    const type = types.get(column)
    if (type === undefined) throw new Error(`${table}: no column ${column}`)
    return sql`${chunk.map((row) => row[column] ?? null)}::${sql.raw(type)}[]`
  }))
}

export class PostgresStorage implements StorageDialect {
  readonly kind = 'postgres' as const
  readonly db: Database
  /** Each table's column types, as unnest() needs them; read once per process. */
  private readonly columnTypes = new Map<string, Map<string, string>>()

  constructor (pool: pg.Pool) {
    this.db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) })
  }

  /**
   * `work` as one READ COMMITTED transaction holding WRITE_LOCK from its first statement:
   * every statement after the lock sees what the writers before it committed.
   */
  async writeTransaction<T> (work: (tx: Database) => Promise<T>): Promise<T> {
    return lockedTransaction(this.db, async (tx) => {
      await sql`BEGIN`.execute(tx)
      await sql.raw(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`).execute(tx)
      await sql`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`.execute(tx)
    }, work, isBusy)
  }

  /**
   * One array per column, unnested into rows: `INSERT … SELECT * FROM unnest($1::text[], …)`.
   * A multi-row VALUES list of 10,000 events is 120,000 parameters for Kysely to build and
   * PostgreSQL to parse; this is twelve (a 10,000-event import: ~1.2 s against ~0.5 s).
   */
  async insertRows<K extends keyof Tables & string> (tx: Database, table: K, rows: Iterable<Insertable<Tables[K]>>): Promise<void> {
    const types = await this.typesOf(tx, table)
    await inChunks(rows, async (chunk) => {
      // The first row names the columns.
      const columns = Object.keys(chunk[0]) as Array<keyof Insertable<Tables[K]> & string>
      await sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT * FROM unnest(${unnestArrays(types, table, columns, chunk)})`.execute(tx)
    })
  }

  /** As insertRows, a chunk at a time: one UPDATE … FROM unnest() joined on id per chunk. */
  async updateRows<K extends TableWithId> (
    tx: Database,
    table: K,
    columns: ReadonlyArray<keyof Selectable<Tables[K]> & string>,
    rows: Iterable<Selectable<Tables[K]>>
  ): Promise<void> {
    if (columns.length === 0) return
    const types = await this.typesOf(tx, table)
    const named = ['id', ...columns] as Array<keyof Selectable<Tables[K]> & string>
    await inChunks(rows, async (chunk) => {
      await sql`UPDATE ${sql.table(table)} SET ${sql.join(columns.map((c) => sql`${sql.ref(c)} = ${sql.ref(`v.${c}`)}`))}
        FROM unnest(${unnestArrays(types, table, named, chunk)}) AS v(${sql.join(named.map((c) => sql.ref(c)))}) WHERE ${sql.ref(`${table}.id`)} = v.id`.execute(tx)
    })
  }

  private async typesOf (executor: Database, table: string): Promise<Map<string, string>> {
    let types = this.columnTypes.get(table)
    if (types === undefined) {
      const { rows } = await sql<{ name: string, type: string }>`SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = ${table}::regclass AND attnum > 0 AND NOT attisdropped`.execute(executor)
      this.columnTypes.set(table, types = new Map(rows.map((r) => [r.name, r.type])))
    }
    return types
  }

  async iterateRows (executor: Database, query: CompiledQuery): Promise<Iterable<unknown[]>> {
    const { rows } = await executor.executeQuery<Record<string, unknown>>(query)
    return { [Symbol.iterator]: function * () { for (const row of rows) yield Object.values(row) } }
  }

  /**
   * The 'schedules' and 'channels' change counters (migrations 3 and 7) added up: one is raised
   * in the transaction of every schedule write, the other of every channel write (a build
   * replacing its events); both only grow, so the sum moves when either does.
   */
  async changeMark (executor: Database): Promise<number> {
    const row = await executor.selectFrom('revisions').select((eb) => eb.fn.sum<number>('revision').as('mark'))
      .where('scope', 'in', [SCHEDULES_SCOPE, CHANNELS_SCOPE]).executeTakeFirst()
    // sum() of BIGINT is NUMERIC, read as text
    return Number(row?.mark ?? 0)
  }

  /**
   * N instances and their workers may start at once: Kysely's Migrator runs the steps in one
   * transaction under its own advisory lock, so the first migrates and the rest wait and find
   * nothing to do. DDL is transactional here, and a crashed start leaves nothing half-made.
   * Its tables live in the schema the app's tables are made in (the search path's first).
   */
  async migrate (target?: number): Promise<number> {
    if (target === undefined && await isCurrent(this.db)) return schemaVersion(this.db)
    const { rows } = await sql<{ schema: string | null }>`SELECT current_schema() AS schema`.execute(this.db)
    return migrateSchema(this.db, this.kind, { tableSchema: rows[0]?.schema ?? 'public', target })
  }

  async schemaVersion (): Promise<number> {
    return schemaVersion(this.db)
  }

  async close (): Promise<void> {
    await this.db.destroy()
  }
}
