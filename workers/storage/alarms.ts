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

/** An opening or clearing as stored for the webhook. */
export interface StoredNotice { id: string, at_ms: number, state: 'open' | 'cleared', alarm: Alarm }

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

  /** The open alarms' keys and channels: what a check compares with what should be open. */
  async keys (): Promise<Array<{ key: string, channel_id: string | null }>> {
    return this.scope.db().selectFrom('alarms').select(['key', 'channel_id']).execute()
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

  /** The notices not sent yet, oldest first, at most `limit` (by alarm_notices_unsent). */
  async unsent (limit: number): Promise<StoredNotice[]> {
    const rows = await this.scope.db().selectFrom('alarm_notices').selectAll().where('sent_ms', 'is', null).orderBy('at_ms').orderBy('id').limit(limit).execute()
    return rows.map((row) => ({ id: row.id, at_ms: Number(row.at_ms), state: row.state, alarm: readJsonColumn(row.alarm, isObject, {}) as Alarm }))
  }

  /** Marks the notices sent at `atMs` (the webhook has them); how many were still unsent. */
  async markSent (ids: readonly string[], atMs: number): Promise<number> {
    if (ids.length === 0) return 0
    return this.scope.write(async (tx) => {
      const { numUpdatedRows } = await tx.updateTable('alarm_notices').set({ sent_ms: atMs }).where('id', 'in', [...ids]).where('sent_ms', 'is', null).executeTakeFirstOrThrow()
      return Number(numUpdatedRows)
    })
  }

  /** Deletes the notices that happened before `beforeMs`, sent or not: how many. */
  async pruneNotices (beforeMs: number): Promise<number> {
    return this.scope.write(async (tx) => {
      const { numDeletedRows } = await tx.deleteFrom('alarm_notices').where('at_ms', '<', beforeMs).executeTakeFirstOrThrow()
      return Number(numDeletedRows)
    })
  }

  private async notice (tx: Database, alarm: Alarm, state: 'open' | 'cleared', atMs: number): Promise<void> {
    await tx.insertInto('alarm_notices').values({ id: newId(), at_ms: atMs, state, alarm: JSON.stringify(alarm), sent_ms: null }).execute()
  }
}
