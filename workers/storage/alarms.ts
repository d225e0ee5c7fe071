import type { Alarm, AlarmKind } from '../../contract/on-air.js'
import type { Scope } from './dialect.js'
import type { Selectable } from 'kysely'
import type { AlarmsTable, Database } from './tables.js'
import { newId } from '../ids.js'
import { isObject } from '../json.js'
import { readJsonColumn } from './read-column.js'

// The alarms open now (SPEC §17). An alarm is known by its key (its kind, its channel and what it
// is about, e.g. `publish_failed:<channel>:<dir>`): opening one already open keeps its `since`
// and updates its words; opening or clearing one leaves a notice for the webhook to send once.

/** An alarm to open: what the API answers, less its id and since. */
export interface AlarmInput {
  key: string
  kind: AlarmKind
  channel_id: string | null
  message: string
  details: Record<string, unknown>
}

const alarmOf = (row: Selectable<AlarmsTable>): Alarm => ({
  id: row.id,
  kind: row.kind,
  ...(row.channel_id !== null && { channel_id: row.channel_id }),
  since: new Date(Number(row.since_ms)).toISOString(),
  message: row.message,
  details: readJsonColumn(row.details, isObject, {})
})

export class KyselyAlarmRepository {
  constructor (private readonly scope: Scope) {}

  /** Open alarms, oldest first; only one channel's when given. */
  async list (channelId?: string): Promise<Alarm[]> {
    let query = this.scope.db().selectFrom('alarms').selectAll().orderBy('since_ms').orderBy('id')
    if (channelId !== undefined) query = query.where('channel_id', '=', channelId)
    return (await query.execute()).map(alarmOf)
  }

  /** Opens the alarm (true), or updates the words of the one open under its key (false). */
  async open (input: AlarmInput, atMs: number): Promise<boolean> {
    return this.scope.write(async (tx) => {
      const open = await tx.selectFrom('alarms').select('id').where('key', '=', input.key).executeTakeFirst()
      if (open !== undefined) {
        await tx.updateTable('alarms').set({ message: input.message, details: JSON.stringify(input.details) }).where('id', '=', open.id).execute()
        return false
      }
      const row: Selectable<AlarmsTable> = { id: newId(), since_ms: atMs, ...input, details: JSON.stringify(input.details) }
      await tx.insertInto('alarms').values(row).execute()
      await this.notice(tx, alarmOf(row), 'open', atMs)
      return true
    })
  }

  /** Clears the alarm open under `key` (true), or does nothing when none is. */
  async clear (key: string, atMs: number): Promise<boolean> {
    return this.scope.write(async (tx) => {
      const row = await tx.selectFrom('alarms').selectAll().where('key', '=', key).executeTakeFirst()
      if (row === undefined) return false
      await tx.deleteFrom('alarms').where('id', '=', row.id).execute()
      await this.notice(tx, alarmOf(row), 'cleared', atMs)
      return true
    })
  }

  private async notice (tx: Database, alarm: Alarm, state: 'open' | 'cleared', atMs: number): Promise<void> {
    await tx.insertInto('alarm_notices').values({ id: newId(), at_ms: atMs, state, alarm: JSON.stringify(alarm), sent_ms: null }).execute()
  }
}
