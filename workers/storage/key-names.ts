import type { StoredKeyName } from '../../contract/keys.js'
import type { Scope } from './dialect.js'

// Names people gave the stored API keys (SPEC §17: PATCH /api/keys/:id), by the key's digest id.
// Written by the rename-key command; read by the API itself (lib/revisions.ts, lib/postgres-link.ts)
// with SELECT_KEY_NAMES at start and on each on-air tick, so every instance names a key alike.

/** Every stored name: a handful of rows (one per stored key renamed). */
export const SELECT_KEY_NAMES = 'SELECT key_id, name FROM key_names ORDER BY key_id'

export class KyselyKeyNameRepository {
  constructor (private readonly scope: Scope) {}

  /** Names the key `keyId` (a new row, or the old name replaced). */
  async set (keyId: string, name: string, atMs: number): Promise<StoredKeyName> {
    await this.scope.write(async (tx) => {
      await tx.insertInto('key_names').values({ key_id: keyId, name, named_ms: atMs })
        .onConflict((oc) => oc.column('key_id').doUpdateSet({ name, named_ms: atMs })).execute()
    })
    return { key_id: keyId, name }
  }
}
