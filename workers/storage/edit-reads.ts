import { sql } from 'kysely'
import { MAX_INSTANT_MS, MIN_INSTANT_MS } from '../schedule/time.js'
import type { Scope } from './dialect.js'
import type { EventsTable } from './tables.js'

// The indexed reads an edit's warnings are found by (SPEC §12: each touched event's nearest
// airings before and after it, the events overlapping its span), never a read of the timeline:
// every query is a seek or a bounded range of an index on (owner, start_ms) or
// (owner, video_key, start_ms), the owner being the schedule (schedule_id) or the channel
// (channel_id) the edit is of (migration 9 adds the video_key and schedule length indexes).

/** The events one edit is checked on: a schedule's own, or everything a channel airs. */
export interface Line { column: 'schedule_id' | 'channel_id', id: string }

/** What a warning needs of an event. */
export type NearRow = Pick<EventsTable, 'id' | 'schedule_id' | 'position' | 'title' | 'start_ms' | 'end_ms' | 'video_url' | 'video_key' | 'channel'>

const NEAR_COLUMNS = ['id', 'schedule_id', 'position', 'title', 'start_ms', 'end_ms', 'video_url', 'video_key', 'channel'] as const

/** A line's air order, as the whole-timeline reads give it (start, end, position), id last so no two rows tie. */
export function airOrder (a: NearRow, b: NearRow): number {
  return a.start_ms - b.start_ms || a.end_ms - b.end_ms || a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** As reads leave out a stored row no Date can show (an earlier version's, issue 21 item 4). */
export const isReadableRow = (r: Pick<NearRow, 'start_ms' | 'end_ms'>): boolean =>
  r.start_ms >= MIN_INSTANT_MS && r.end_ms <= MAX_INSTANT_MS && r.end_ms > r.start_ms

/** Plays outside a schedule, as its replays are counted against them: every other schedule's and channel's, or one channel's (the schedule is placed there). */
export interface Outside { except: string, channelId: string | null }

const length = sql<number>`end_ms - start_ms`

export class EditReads {
  constructor (private readonly scope: Scope) {}

  /** The line's longest event, from its length index (written as the index has it); null when it has none. */
  async longest (line: Line): Promise<number | null> {
    const row = await this.scope.db().selectFrom('events').select(length.as('length')).where(line.column, '=', line.id).orderBy(length, 'desc').limit(1).executeTakeFirst()
    return row === undefined ? null : Number(row.length)
  }

  /**
   * The line's events on air at some instant of [from, to): they start before `to` and at most
   * the line's longest event before `from` (one range of the start index, as channel reads do).
   */
  async onAir (line: Line, from: number, to: number, longest: number): Promise<NearRow[]> {
    const rows = await this.scope.db().selectFrom('events').select(NEAR_COLUMNS).where(line.column, '=', line.id)
      .where('start_ms', '>', from - longest - 1).where('start_ms', '<', to).where('end_ms', '>', from).execute()
    return rows.filter(isReadableRow)
  }

  /**
   * The line's airing of `videoKey` nearest to `at` in air order, before or after it. Read by
   * start alone (one seek of (owner, video_key, start_ms), LIMIT 1), then the rows of that one
   * start: the index gives no order of end and position, and rows of one start are few.
   */
  async nearest (line: Line, videoKey: string, at: NearRow, side: 'before' | 'after'): Promise<NearRow | null> {
    const db = this.scope.db()
    const on = (start: number): Promise<NearRow[]> => db.selectFrom('events').select(NEAR_COLUMNS)
      .where(line.column, '=', line.id).where('video_key', '=', videoKey).where('start_ms', '=', start).execute()
    const pick = (rows: NearRow[]): NearRow | null => {
      let best: NearRow | null = null
      for (const row of rows) {
        if (!isReadableRow(row) || row.id === at.id) continue
        const order = airOrder(row, at)
        if (side === 'before' ? order >= 0 : order <= 0) continue
        if (best === null || (side === 'before' ? airOrder(row, best) > 0 : airOrder(row, best) < 0)) best = row
      }
      return best
    }
    const tied = pick(await on(at.start_ms))
    if (tied !== null) return tied
    let from = at.start_ms
    for (;;) {
      const next = await db.selectFrom('events').select('start_ms').where(line.column, '=', line.id).where('video_key', '=', videoKey)
        .where('start_ms', side === 'before' ? '<' : '>', from)
        .where('start_ms', '>=', MIN_INSTANT_MS).where('end_ms', '<=', MAX_INSTANT_MS).where((eb) => eb('end_ms', '>', eb.ref('start_ms')))
        .orderBy('start_ms', side === 'before' ? 'desc' : 'asc').limit(1).executeTakeFirst()
      if (next === undefined) return null
      const found = pick(await on(Number(next.start_ms)))
      if (found !== null) return found
      from = Number(next.start_ms)
    }
  }

  /**
   * The latest start of a play of `videoKey` outside the schedule in (after, atMost] (after
   * null: no lower bound), as playsOutside() counts plays (no row left out). The caller bounds
   * it below by the schedule's own previous play, so the rows skipped are at most that
   * schedule's plays of the same start.
   */
  async latestPlayOutside (outside: Outside, videoKey: string, after: number | null, atMost: number): Promise<number | null> {
    let query = this.scope.db().selectFrom('events').select('start_ms').where('video_key', '=', videoKey).where('start_ms', '<=', atMost)
      .where((eb) => eb.or([eb('schedule_id', 'is', null), eb('schedule_id', '<>', outside.except)]))
    if (after !== null) query = query.where('start_ms', '>', after)
    if (outside.channelId !== null) query = query.where('channel_id', '=', outside.channelId)
    const row = await query.orderBy('start_ms', 'desc').limit(1).executeTakeFirst()
    return row === undefined ? null : Number(row.start_ms)
  }

  /**
   * Each row's index in the line's air order (what a whole-timeline read numbers it): the count
   * of the line's rows starting before it, from the (owner, start_ms) index alone, summed over
   * the ranges between the rows asked about (so at most the line's length is counted, once), and
   * the rows of its own start compared. A row starting in years 1–9999 whose end is not (no
   * edit or import writes one) is counted though a read leaves it out.
   */
  async ranks (line: Line, rows: readonly NearRow[]): Promise<Map<string, number>> {
    const db = this.scope.db()
    const starts = [...new Set(rows.map((r) => r.start_ms))].sort((a, b) => a - b)
    const before = new Map<number, number>()
    let counted = 0
    for (let i = 0; i < starts.length; i += RANGES_PER_QUERY) {
      const chunk = starts.slice(i, i + RANGES_PER_QUERY)
      const ranges = chunk.map((start, k) => {
        const from = i + k === 0 ? MIN_INSTANT_MS : starts[i + k - 1]
        return db.selectFrom('events').select((eb) => [sql.lit(k).as('k'), eb.fn.countAll().as('n')])
          .where(line.column, '=', line.id).where('start_ms', '>=', from).where('start_ms', '<', start)
      })
      let query = ranges[0]
      for (const range of ranges.slice(1)) query = query.unionAll(range)
      const counts = new Map((await query.execute()).map((r) => [Number(r.k), Number(r.n)]))
      chunk.forEach((start, k) => { counted += counts.get(k) ?? 0; before.set(start, counted) })
    }
    const tied = new Map<number, NearRow[]>()
    for (let i = 0; i < starts.length; i += 500) {
      for (const row of await db.selectFrom('events').select(NEAR_COLUMNS).where(line.column, '=', line.id).where('start_ms', 'in', starts.slice(i, i + 500)).execute()) {
        if (isReadableRow(row)) tied.get(row.start_ms)?.push(row) ?? tied.set(row.start_ms, [row])
      }
    }
    const ranks = new Map<string, number>()
    for (const row of rows) ranks.set(row.id, before.get(row.start_ms)! + (tied.get(row.start_ms) ?? []).filter((other) => airOrder(other, row) < 0).length)
    return ranks
  }
}

/** Counts in one statement (UNION ALL): one round trip to PostgreSQL for many rows' indexes. */
const RANGES_PER_QUERY = 100
