import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely'
import type { StorageKind } from '../../../contract/api.js'

// What a migration file exports, and the few words in which the two databases differ. A
// migration is written once in Kysely's schema builder; it branches on `kind` only where
// SQLite and PostgreSQL truly differ (triggers, rebuilding a table, a data fix one of them
// never needed). Instants are stored as UTC epoch milliseconds so range reads are integer
// index scans.

/** Kysely's own schema type for a migration: it runs against the schema of its time, not today's. */
export type SchemaDb = Kysely<any>

/** One schema version: the next step from the one before. Append only: a shipped step is never edited. */
export interface SchemaStep {
  up(db: SchemaDb, kind: StorageKind): Promise<void>
}

/** A column as both createTable and alterTable take it: name, type and constraints. */
export type ColumnSpec = readonly [name: string, type: ColumnType, build?: (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder]
type ColumnType = 'text' | 'integer' | 'bigint' | 'smallint' | 'real' | 'double precision' | 'blob' | 'bytea'

/**
 * The column types whose names differ: SQLite's INTEGER holds the epoch ms and counters that
 * PostgreSQL keeps as BIGINT, REAL is DOUBLE PRECISION, BLOB is BYTEA, and a 0/1 flag is
 * SMALLINT there.
 */
export function types (kind: StorageKind): { ms: ColumnType, counter: ColumnType, real: ColumnType, bytes: ColumnType, flag: ColumnType } {
  return kind === 'sqlite'
    ? { ms: 'integer', counter: 'integer', real: 'real', bytes: 'blob', flag: 'integer' }
    : { ms: 'bigint', counter: 'bigint', real: 'double precision', bytes: 'bytea', flag: 'smallint' }
}

/** `columns` added to a table being created, in order. */
export function withColumns<T extends CreateTableBuilder<string, string>> (table: T, columns: readonly ColumnSpec[]): T {
  let built: CreateTableBuilder<string, string> = table
  for (const [name, type, build] of columns) built = built.addColumn(name, type, build)
  return built as T
}

/** SQLite stores a table keyed by its primary key alone as a b-tree of it (WITHOUT ROWID); PostgreSQL has no such choice. */
export function withoutRowid<T extends CreateTableBuilder<string, string>> (table: T, kind: StorageKind): T {
  return (kind === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table) as T
}

/**
 * A random start for a change counter below 10^12 (migration 3): a database made afresh never
 * hands out an ETag an earlier one did.
 */
export function randomCounter (kind: StorageKind): RawBuilder<number> {
  return kind === 'sqlite' ? sql<number>`abs(random() % 1000000000000)` : sql<number>`floor(random() * 1000000000000)::bigint`
}

/** Several statements of one database's own words, run one at a time (SQLite's driver prepares one statement per call). */
export async function runEach (db: SchemaDb, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db)
}
