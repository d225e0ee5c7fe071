import type { Scope } from './dialect.js'
import type { Cursor } from '../paging.js'
import type { TimeRange } from '../schedule/time.js'
import { channelEvent, isReadable, onAirWhere, type EventRow, type StoredChannelEvent } from './channels.js'

// A channel's programmes (SPEC §14), read a page at a time. A programme is the events sharing a
// programme_id; an event without one (a schedule placed on the channel) is a programme of its
// own, its id the event's. Programmes are ordered by their first segment's start, then id; one
// that starts before `from` but runs into it is answered whole, every segment.

/** A programme as stored: its id and every segment, in air order. */
export interface StoredProgramme { id: string, start: number, segments: StoredChannelEvent[] }

/** Events read per step while looking for a page's programmes. */
const SCAN_ROWS = 1_000
/** Most programme ids one IN (…) names. */
const IDS_PER_STATEMENT = 500

const programmeKey = (row: { id: string, programme_id: string | null }): string => row.programme_id ?? row.id
const after = (a: Cursor, b: Cursor): boolean => a.start > b.start || (a.start === b.start && a.id > b.id)

export class KyselyProgrammeRepository {
  constructor (private readonly scope: Scope) {}

  /**
   * The programmes with a segment on air in [from, to), after `cursor` (the last programme's
   * start and id), at most `limit`; `more` when there are others. Events are scanned in
   * (start, id) order by the channel/start index until limit + 1 programmes are found, then
   * each is read whole by the channel/programme index.
   */
  async programmesPage (
    channelId: string,
    { from, to }: TimeRange,
    { after: cursor, limit }: { after?: Cursor, limit: number }
  ): Promise<{ programmes: StoredProgramme[], more: boolean }> {
    const found = await this.scan(channelId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER, cursor, limit + 1)
    const programmes = (await this.whole(channelId, found))
      .filter((p) => cursor === undefined || after({ start: p.start, id: p.id }, cursor))
      .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return { programmes: programmes.slice(0, limit), more: programmes.length > limit }
  }

  /** The keys of the first `wanted` programmes met in air order after the cursor, with whether each has a programme_id. */
  private async scan (channelId: string, from: number, to: number, cursor: Cursor | undefined, wanted: number): Promise<Map<string, boolean>> {
    const db = this.scope.db()
    const base = await onAirWhere(db, channelId, from, to)
    const keys = new Map<string, boolean>()
    if (base === null) return keys
    const seen = new Set<string>()
    let position: Cursor | undefined = cursor
    for (;;) {
      let query = base.select(['id', 'programme_id', 'start_ms'])
      // (start_ms, id) > the position: the bound the index seeks to first.
      if (position !== undefined) {
        const p = position
        query = query.where('start_ms', '>=', p.start).where((eb) => eb.or([eb('start_ms', '>', p.start), eb('id', '>', p.id)]))
      }
      const rows = await query.orderBy('start_ms').orderBy('id').limit(SCAN_ROWS).execute()
      for (const row of rows) {
        const key = programmeKey(row)
        if (seen.has(key)) continue
        seen.add(key)
        // The programme the cursor names was the last page's; its later segments come after it here.
        if (cursor !== undefined && key === cursor.id) continue
        keys.set(key, row.programme_id !== null)
        if (keys.size >= wanted) return keys
      }
      if (rows.length < SCAN_ROWS) return keys
      const last = rows[rows.length - 1]
      position = { start: Number(last.start_ms), id: last.id }
    }
  }

  /** Every segment of each programme, read by its id (the event itself for one without a programme_id). */
  private async whole (channelId: string, keys: Map<string, boolean>): Promise<StoredProgramme[]> {
    const db = this.scope.db()
    const rows: EventRow[] = []
    const byProgramme = [...keys].filter(([, has]) => has).map(([key]) => key)
    const alone = [...keys].filter(([, has]) => !has).map(([key]) => key)
    for (let first = 0; first < byProgramme.length; first += IDS_PER_STATEMENT) {
      rows.push(...await db.selectFrom('events').selectAll().where('channel_id', '=', channelId).where('programme_id', 'in', byProgramme.slice(first, first + IDS_PER_STATEMENT)).execute())
    }
    for (let first = 0; first < alone.length; first += IDS_PER_STATEMENT) {
      rows.push(...await db.selectFrom('events').selectAll().where('id', 'in', alone.slice(first, first + IDS_PER_STATEMENT)).execute())
    }
    const programmes = new Map<string, StoredChannelEvent[]>()
    for (const row of rows.filter(isReadable)) {
      const key = programmeKey(row)
      const list = programmes.get(key) ?? []
      list.push(channelEvent(row))
      programmes.set(key, list)
    }
    return [...programmes].map(([id, segments]) => {
      segments.sort((a, b) => a.start - b.start || a.end - b.end)
      return { id, start: segments[0].start, segments }
    })
  }
}
