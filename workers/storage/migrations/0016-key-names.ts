import { types, withColumns, type SchemaStep } from './step.js'

// 16: names people give the stored API keys (SPEC §17: PATCH /api/keys/:id), by key id (a digest
// of the key, never the key): in the database so that every instance calls a key the same. A key
// without a row has its default name (the first-start admin key: `admin`).
const migration: SchemaStep = {
  async up (db, kind) {
    const t = types(kind)
    await withColumns(db.schema.createTable('key_names'), [
      ['key_id', 'text', (c) => c.primaryKey()],
      ['name', 'text', (c) => c.notNull()],
      ['named_ms', t.ms, (c) => c.notNull()]
    ]).execute()
  }
}

export default migration
