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

/** What a warning needs of an event: with what tells whether a channel's piece is an airing (SPEC §15, workers/channels/cooldown-policy.ts). */
export type NearRow = Pick<EventsTable, 'id' | 'schedule_id' | 'position' | 'title' | 'start_ms' | 'end_ms' | 'video_url' | 'video_key' | 'channel' |
  'category' | 'origin_kind' | 'origin_block' | 'origin_override' | 'origin_source' | 'segment_role' | 'programme_id'> & { in_ms: number }

const NEAR_COLUMNS = [
  'id', 'schedule_id', 'position', 'title', 'start_ms', 'end_ms', 'video_url', 'video_key', 'channel',
  'category', 'origin_kind', 'origin_block', 'origin_override', 'origin_source', 'segment_role', 'programme_id', 'in_ms'
] as const

/** A row as read, its offset a number (PostgreSQL answers a BIGINT as text). */
const nearRow = <R extends { in_ms: number | string }>(row: R): R & { in_ms: number } => ({ ...row, in_ms: Number(row.in_ms) })

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
    return rows.filter(isReadableRow).map(nearRow)
  }

  /**
   * Each row's nearest airing of its video on the line, before and after it in air order. One
   * statement per chunk of rows finds the start of each (a correlated seek of
   * (owner, video_key, start_ms), LIMIT 1, per row and side), one more reads the rows of those
   * starts and of each row's own (the index orders starts, not end and position, and rows of
   * one start are few); a bulk of 1,000 is a few statements, not thousands. `airing`: only rows
   * it accepts are airings (SPEC §15); the seeks pass over a programme's later parts (in_ms > 0)
   * and fixed events, the few rows of a video besides its airings.
   */
  async nearest (
    line: Line,
    rows: readonly NearRow[],
    airing: ((row: NearRow) => boolean) | null = null
  ): Promise<Map<string, { before: NearRow | null, after: NearRow | null }>> {
    const db = this.scope.db()
    const owner = sql.ref(`e.${line.column}`)
    const airings = airing === null ? sql`` : sql`AND e.in_ms = 0 AND (e.origin_kind IS NULL OR e.origin_kind <> 'fixed')`
    const seek = (op: '<' | '>', direction: 'desc' | 'asc') => sql`(SELECT e.start_ms FROM events e WHERE ${owner} = ${line.id} AND e.video_key = v.column2
      AND e.start_ms ${sql.raw(op)} v.column3 AND e.end_ms <= ${MAX_INSTANT_MS} AND e.end_ms > e.start_ms ${airings} ORDER BY e.start_ms ${sql.raw(direction)} LIMIT 1)`
    const found = new Map<string, { before: NearRow | null, after: NearRow | null }>()
    for (let i = 0; i < rows.length; i += ROWS_PER_QUERY) {
      const chunk = rows.slice(i, i + ROWS_PER_QUERY)
      const { rows: starts } = await sql<{ k: number, before_start: number | null, after_start: number | null }>`SELECT v.column1 AS k, ${seek('<', 'desc')} AS before_start, ${seek('>', 'asc')} AS after_start
        FROM (VALUES ${sql.join(chunk.map((r, k) => sql`(CAST(${k} AS INTEGER), CAST(${r.video_key} AS TEXT), CAST(${r.start_ms} AS BIGINT))`))}) AS v`.execute(db)
      const wanted = new Set<number>(chunk.map((r) => r.start_ms))
      for (const s of starts) for (const start of [s.before_start, s.after_start]) if (start !== null) wanted.add(Number(start))
      const at = await this.rowsAt(line, [...wanted])
      const pick = (row: NearRow, start: number | null, side: 'before' | 'after'): NearRow | null => {
        let best: NearRow | null = null
        for (const other of start === null ? [] : at.get(start) ?? []) {
          if (other.video_key !== row.video_key || other.id === row.id || (airing !== null && !airing(other))) continue
          const order = airOrder(other, row)
          if (side === 'before' ? order >= 0 : order <= 0) continue
          if (best === null || (side === 'before' ? airOrder(other, best) > 0 : airOrder(other, best) < 0)) best = other
        }
        return best
      }
      for (const s of starts) {
        const row = chunk[Number(s.k)]
        found.set(row.id, {
          before: pick(row, row.start_ms, 'before') ?? pick(row, s.before_start === null ? null : Number(s.before_start), 'before'),
          after: pick(row, row.start_ms, 'after') ?? pick(row, s.after_start === null ? null : Number(s.after_start), 'after')
        })
      }
    }
    return found
  }

  /** The line's readable rows starting at these instants, by start: one range of (owner, start_ms) each. */
  private async rowsAt (line: Line, starts: readonly number[]): Promise<Map<number, NearRow[]>> {
    const at = new Map<number, NearRow[]>()
    for (let i = 0; i < starts.length; i += 500) {
      for (const row of await this.scope.db().selectFrom('events').select(NEAR_COLUMNS).where(line.column, '=', line.id).where('start_ms', 'in', starts.slice(i, i + 500)).execute()) {
        if (isReadableRow(row)) at.get(row.start_ms)?.push(nearRow(row)) ?? at.set(row.start_ms, [nearRow(row)])
      }
    }
    return at
  }

  /**
   * For each ask, the latest start of a play of `videoKey` outside the schedule in
   * (after, atMost], as playsOutside() counts plays (no row left out); `after`: the start of
   * the schedule's own previous play of the video (null: it has none), so the schedule has no
   * play in (after, atMost) and the first play before `atMost`, whoever's, is the answer or
   * nothing is. Per ask two correlated seeks of (channel_id, video_key, start_ms) or
   * (video_key, start_ms) in one statement per chunk, whatever the video's history.
   */
  async latestPlaysOutside (outside: Outside, asks: ReadonlyArray<{ videoKey: string, after: number | null, atMost: number }>): Promise<Array<number | null>> {
    const onChannel = outside.channelId === null ? sql`` : sql`AND e.channel_id = ${outside.channelId}`
    const answers: Array<number | null> = []
    for (let i = 0; i < asks.length; i += ROWS_PER_QUERY) {
      const chunk = asks.slice(i, i + ROWS_PER_QUERY)
      const { rows } = await sql<{ k: number, tied: number | null, earlier: number | null }>`SELECT v.column1 AS k,
        (SELECT 1 FROM events e WHERE e.video_key = v.column2 AND e.start_ms = v.column3 ${onChannel} AND (e.schedule_id IS NULL OR e.schedule_id <> ${outside.except}) LIMIT 1) AS tied,
        (SELECT e.start_ms FROM events e WHERE e.video_key = v.column2 AND e.start_ms < v.column3 ${onChannel} ORDER BY e.start_ms DESC LIMIT 1) AS earlier
        FROM (VALUES ${sql.join(chunk.map((a, k) => sql`(CAST(${k} AS INTEGER), CAST(${a.videoKey} AS TEXT), CAST(${a.atMost} AS BIGINT))`))}) AS v`.execute(this.scope.db())
      const byK = new Map(rows.map((r) => [Number(r.k), r]))
      chunk.forEach((ask, k) => {
        const row = byK.get(k)
        const earlier = row?.earlier === null || row?.earlier === undefined ? null : Number(row.earlier)
        const later = (start: number): boolean => ask.after === null || start > ask.after
        // A play outside at the very start of the schedule's previous one does not come after it.
        answers.push(row?.tied !== null && row?.tied !== undefined && later(ask.atMost) ? ask.atMost : earlier !== null && later(earlier) ? earlier : null)
      })
    }
    return answers
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
    const tied = await this.rowsAt(line, starts)
    const ranks = new Map<string, number>()
    for (const row of rows) ranks.set(row.id, before.get(row.start_ms)! + (tied.get(row.start_ms) ?? []).filter((other) => airOrder(other, row) < 0).length)
    return ranks
  }
}

/** Counts in one statement (UNION ALL): one round trip to PostgreSQL for many rows' indexes. */
const RANGES_PER_QUERY = 100
/** Rows asked about in one statement of correlated seeks (three parameters each). */
const ROWS_PER_QUERY = 300
