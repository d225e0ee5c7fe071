import { deflateRawSync, inflateRawSync } from 'node:zlib'
import type { IdempotencyRecord, IdempotencyRepository } from './store.js'
import type { Scope } from './dialect.js'

/** Idempotency records; every method runs inside the caller's write transaction. */
export class KyselyIdempotencyRepository implements IdempotencyRepository {
  constructor (private readonly scope: Scope) {}

  async find (owner: string, key: string, notBefore: number): Promise<IdempotencyRecord | null> {
    const row = await this.scope.db().selectFrom('idempotency_keys').selectAll()
      .where('owner', '=', owner).where('key', '=', key).where('created_ms', '>=', notBefore)
      .executeTakeFirst()
    if (row === undefined) return null
    const answer = JSON.parse(inflateRawSync(row.answer).toString('utf8')) as unknown
    return { owner: row.owner, key: row.key, request_hash: row.request_hash, command: row.command, answer, created: row.created_ms }
  }

  async save ({ owner, key, request_hash, command, answer, created }: IdempotencyRecord): Promise<void> {
    const row = { owner, key, request_hash, command, answer: deflateRawSync(JSON.stringify(answer)), created_ms: created }
    // An expired record of the same key that the prune has not reached yet gives way.
    await this.scope.write((tx) => tx.insertInto('idempotency_keys').values(row)
      .onConflict((oc) => oc.columns(['owner', 'key']).doUpdateSet({ request_hash, command, answer: row.answer, created_ms: created }))
      .execute())
  }

  async prune (before: number): Promise<number> {
    const { numDeletedRows } = await this.scope.write((tx) => tx.deleteFrom('idempotency_keys').where('created_ms', '<', before).executeTakeFirstOrThrow())
    return Number(numDeletedRows)
  }
}
