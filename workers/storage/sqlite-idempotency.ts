import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type Database from 'better-sqlite3'
import type { IdempotencyRecord, IdempotencyRepository } from './store.js'

interface Row { owner: string, key: string, request_hash: string, command: string, answer: Buffer, created_ms: number }

/** Idempotency records in SQLite; every method runs inside the caller's write transaction. */
export class SqliteIdempotencyRepository implements IdempotencyRepository {
  private readonly select: Database.Statement
  private readonly insert: Database.Statement
  private readonly deleteBefore: Database.Statement

  constructor (db: Database.Database) {
    this.select = db.prepare('SELECT * FROM idempotency_keys WHERE owner = ? AND key = ? AND created_ms >= ?')
    // REPLACE: an expired record of the same key that the prune has not reached yet gives way.
    this.insert = db.prepare('INSERT OR REPLACE INTO idempotency_keys (owner, key, request_hash, command, answer, created_ms) VALUES (?, ?, ?, ?, ?, ?)')
    this.deleteBefore = db.prepare('DELETE FROM idempotency_keys WHERE created_ms < ?')
  }

  find (owner: string, key: string, notBefore: number): IdempotencyRecord | null {
    const row = this.select.get(owner, key, notBefore) as Row | undefined
    if (row === undefined) return null
    const answer = JSON.parse(inflateRawSync(row.answer).toString('utf8')) as unknown
    return { owner: row.owner, key: row.key, request_hash: row.request_hash, command: row.command, answer, created: row.created_ms }
  }

  save ({ owner, key, request_hash, command, answer, created }: IdempotencyRecord): void {
    this.insert.run(owner, key, request_hash, command, deflateRawSync(JSON.stringify(answer)), created)
  }

  prune (before: number): number {
    return this.deleteBefore.run(before).changes
  }
}
