import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DB_FILE_NAME, SELECT_EDIT_REVISION, SELECT_OPEN_ALARMS, SELECT_REVISION } from '../workers/storage/revisions.js'
import { SELECT_FEED_TOKEN } from '../workers/storage/feed-token-hash.js'
import { SELECT_KEY_NAMES } from '../workers/storage/key-names.js'
import type { StoredKeyName } from '../contract/keys.js'

/**
 * The database's change counters (workers/storage/migrations/0003-revisions.ts), read by the
 * API itself: one row by primary key on a read-only connection, prepared once. That is not
 * schedule work, and it sees every committed write, whoever made it (a pooled worker, the CLI
 * by hand, another API instance on the same file), so no counter is ever kept in memory.
 *
 * Never a reason to fail a request: when the counter cannot be read (no database yet, the
 * file busy in a WAL recovery), `revision` answers undefined and the caller runs the worker.
 */
export class RevisionReader {
  private select: Database.Statement | undefined
  private selectEdit: Record<keyof typeof SELECT_EDIT_REVISION, Database.Statement> | undefined
  /** Statements of tables later migrations made (feed tokens, key names), by their SQL: prepared on first use. */
  private readonly later = new Map<string, Database.Statement>()
  private db: Database.Database | undefined
  private countAlarms: Database.Statement | undefined
  private closed = false

  constructor (private readonly dataDir: string) {}

  /** The scope's counter now, or undefined when it has none (a deleted record) or cannot be read. */
  revision (scope: string): number | undefined {
    try {
      const select = this.select ?? this.open()
      if (select === undefined) return undefined
      return select.get(scope) as number | undefined
    } catch {
      return undefined
    }
  }

  /** A schedule's or channel's own `revision` (what If-Match names), or undefined. */
  editRevision (kind: keyof typeof SELECT_EDIT_REVISION, id: string): number | undefined {
    try {
      if (this.select === undefined) this.open()
      return this.selectEdit?.[kind].get(id) as number | undefined
    } catch {
      return undefined
    }
  }

  /** How many alarms are open (SPEC §17), or undefined (no database yet, not migrated to 14). */
  openAlarms (): number | undefined {
    try {
      if (this.select === undefined) this.open()
      if (this.db === undefined) return undefined
      this.countAlarms ??= this.db.prepare(SELECT_OPEN_ALARMS).pluck()
      return Number(this.countAlarms.get())
    } catch {
      return undefined
    }
  }

  /**
   * A statement on a table a later migration made, prepared on first use (a database older than
   * that migration has no table yet: preparing throws, and the caller answers undefined);
   * undefined while there is no database.
   */
  private laterStatement (sql: string): Database.Statement | undefined {
    if (this.select === undefined) this.open()
    if (this.db === undefined) return undefined
    let statement = this.later.get(sql)
    if (statement === undefined) this.later.set(sql, statement = this.db.prepare(sql))
    return statement
  }

  /** The feed token stored under `hash`, or null; undefined when the database cannot be read (or predates migration 14). */
  feedToken (hash: string): { id: string, name: string } | null | undefined {
    try {
      const statement = this.laterStatement(SELECT_FEED_TOKEN)
      return statement === undefined ? undefined : (statement.get(hash) as { id: string, name: string } | undefined) ?? null
    } catch {
      return undefined
    }
  }

  /** The stored keys' names (SPEC §17), or undefined (no database yet, or one before migration 16). */
  keyNames (): StoredKeyName[] | undefined {
    try {
      return this.laterStatement(SELECT_KEY_NAMES)?.all() as StoredKeyName[] | undefined
    } catch {
      return undefined
    }
  }

  close (): void {
    this.closed = true
    this.db?.close()
    this.db = this.select = this.selectEdit = this.countAlarms = undefined
    this.later.clear()
  }

  private open (): Database.Statement | undefined {
    if (this.closed) return undefined
    try {
      // Read only, never waiting: in WAL a reader is not blocked by the writer, and a read
      // that would have to wait is answered by the worker instead of stalling the event loop.
      this.db = new Database(join(this.dataDir, DB_FILE_NAME), { readonly: true, fileMustExist: true, timeout: 0 })
      this.select = this.db.prepare(SELECT_REVISION).pluck()
      const db = this.db
      this.selectEdit = { schedule: db.prepare(SELECT_EDIT_REVISION.schedule).pluck(), channel: db.prepare(SELECT_EDIT_REVISION.channel).pluck() }
      return this.select
    } catch {
      // No database, or not migrated yet: tried again on the next call.
      this.db?.close()
      this.db = this.select = this.selectEdit = undefined
      return undefined
    }
  }
}
