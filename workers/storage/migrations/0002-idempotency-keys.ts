import { types, type SchemaStep } from './step.js'

// 2: idempotency keys (issue 8 item 13). A write's answer is kept under the caller's key id
// and its Idempotency-Key, in the write's own transaction, so a retry after a lost answer
// replays it instead of writing twice. Kept 24 h, pruned by the writes themselves.
const migration: SchemaStep = {
  async up (db, kind) {
    const { ms, bytes } = types(kind)
    await db.schema.createTable('idempotency_keys')
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('command', 'text', (c) => c.notNull())
      // the answer as deflated JSON: an auto-fill answer lists every event
      .addColumn('answer', bytes, (c) => c.notNull())
      .addColumn('created_ms', ms, (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pkey', ['owner', 'key'])
      .execute()
    await db.schema.createIndex('idempotency_keys_by_created').on('idempotency_keys').column('created_ms').execute()
  }
}
export default migration
