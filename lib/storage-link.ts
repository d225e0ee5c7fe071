import { accessSync, constants } from 'node:fs'
import type { Config } from './config.js'
import type { StoredKeyName } from '../contract/keys.js'
import { RevisionReader } from './revisions.js'
import { ALARM_COUNT_MS, lookedAtMost, STORAGE_CHECK_MS, type StorageLink } from './storage-check.js'

export { lookedAtMost, STORAGE_CHECK_MS, StorageUnavailable, type StorageLink } from './storage-check.js'

/** SQLite: the counters read from the file, the data dir checked writable. */
class SqliteLink implements StorageLink {
  readonly kind = 'sqlite' as const
  private readonly reader: RevisionReader

  constructor (private readonly dataDir: string) {
    this.reader = new RevisionReader(dataDir)
  }

  async revision (scope: string): Promise<number | undefined> {
    return this.reader.revision(scope)
  }

  async editRevision (kind: 'schedule' | 'channel', id: string): Promise<number | undefined> {
    return this.reader.editRevision(kind, id)
  }

  async feedToken (hash: string): Promise<{ id: string, name: string } | null | undefined> {
    return this.reader.feedToken(hash)
  }

  async keyNames (): Promise<StoredKeyName[] | undefined> {
    return this.reader.keyNames()
  }

  readonly check = lookedAtMost(STORAGE_CHECK_MS, async () => {
    try {
      accessSync(this.dataDir, constants.W_OK)
      return true
    } catch {
      return false
    }
  })

  readonly openAlarms = lookedAtMost(ALARM_COUNT_MS, async () => this.reader.openAlarms())

  async close (): Promise<void> {
    this.reader.close()
  }
}

/**
 * The link the configuration names. PostgreSQL is waited for (up to dbConnectTimeoutMs) and
 * StorageUnavailable thrown when it never answers; its driver is loaded only then.
 */
export async function openStorageLink (config: Config): Promise<StorageLink> {
  if (config.databaseUrl === null) return new SqliteLink(config.dataDir)
  const { connectPostgresLink } = await import('./postgres-link.js')
  return connectPostgresLink(config.databaseUrl, config.dbConnectTimeoutMs)
}
