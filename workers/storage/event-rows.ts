import { sql, type Selectable } from 'kysely'
import type { StoredEvent } from '../schedule/model.js'
import { readJsonColumn } from './read-column.js'
import type { Database, EventsTable } from './tables.js'

// What the schedules, channels and edits repositories share of the events table: a row read
// as the domain's event, and the channels whose revisions a change of events raises.

/** The columns of an events row that make a StoredEvent. */
export type EventRow = Pick<Selectable<EventsTable>, 'id' | 'title' | 'start_ms' | 'end_ms' | 'video_url' | 'category' | 'description' | 'tags' | 'channel'>

/** An events row's tags column (a JSON list of text). */
export const readTags = (text: string): string[] =>
  text === '[]' ? [] : readJsonColumn(text, (v): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string'), [])

/** A stored events row as the domain's event; the channels repository reads its rows through it too. */
export const storedEvent = (row: EventRow): StoredEvent => ({
  id: row.id,
  title: row.title,
  start: row.start_ms,
  end: row.end_ms,
  video_url: row.video_url,
  category: row.category,
  description: row.description,
  tags: readTags(row.tags),
  channel: row.channel
})

/**
 * The channels a schedule's events air on (every schedule's with null). Its channel_ref's
 * trigger tells only of the channel it is placed on; an XMLTV import that created its channels
 * has events on several, with no channel_ref.
 */
export async function channelsAiring (tx: Database, scheduleId: string | null): Promise<string[]> {
  let query = tx.selectFrom('events').select('channel_id').distinct().where('channel_id', 'is not', null)
  query = scheduleId === null ? query.where('schedule_id', 'is not', null) : query.where('schedule_id', '=', scheduleId)
  return (await query.execute()).map((row) => row.channel_id!)
}

/** Raises the channels' revisions (their triggers raise their change counters): what they air changed. */
export async function raiseChannels (tx: Database, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await tx.updateTable('channels').set({ revision: sql<number>`revision + 1`, updated: new Date().toISOString() }).where('id', 'in', ids).execute()
}
