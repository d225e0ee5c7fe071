import { accessSync, constants } from 'node:fs'
import type { Config } from './config.js'
import type { StorageKind } from '../contract/api.js'
import { RevisionReader } from './revisions.js'

/**
 * What the API itself asks of the database, which is not schedule work: the change counters
 * its ETags are made of, and whether the storage answers (health). Schedule work is the
 * workers'. Nothing here ever fails a request: an unreadable counter is undefined, and the
 * caller runs the worker.
 */
export interface StorageLink {
  readonly kind: StorageKind
  /** The scope's counter now (workers/storage/revisions.ts), or undefined when it has none or cannot be read. */
  revision(scope: string): Promise<number | undefined>
  /** Whether the storage takes work now. */
  check(): Promise<boolean>
  close(): Promise<void>
}

/** The start cannot go on: the message names the variable to fix and never its secret value. */
export class StorageUnavailable extends Error {}

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

  async check (): Promise<boolean> {
    try {
      accessSync(this.dataDir, constants.W_OK)
      return true
    } catch {
      return false
    }
  }

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
