import type { Store } from './store.js'
import { KyselyStore } from './kysely-store.js'
import { openSqliteDatabase, SqliteStorage } from './sqlite-dialect.js'
import { testHooksAfterCommit } from './test-hooks.js'
import { DB_FILE_NAME } from './revisions.js'

export { DB_FILE_NAME }

/** The store on the SQLite file in `dataDir`, made and brought up to date when needed. */
export async function openSqliteStore (dataDir: string): Promise<Store> {
  const storage = new SqliteStorage(openSqliteDatabase(dataDir))
  try {
    await storage.migrate()
  } catch (err) {
    await storage.close()
    throw err
  }
  return KyselyStore.over(storage, async () => testHooksAfterCommit(dataDir))
}
