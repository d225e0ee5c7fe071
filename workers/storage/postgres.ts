import type { Store } from './store.js'
import { KyselyStore } from './kysely-store.js'
import { migratePostgres, openPostgresPool, PostgresStorage } from './postgres-dialect.js'

/** The store in the PostgreSQL of `url`, its schema brought up to date first. */
export async function openPostgresStore (url: string, afterCommit?: () => Promise<void>): Promise<Store> {
  const pool = openPostgresPool(url)
  try {
    await migratePostgres(pool)
  } catch (err) {
    await pool.end()
    throw err
  }
  return KyselyStore.over(new PostgresStorage(pool), afterCommit)
}
