import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import type { Test } from 'tap'
import { DB_FILE_NAME } from '../workers/storage/sqlite.js'

// Which database the tests give the app. `npm test` (scripts/test-both-databases.mjs) runs the
// storage-bound files a second time with SCHEDULEFLOW_TEST_STORAGE=postgres and the admin URL of
// a PostgreSQL server in SCHEDULEFLOW_TEST_DATABASE_URL; then every app, server and CLI that a
// test starts gets a database of its own, copied from TEMPLATE (migrated once by the wrapper).
// Run by hand (`npx tap test/x.test.ts`) the tests use SQLite, as before.

export const TEMPLATE = 'sf_template'

export const onPostgres = process.env.SCHEDULEFLOW_TEST_STORAGE === 'postgres'
/** What health and system-info should name in this pass. */
export const storageKind = onPostgres ? 'postgres' : 'sqlite'

function adminUrl (): string {
  const url = process.env.SCHEDULEFLOW_TEST_DATABASE_URL
  if (url === undefined || url === '') throw new Error('SCHEDULEFLOW_TEST_STORAGE=postgres needs SCHEDULEFLOW_TEST_DATABASE_URL (a PostgreSQL admin URL); `npm test` sets both')
  return url
}

/** The URL of database `name` on the admin URL's server. */
function databaseUrl (admin: string, name: string): string {
  const url = new URL(admin)
  url.pathname = `/${name}`
  return url.toString()
}

async function withAdmin<T> (work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * On the PostgreSQL pass: a fresh database for this test (a copy of the migrated template,
 * or with `empty` one with no tables, as a new deployment has), dropped when the test ends,
 * and its URL. On SQLite: null.
 * Call it before starting what uses the database: teardowns run last-in first-out, so the
 * database is dropped after the app, server or CLI is gone.
 */
export async function testDatabaseUrl (t: Test, { empty = false } = {}): Promise<string | null> {
  if (!onPostgres) return null
  const name = `sf_${randomBytes(6).toString('hex')}`
  await withAdmin(async (client) => {
    if (empty) {
      await client.query(`CREATE DATABASE ${name}`)
      return
    }
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`)
    } catch (err) {
      // 3D000: no template (a server given by hand): an empty database, which the app migrates on first open.
      if ((err as { code?: string }).code !== '3D000') throw err
      await client.query(`CREATE DATABASE ${name}`)
    }
  })
  t.teardown(() => withAdmin(async (client) => { await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }))
  return databaseUrl(adminUrl(), name)
}

/** The environment that points a server or CLI at this test's database: DATABASE_URL on PostgreSQL, nothing on SQLite. */
export async function testDatabaseEnv (t: Test): Promise<Record<string, string>> {
  const url = await testDatabaseUrl(t)
  return url === null ? {} : { DATABASE_URL: url }
}

/** Where an app keeps its data: config.databaseUrl, else the SQLite file in dataDir. */
export interface StoreLocation { dataDir: string, databaseUrl: string | null }

// count(*) and other int8 values come back as numbers, as better-sqlite3 gives them.
const numericTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')
}

/**
 * Runs one statement on whichever database the app uses and returns its rows: to read what a
 * test's requests stored, or to plant a value no request could write. `?` placeholders on both.
 * Keep the SQL to what both dialects read alike (count(*), plain columns, ORDER BY a column).
 */
export async function storeQuery<Row = Record<string, unknown>> (where: StoreLocation, sql: string, params: unknown[] = []): Promise<Row[]> {
  if (where.databaseUrl !== null) {
    const client = new pg.Client({ connectionString: where.databaseUrl, types: numericTypes })
    await client.connect()
    try {
      let n = 0
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Row[]
    } finally {
      await client.end()
    }
  }
  // Not readonly: a WAL left by a killed writer is recovered on open, as the service would.
  const db = new Database(join(where.dataDir, DB_FILE_NAME), { fileMustExist: true })
  try {
    const statement = db.prepare(sql)
    return statement.reader ? statement.all(...params) as Row[] : (statement.run(...params), [])
  } finally {
    db.close()
  }
}
