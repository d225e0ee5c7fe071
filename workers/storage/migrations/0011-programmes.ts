import { sql } from 'kysely'
import type { SchemaDb, SchemaStep } from './step.js'

// 11: programmes (SPEC §14). A built event names the programme it is a segment of and its role
// in it (part, break, pad) and, when its source asked for one, its guide mode; a programme's
// segments are one seek of (channel_id, programme_id). Channels get the guide's filler fields,
// playlists a guide mode for when they air as filler, and history a kind for every write.
// Existing events are grouped into programmes by the data step that follows these columns.
const migration: SchemaStep = {
  async up (db) {
    await db.schema.alterTable('events').addColumn('programme_id', 'text').execute()
    await db.schema.alterTable('events').addColumn('segment_role', 'text').execute()
    await db.schema.alterTable('events').addColumn('guide_mode', 'text').execute()
    await db.schema.createIndex('events_by_channel_programme').on('events').columns(['channel_id', 'programme_id'])
      .where(sql.ref('programme_id'), 'is not', null).execute()
    await db.schema.alterTable('channels').addColumn('default_filler_guide', 'text').execute()
    await db.schema.alterTable('channels').addColumn('filler_guide_minutes', 'integer', (c) => c.notNull().defaultTo(15)).execute()
    await db.schema.alterTable('channels').addColumn('filler_title', 'text').execute()
    await db.schema.alterTable('playlists').addColumn('guide', 'text').execute()
    await db.schema.alterTable('edit_history').addColumn('kind', 'text', (c) => c.notNull().defaultTo('edit')).execute()
    await db.updateTable('edit_history').set({ kind: 'undo' }).where('undoes', 'is not', null).execute()
    for (const { id } of await db.selectFrom('channels').select('id').orderBy('id').execute()) await programmesOf(db, String(id))
  }
}
export default migration

/** A channel event as the data step reads it (PostgreSQL answers BIGINT as text). */
interface Row { id: string, start_ms: number | string, end_ms: number | string, video_key: string, in_ms: number | string, origin_kind: string | null }

/** The programme being grown: its id (its first segment's), what may join it, where it stops. */
interface Open { id: string, kind: 'item' | 'block-filler' | 'default' | 'alone', videoKey: string, nextInMs: number, end: number, padded: boolean }

/** Most rows one UPDATE names (SQLite binds at most 32,766 values; three per row). */
const ROWS_PER_UPDATE = 500

/**
 * One channel's built and hand-added events grouped into programmes, by SPEC §14's rule for
 * existing events, in start order: consecutive parts of one item (the same media, continuing
 * in_ms) with the breaks between them and the pad after them; a break or pad with no airing
 * right before it opens a filler programme; a default filler stretch is one programme; a fixed
 * event and a hand-added one are each their own. A programme's id is its first segment's.
 * Events of placed schedules stay without a programme.
 */
async function programmesOf (db: SchemaDb, channelId: string): Promise<void> {
  const rows = await db.selectFrom('events').select(['id', 'start_ms', 'end_ms', 'video_key', 'in_ms', 'origin_kind'])
    .where('channel_id', '=', channelId).where('schedule_id', 'is', null)
    .orderBy('start_ms').orderBy('end_ms').orderBy('position').orderBy('id').execute() as Row[]
  const assigned: Array<{ id: string, programme: string, role: string }> = []
  let open: Open | null = null
  for (const row of rows) {
    const [start, end, inMs] = [Number(row.start_ms), Number(row.end_ms), Number(row.in_ms)]
    const follows = open !== null && start === open.end
    let role = 'part'
    if (row.origin_kind === 'item') {
      const continues = open?.kind === 'item' && !open.padded && inMs > 0 && open.videoKey === row.video_key && inMs === open.nextInMs
      if (!continues) open = { id: row.id, kind: 'item', videoKey: row.video_key, nextInMs: 0, end, padded: false }
      open!.nextInMs = inMs + end - start
    } else if (row.origin_kind === 'break' || row.origin_kind === 'filler') {
      role = row.origin_kind === 'break' ? 'break' : 'pad'
      const joins = follows && (open!.kind === 'item' || open!.kind === 'block-filler') && !(role === 'break' && open!.padded)
      if (!joins) open = { id: row.id, kind: 'block-filler', videoKey: '', nextInMs: 0, end, padded: false }
      if (role === 'pad') open!.padded = true
    } else if (row.origin_kind === 'default') {
      if (!(follows && open!.kind === 'default')) open = { id: row.id, kind: 'default', videoKey: '', nextInMs: 0, end, padded: false }
    } else {
      // fixed, or added by hand (no origin): a programme of its own that nothing joins
      open = { id: row.id, kind: 'alone', videoKey: '', nextInMs: 0, end, padded: false }
    }
    open!.end = Math.max(open!.end, end)
    assigned.push({ id: row.id, programme: open!.id, role })
  }
  for (let first = 0; first < assigned.length; first += ROWS_PER_UPDATE) {
    const batch = assigned.slice(first, first + ROWS_PER_UPDATE)
    await db.updateTable('events')
      .set((eb) => ({
        programme_id: batch.reduce<any>((c, a) => c.when('id', '=', a.id).then(a.programme), eb.case()).end(),
        segment_role: batch.reduce<any>((c, a) => c.when('id', '=', a.id).then(a.role), eb.case()).end()
      }))
      .where('id', 'in', batch.map((a) => a.id)).execute()
  }
}
