import type { Store } from './store.js'
import { KyselyStore } from './kysely-store.js'
import { openPostgresPool, PostgresStorage } from './postgres-dialect.js'

/** The store in the PostgreSQL of `url`, its schema brought up to date first. */
export async function openPostgresStore (url: string, afterCommit?: () => Promise<void>): Promise<Store> {
  const storage = new PostgresStorage(openPostgresPool(url))
  try {
    await storage.migrate()
  } catch (err) {
    await storage.close()
    throw err
  }
  return KyselyStore.over(storage, afterCommit)
}
