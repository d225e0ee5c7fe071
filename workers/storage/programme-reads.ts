import type { EventRow } from '../editing/plan.js'
import type { Scope } from './dialect.js'
import type { EditTarget } from './edits.js'

// The reads an edit of programmes needs (SPEC §14): a programme's segments, from the
// (channel_id, programme_id) index of migration 11, and the first event after a ripple's day
// (its wall), one seek of the (owner, start_ms) index.

export class ProgrammeReads {
  constructor (private readonly scope: Scope) {}

  /** Every segment of these programmes of the channel, as stored now. */
  async segments (channelId: string, programmeIds: readonly string[]): Promise<EventRow[]> {
    const found: EventRow[] = []
    for (let i = 0; i < programmeIds.length; i += 500) {
      found.push(...await this.scope.db().selectFrom('events').selectAll()
        .where('channel_id', '=', channelId).where('programme_id', 'in', programmeIds.slice(i, i + 500)).execute())
    }
    return found
  }

  /** The target's first event starting at or after `from`; undefined when none does. */
  async firstFrom (target: EditTarget, from: number): Promise<EventRow | undefined> {
    return this.scope.db().selectFrom('events').selectAll().where(target.kind === 'schedule' ? 'schedule_id' : 'channel_id', '=', target.id)
      .where('start_ms', '>=', from).orderBy('start_ms').limit(1).executeTakeFirst()
  }
}
