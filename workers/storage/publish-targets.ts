import type { Selectable } from 'kysely'
import type { PublishKind, PublishTarget } from '../../contract/on-air.js'
import type { Scope } from './dialect.js'
import type { PublishTargetsTable } from './tables.js'
import { newId } from '../ids.js'

// A channel's publish targets (SPEC §17): where its playout files are written, in the order the
// admin gave them, with how the last publish went. Replacing the list keeps the status of a
// target whose kind and dir are unchanged, so saving the form again does not forget a failure.

/** A target as stored: the answer's fields as numbers, with its id and what a retry needs. */
export interface StoredPublishTarget {
  id: string
  channel_id: string
  kind: PublishKind
  dir: string
  days_ahead: number | null
  last_published_ms: number | null
  files: number
  last_error: string | null
  /** a failed publish left files unwritten from this instant: the next tick tries again */
  pending_from_ms: number | null
}

/** A target to set: kind, resolved dir, days ahead (null: the channel's). */
export interface NewPublishTarget { kind: PublishKind, dir: string, days_ahead: number | null }

const msOrNull = (v: number | string | null): number | null => v === null ? null : Number(v)

const storedTarget = (row: Selectable<PublishTargetsTable>): StoredPublishTarget => ({
  id: row.id,
  channel_id: row.channel_id,
  kind: row.kind,
  dir: row.dir,
  days_ahead: row.days_ahead === null ? null : Number(row.days_ahead),
  last_published_ms: msOrNull(row.last_published_ms),
  files: Number(row.files),
  last_error: row.last_error,
  pending_from_ms: msOrNull(row.pending_from_ms)
})

/** A stored target as the API answers it. */
export const publishTargetAnswer = (t: StoredPublishTarget): PublishTarget => ({
  kind: t.kind,
  dir: t.dir,
  days_ahead: t.days_ahead,
  last_published: t.last_published_ms === null ? null : new Date(t.last_published_ms).toISOString(),
  files: t.files,
  last_error: t.last_error
})

const sameTarget = (a: { kind: string, dir: string }, b: { kind: string, dir: string }): boolean => a.kind === b.kind && a.dir === b.dir

export class KyselyPublishTargetRepository {
  constructor (private readonly scope: Scope) {}

  /** One channel's targets in the admin's order; every channel's (by channel, then order) without one. */
  async list (channelId?: string): Promise<StoredPublishTarget[]> {
    let query = this.scope.db().selectFrom('publish_targets').selectAll().orderBy('channel_id').orderBy('position')
    if (channelId !== undefined) query = query.where('channel_id', '=', channelId)
    return (await query.execute()).map(storedTarget)
  }

  /** Replaces the channel's targets; answers the ones removed (their alarms are the caller's to clear). */
  async replace (channelId: string, targets: readonly NewPublishTarget[]): Promise<StoredPublishTarget[]> {
    return this.scope.write(async (tx) => {
      const before = (await tx.selectFrom('publish_targets').selectAll().where('channel_id', '=', channelId).execute()).map(storedTarget)
      await tx.deleteFrom('publish_targets').where('channel_id', '=', channelId).execute()
      if (targets.length > 0) {
        await tx.insertInto('publish_targets').values(targets.map((t, position) => {
          const kept = before.find((b) => sameTarget(b, t))
          return {
            id: kept?.id ?? newId(),
            channel_id: channelId,
            position,
            kind: t.kind,
            dir: t.dir,
            days_ahead: t.days_ahead,
            last_published_ms: kept?.last_published_ms ?? null,
            files: kept?.files ?? 0,
            last_error: kept?.last_error ?? null,
            pending_from_ms: kept?.pending_from_ms ?? null
          }
        })).execute()
      }
      return before.filter((b) => !targets.some((t) => sameTarget(b, t)))
    })
  }

  /** A publish wrote `files` files without error: the failure, if any, is over. */
  async succeeded (id: string, atMs: number, files: number): Promise<void> {
    await this.scope.db().updateTable('publish_targets').set({ last_published_ms: atMs, files, last_error: null, pending_from_ms: null }).where('id', '=', id).execute()
  }

  /** A publish failed: why, and from when files are still to be written (the earliest of this and an earlier failure's). */
  async failed (id: string, error: string, pendingFromMs: number): Promise<void> {
    await this.scope.write(async (tx) => {
      const row = await tx.selectFrom('publish_targets').select('pending_from_ms').where('id', '=', id).executeTakeFirst()
      if (row === undefined) return
      const earlier = msOrNull(row.pending_from_ms)
      await tx.updateTable('publish_targets').set({ last_error: error, pending_from_ms: earlier === null ? pendingFromMs : Math.min(earlier, pendingFromMs) }).where('id', '=', id).execute()
    })
  }
}
