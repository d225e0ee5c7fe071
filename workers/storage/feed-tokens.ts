import type { Selectable } from 'kysely'
import type { FeedToken, FeedTokenCreated } from '../../contract/on-air.js'
import { FEED_TOKEN_BYTES, FEED_TOKEN_PREFIX } from '../../contract/limits.js'
import type { Scope } from './dialect.js'
import type { FeedTokensTable } from './tables.js'
import { newId } from '../ids.js'
import { feedTokenHash, nodeCrypto } from './feed-token-hash.js'

// Feed tokens (SPEC §17): read-only tokens an admin hands to IPTV apps and tuners. The token is
// made here, answered once, and only its SHA-256 is stored: a copy of the database opens no feed.

const iso = (ms: number | string | null): string | null => ms === null ? null : new Date(Number(ms)).toISOString()

const tokenOf = (row: Selectable<FeedTokensTable>): FeedToken => ({
  id: row.id,
  name: row.name,
  created: iso(row.created_ms)!,
  last_used: iso(row.last_used_ms)
})

export class KyselyFeedTokenRepository {
  constructor (private readonly scope: Scope) {}

  /** A new token named `name`, made at `atMs`: the answer is the one place its value is ever seen. */
  async create (name: string, atMs: number): Promise<FeedTokenCreated> {
    const token = FEED_TOKEN_PREFIX + nodeCrypto().randomBytes(FEED_TOKEN_BYTES).toString('base64url')
    const row: Selectable<FeedTokensTable> = { id: newId(), name, token_hash: feedTokenHash(token), created_ms: atMs, last_used_ms: null }
    await this.scope.write(async (tx) => { await tx.insertInto('feed_tokens').values(row).execute() })
    return { ...tokenOf(row), token }
  }

  /** Every token, oldest first, without its value (which is not stored). */
  async list (): Promise<FeedToken[]> {
    return (await this.scope.db().selectFrom('feed_tokens').selectAll().orderBy('created_ms').orderBy('id').execute()).map(tokenOf)
  }

  /** Revokes the token: true when there was one. */
  async delete (id: string): Promise<boolean> {
    return this.scope.write(async (tx) => Number((await tx.deleteFrom('feed_tokens').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0)
  }

  /** Notes that the token opened a feed at `atMs` (never moves it back). */
  async touch (id: string, atMs: number): Promise<void> {
    await this.scope.write(async (tx) => {
      await tx.updateTable('feed_tokens').set({ last_used_ms: atMs }).where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_ms', 'is', null), eb('last_used_ms', '<', atMs)])).execute()
    })
  }
}
