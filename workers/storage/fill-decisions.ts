import type { FillDecisionRepository } from './store.js'
import { readJsonColumn } from './read-column.js'
import type { Scope } from './dialect.js'

/**
 * Decisions per row: a long fill makes hundreds of thousands, and one row per decision made
 * storing them cost more than storing the fill's events. A page of up to CHUNK decisions
 * reads at most two rows.
 */
const CHUNK = 500

const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string')

/** An auto-fill's decision log, in chunks of CHUNK, gone with its schedule (ON DELETE CASCADE). */
export class KyselyFillDecisionRepository implements FillDecisionRepository {
  constructor (private readonly scope: Scope) {}

  async save (scheduleId: string, decisions: readonly string[]): Promise<void> {
    const rows: Array<{ schedule_id: string, chunk: number, count: number, decisions: string }> = []
    for (let first = 0; first < decisions.length; first += CHUNK) {
      const chunk = decisions.slice(first, first + CHUNK)
      rows.push({ schedule_id: scheduleId, chunk: first / CHUNK, count: chunk.length, decisions: JSON.stringify(chunk) })
    }
    await this.scope.write((tx) => this.scope.dialect.insertRows(tx, 'fill_decisions', rows))
  }

  async count (scheduleId: string): Promise<number> {
    const { n } = await this.scope.db().selectFrom('fill_decisions')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('count'), eb.lit(0)).as('n'))
      .where('schedule_id', '=', scheduleId)
      .executeTakeFirstOrThrow()
    // A PostgreSQL sum of integers is a numeric, read as text.
    return Number(n)
  }

  async page (scheduleId: string, offset: number, limit: number): Promise<string[]> {
    const first = Math.floor(offset / CHUNK)
    const last = Math.floor((offset + limit - 1) / CHUNK)
    const rows = await this.scope.db().selectFrom('fill_decisions').select('decisions')
      .where('schedule_id', '=', scheduleId).where('chunk', '>=', first).where('chunk', '<=', last)
      .orderBy('chunk')
      .execute()
    const texts = rows.flatMap((row) => readJsonColumn(row.decisions, isTextList, []))
    return texts.slice(offset - first * CHUNK, offset - first * CHUNK + limit)
  }
}
