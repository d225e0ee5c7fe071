import type Database from 'better-sqlite3'
import type { FillDecisionRepository } from './store.js'
import { readJsonColumn } from './read-column.js'

/**
 * Decisions per row: a long fill makes hundreds of thousands, and one row per decision made
 * storing them cost more than storing the fill's events. A page of up to CHUNK decisions
 * reads at most two rows.
 */
const CHUNK = 500

const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string')

/** An auto-fill's decision log, in chunks of CHUNK, gone with its schedule (ON DELETE CASCADE). */
export class SqliteFillDecisionRepository implements FillDecisionRepository {
  private readonly insert: Database.Statement

  constructor (private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO fill_decisions (schedule_id, chunk, count, decisions) VALUES (?, ?, ?, ?)')
  }

  save (scheduleId: string, decisions: readonly string[]): void {
    this.db.transaction(() => {
      for (let first = 0; first < decisions.length; first += CHUNK) {
        const chunk = decisions.slice(first, first + CHUNK)
        this.insert.run(scheduleId, first / CHUNK, chunk.length, JSON.stringify(chunk))
      }
    }).immediate()
  }

  count (scheduleId: string): number {
    return (this.db.prepare('SELECT coalesce(sum(count), 0) AS n FROM fill_decisions WHERE schedule_id = ?').get(scheduleId) as { n: number }).n
  }

  page (scheduleId: string, offset: number, limit: number): string[] {
    const first = Math.floor(offset / CHUNK)
    const last = Math.floor((offset + limit - 1) / CHUNK)
    const rows = this.db.prepare('SELECT decisions FROM fill_decisions WHERE schedule_id = ? AND chunk BETWEEN ? AND ? ORDER BY chunk')
      .all(scheduleId, first, last) as Array<{ decisions: string }>
    const texts = rows.flatMap((row) => readJsonColumn(row.decisions, isTextList, []))
    return texts.slice(offset - first * CHUNK, offset - first * CHUNK + limit)
  }
}
