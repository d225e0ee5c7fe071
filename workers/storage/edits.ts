import { sql, type Selectable } from 'kysely'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { columnsChanged, type EventChangeRows, type EventRow } from '../editing/plan.js'
import { readJsonColumn } from './read-column.js'
import { isObject } from '../json.js'
import type { Scope } from './dialect.js'
import type { Database, EditHistoryTable } from './tables.js'
import { raiseChannels } from './event-rows.js'
import { EditReads } from './edit-reads.js'
import { ProgrammeReads } from './programme-reads.js'
import { DEFAULT_COOLDOWN_HOURS, HISTORY_LISTED_ROWS } from '../../contract/limits.js'
import type { BuildFacts, ChannelSettings, HistoryKind } from '../../contract/editing.js'
import type { Template } from '../../contract/channels.js'
import { channelColumns, channelSettings, KyselyChannelRepository, overrideRow, refuseTaken, type StoredOverride } from './channels.js'

// Edits by hand (SPEC §12), as the store keeps them: the target's revision (schedules.revision,
// channels.revision), its events as whole rows, and edit_history. Every method that writes is
// called inside the exclusive() transaction the command holds, so the revision it checked is
// still the revision when it writes.

export interface EditTarget { kind: 'schedule' | 'channel', id: string }

/** Who made a write, as history shows it: the key's name and role (never the key), the request. */
export interface Author { name: string, role: string, requestId: string }

/**
 * A channel's settings on one side of a write, as stored (SPEC §14; the contract's SettingsState
 * with overrides' instants in epoch ms): only what the write touched; an override null where
 * it did not exist.
 */
export interface StoredSettings { template?: Template, channel?: ChannelSettings, overrides?: Record<string, StoredOverride | null> }
/** What a history entry keeps besides its event rows (edit_history.detail, migration 12). */
export interface HistoryDetail {
  counts: { added: number, removed: number, changed: number }
  settings?: { before: StoredSettings, after: StoredSettings }
  /** A build: its events are the rows with this build_id (not copied); `changes.removed` what it replaced. */
  build?: BuildFacts
}

/** An edit_history row as read: its changes parsed (empty when read without its compressed rows), its detail. */
export type HistoryRecord = Omit<Selectable<EditHistoryTable>, 'target' | 'changes' | 'detail' | 'rows_gz' | 'kind'> & {
  kind: HistoryKind
  changes: EventChangeRows
  detail: HistoryDetail
}
/** What a write gives its history entry; the revision is the write's. */
export type NewHistoryEntry = Omit<HistoryRecord, 'revision' | 'changes' | 'detail' | 'kind'> & { kind?: HistoryKind, detail?: Omit<HistoryDetail, 'counts'> }

/** A channel's settings now, whole: what an undo or revert of settings is checked against. */
export interface SettingsNow { template: Template, channel: Required<ChannelSettings>, overrides: Map<string, StoredOverride> }

/** What an edit is worked out on (its rows are read by what the ops name: rowsOf, rowsStarting). */
export interface TargetState {
  revision: number
  /** The highest position of a schedule's events: an added one goes after it. */
  maxPosition: number
  /** A schedule's: the channel it is placed on, and its one XMLTV channel when it has just one. */
  channelRef: string | null
  soleChannel: string | null
  /** A channel's zone. */
  timezone: string | null
  cooldownHours: number
}

const targetKey = (t: EditTarget): string => `${t.kind}:${t.id}`

const isChanges = (v: unknown): v is EventChangeRows => isObject(v) && Array.isArray(v.added) && Array.isArray(v.removed) && Array.isArray(v.changed)

const EMPTY: EventChangeRows = { added: [], removed: [], changed: [] }
const EMPTY_TEXT = JSON.stringify(EMPTY)
const countsOf = (c: EventChangeRows): HistoryDetail['counts'] => ({ added: c.added.length, removed: c.removed.length, changed: c.changed.length })
const isDetail = (v: unknown): v is HistoryDetail => isObject(v) && isObject(v.counts)

/**
 * The columns an entry's rows and detail are kept in: as JSON text, or, for a build and any
 * entry of more than HISTORY_LISTED_ROWS events, deflated (a 14-day build replaces ~16,000
 * rows: some 9 MB of JSON, about a tenth of it deflated), with `changes` left empty.
 */
function entryColumns (changes: EventChangeRows, detail: Omit<HistoryDetail, 'counts'> = {}): Pick<EditHistoryTable, 'changes' | 'rows_gz' | 'detail'> {
  const counts = { added: changes.added.length + (detail.build?.events ?? 0), removed: changes.removed.length, changed: changes.changed.length }
  const packed = detail.build !== undefined || changes.added.length + changes.removed.length + changes.changed.length > HISTORY_LISTED_ROWS
  return {
    changes: packed ? EMPTY_TEXT : JSON.stringify(changes),
    rows_gz: packed ? deflateRawSync(JSON.stringify(changes)) : null,
    detail: JSON.stringify({ ...detail, counts })
  }
}

/** Equal as JSON whatever the key order (two databases, and objects built in different orders). */
export function sameJson (a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown => Array.isArray(v)
    ? v.map(canonical)
    : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v
  return JSON.stringify(canonical(a) ?? null) === JSON.stringify(canonical(b) ?? null)
}

/**
 * The rows changed, grouped by the columns each changed (a bulk move: start_ms and end_ms of
 * every row): an UPDATE of those columns alone touches only the indexes on them, where a delete
 * and insert touched all of the events table's indexes twice.
 */
function byColumnsChanged (changed: EventChangeRows['changed']): Array<{ columns: Array<keyof EventRow>, rows: EventRow[] }> {
  const groups = new Map<string, { columns: Array<keyof EventRow>, rows: EventRow[] }>()
  for (const { before, after } of changed) {
    const columns = columnsChanged(before, after)
    if (columns.length === 0) continue
    // A row is changed in place by its id: a change of id is a removal and an addition.
    if (columns.includes('id')) throw new Error(`edits: a changed row keeps its id (${before.id} became ${after.id})`)
    const key = columns.join(',')
    const group = groups.get(key) ?? groups.set(key, { columns, rows: [] }).get(key)
    group?.rows.push(after)
  }
  return [...groups.values()]
}

/** Inserts a history entry and drops those older than `keepSinceMs`, inside the write's transaction. */
async function insertEntry (
  tx: Database, target: EditTarget, revision: number, changes: EventChangeRows, entry: NewHistoryEntry, keepSinceMs: number
): Promise<void> {
  const { detail, ...fields } = entry
  await tx.insertInto('edit_history').values({ target: targetKey(target), revision, ...fields, ...entryColumns(changes, detail) }).execute()
  await tx.deleteFrom('edit_history').where('at_ms', '<', keepSinceMs).execute()
}

export class KyselyEditRepository {
  /** The indexed reads an edit's warnings are found by. */
  readonly reads: EditReads
  /** A programme's segments, a ripple's wall (programme-reads.ts). */
  readonly programmes: ProgrammeReads

  constructor (private readonly scope: Scope) {
    this.reads = new EditReads(scope)
    this.programmes = new ProgrammeReads(scope)
  }

  /** The target's revision alone; null when there is no such schedule or channel. */
  async revision (target: EditTarget): Promise<number | null> {
    const row = await this.scope.db().selectFrom(target.kind === 'schedule' ? 'schedules' : 'channels').select('revision').where('id', '=', target.id).executeTakeFirst()
    return row === undefined ? null : Number(row.revision)
  }

  /** What an edit of the target needs to know besides its rows; null when there is no such schedule or channel. */
  async state (target: EditTarget): Promise<TargetState | null> {
    const db = this.scope.db()
    if (target.kind === 'schedule') {
      const schedule = await db.selectFrom('schedules').select(['revision', 'channel_ref', 'metadata']).where('id', '=', target.id).executeTakeFirst()
      if (schedule === undefined) return null
      const last = await db.selectFrom('events').select((eb) => eb.fn.max('position').as('position')).where('schedule_id', '=', target.id).executeTakeFirst()
      const metadata = readJsonColumn(schedule.metadata, isObject, {})
      const channels = Array.isArray(metadata.channels) ? metadata.channels as Array<{ id?: unknown }> : []
      return {
        revision: Number(schedule.revision),
        maxPosition: last?.position === null || last?.position === undefined ? -1 : Number(last.position),
        channelRef: schedule.channel_ref,
        soleChannel: channels.length === 1 && typeof channels[0].id === 'string' ? channels[0].id : null,
        timezone: null,
        cooldownHours: typeof metadata.cooldown_hours === 'number' ? metadata.cooldown_hours : DEFAULT_COOLDOWN_HOURS
      }
    }
    const channel = await db.selectFrom('channels').select(['revision', 'timezone', 'template']).where('id', '=', target.id).executeTakeFirst()
    if (channel === undefined) return null
    const template = readJsonColumn(channel.template, isObject, {})
    return {
      revision: Number(channel.revision),
      maxPosition: -1,
      channelRef: null,
      soleChannel: null,
      timezone: channel.timezone,
      cooldownHours: typeof template.cooldown_hours === 'number' ? template.cooldown_hours : DEFAULT_COOLDOWN_HOURS
    }
  }

  /** The target's events starting in [from, to): a ripple's day. */
  async rowsStarting (target: EditTarget, from: number, to: number): Promise<EventRow[]> {
    return this.scope.db().selectFrom('events').selectAll().where(target.kind === 'schedule' ? 'schedule_id' : 'channel_id', '=', target.id)
      .where('start_ms', '>=', from).where('start_ms', '<', to).execute()
  }

  /**
   * The rows of these ids as stored now (of the target's events only, when `of` is given). By
   * id alone, the target checked on the rows read: with `channel_id = ?` beside a long IN list,
   * SQLite walked the channel's index (150,000 entries) instead of seeking each id.
   */
  async rowsOf (ids: readonly string[], of?: EditTarget): Promise<EventRow[]> {
    const found: EventRow[] = []
    for (let i = 0; i < ids.length; i += 500) {
      for (const row of await this.scope.db().selectFrom('events').selectAll().where('id', 'in', ids.slice(i, i + 500)).execute()) {
        if (of === undefined || row[of.kind === 'schedule' ? 'schedule_id' : 'channel_id'] === of.id) found.push(row)
      }
    }
    return found
  }

  /**
   * Writes `changes` (rows removed are deleted, rows added inserted, rows changed updated in
   * place, each set only the columns it changed: one prepared statement per set of columns) and
   * a channel's `settings` (an undo or revert of settings), raises the revision, keeps the
   * history entry, and drops history older than `keepSinceMs`. Answers the new revision.
   */
  async apply (target: EditTarget, changes: EventChangeRows, entry: NewHistoryEntry, keepSinceMs: number): Promise<number> {
    return this.scope.write(async (tx) => {
      const gone = changes.removed.map((r) => r.id)
      for (let i = 0; i < gone.length; i += 500) await tx.deleteFrom('events').where('id', 'in', gone.slice(i, i + 500)).execute()
      if (changes.added.length > 0) await this.scope.dialect.insertRows(tx, 'events', changes.added)
      for (const { columns, rows } of byColumnsChanged(changes.changed)) await this.scope.dialect.updateRows(tx, 'events', columns, rows)
      const settings = entry.detail?.settings?.after
      if (settings !== undefined && target.kind === 'channel') await this.writeSettings(tx, target.id, settings)
      const revision = await this.raiseRevision(tx, target)
      // A schedule's events may air on channels: what those air changed (their guides' ETags).
      if (target.kind === 'schedule') {
        const rows = [...changes.added, ...changes.removed, ...changes.changed.flatMap((c) => [c.before, c.after])]
        await raiseChannels(tx, [...new Set(rows.flatMap((r) => (r.channel_id === null ? [] : [r.channel_id])))])
      }
      await insertEntry(tx, target, revision, changes, entry, keepSinceMs)
      return revision
    })
  }

  /**
   * Keeps the history entry of a write that made `revision` (a template, override or channel
   * write and a build raise it themselves, in the same transaction), and drops history older
   * than `keepSinceMs`.
   */
  async record (target: EditTarget, revision: number, changes: EventChangeRows, entry: NewHistoryEntry, keepSinceMs: number): Promise<void> {
    await this.scope.write((tx) => insertEntry(tx, target, revision, changes, entry, keepSinceMs))
  }

  /** A channel's settings now: its template, the fields a PATCH sets, its overrides by id. null: no such channel. */
  async settingsNow (channelId: string): Promise<SettingsNow | null> {
    const channels = new KyselyChannelRepository(this.scope)
    const channel = await channels.get(channelId)
    if (channel === null) return null
    const overrides = await channels.listOverrides(channelId)
    return {
      template: (await channels.getTemplate(channelId))!.template,
      channel: channelSettings(channel),
      overrides: new Map(overrides.map((o) => [o.id, o]))
    }
  }

  /** Sets what `settings` names (an undo's or revert's net change), the revision left to the caller. */
  private async writeSettings (tx: Database, channelId: string, settings: StoredSettings): Promise<void> {
    if (settings.template !== undefined) await tx.updateTable('channels').set({ template: JSON.stringify(settings.template) }).where('id', '=', channelId).execute()
    if (settings.channel !== undefined && Object.keys(settings.channel).length > 0) {
      await refuseTaken(tx, channelId, settings.channel.number, settings.channel.xmltv_id)
      await tx.updateTable('channels').set(channelColumns(settings.channel)).where('id', '=', channelId).execute()
    }
    const overrides = Object.entries(settings.overrides ?? {})
    // Deleted first: an override put back takes its seq again, which one added since may have had.
    if (overrides.length > 0) await tx.deleteFrom('channel_overrides').where('channel_id', '=', channelId).where('id', 'in', overrides.map(([id]) => id)).execute()
    for (const [, o] of overrides) if (o !== null) await tx.insertInto('channel_overrides').values(overrideRow(o)).execute()
  }

  private async raiseRevision (tx: Database, target: EditTarget): Promise<number> {
    if (target.kind === 'channel') {
      const row = await tx.updateTable('channels').set({ revision: sql<number>`revision + 1`, updated: new Date().toISOString() })
        .where('id', '=', target.id).returning('revision').executeTakeFirstOrThrow()
      return Number(row.revision)
    }
    // The schedule's summary figures follow its events.
    const figures = await tx.selectFrom('events')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('start_ms').as('first'), eb.fn.max('end_ms').as('last')])
      .where('schedule_id', '=', target.id).executeTakeFirstOrThrow()
    const row = await tx.updateTable('schedules').set({
      revision: sql<number>`revision + 1`,
      event_count: Number(figures.n),
      first_start_ms: figures.first === null ? null : Number(figures.first),
      last_end_ms: figures.last === null ? null : Number(figures.last)
    }).where('id', '=', target.id).returning('revision').executeTakeFirstOrThrow()
    return Number(row.revision)
  }

  /**
   * Newest first, what an undo looks for (which revision each entry undid), without the rows
   * each entry changed: an undo reads the one entry it takes back whole (historyEntry), not a
   * thousand entries of up to thousands of rows each.
   */
  async historyHeads (target: EditTarget, limit: number): Promise<Array<Pick<HistoryRecord, 'revision' | 'undoes'>>> {
    const rows = await this.scope.db().selectFrom('edit_history').select(['revision', 'undoes'])
      .where('target', '=', targetKey(target)).orderBy('revision', 'desc').limit(limit).execute()
    return rows.map((row) => ({ revision: Number(row.revision), undoes: row.undoes === null ? null : Number(row.undoes) }))
  }

  /** The entry that made `revision`, whole. */
  async historyEntry (target: EditTarget, revision: number): Promise<HistoryRecord | null> {
    const [entry] = await this.history(target, { after: revision - 1, limit: 1, oldestFirst: true, rows: true })
    return entry?.revision === revision ? entry : null
  }

  /** The newest entry of these kinds (a revert to the last build: by hand or rolling); null: none kept. */
  async newestOfKind (target: EditTarget, kinds: readonly HistoryKind[]): Promise<number | null> {
    const row = await this.scope.db().selectFrom('edit_history').select('revision').where('target', '=', targetKey(target)).where('kind', 'in', [...kinds])
      .orderBy('revision', 'desc').limit(1).executeTakeFirst()
    return row === undefined ? null : Number(row.revision)
  }

  /** The rows builds stored (by build_id, events_by_build): what an undo of a build takes away. */
  async rowsOfBuilds (buildIds: readonly string[]): Promise<EventRow[]> {
    return buildIds.length === 0 ? [] : this.scope.db().selectFrom('events').selectAll().where('build_id', 'in', [...buildIds]).execute()
  }

  /**
   * Newest first; `after`: only the entries that made a revision above it. `rows`: with the rows
   * kept compressed (an undo or revert needs them; the history answer lists none of them).
   */
  async history (
    target: EditTarget,
    { after = 0, limit = 1000, oldestFirst = false, rows = false }: { after?: number, limit?: number, oldestFirst?: boolean, rows?: boolean } = {}
  ): Promise<HistoryRecord[]> {
    const found = await this.scope.db().selectFrom('edit_history')
      .select(['revision', 'at_ms', 'by_name', 'by_role', 'request_id', 'summary', 'undoes', 'kind', 'changes', 'detail'])
      .$if(rows, (q) => q.select('rows_gz'))
      .where('target', '=', targetKey(target)).where('revision', '>', after)
      .orderBy('revision', oldestFirst ? 'asc' : 'desc').limit(limit).execute()
    return found.map((row) => {
      const packed = (row as { rows_gz?: Buffer | null }).rows_gz
      const changes = packed === undefined || packed === null
        ? readJsonColumn(row.changes, isChanges, EMPTY)
        : readJsonColumn(inflateRawSync(packed).toString('utf8'), isChanges, EMPTY)
      return {
        revision: Number(row.revision),
        at_ms: Number(row.at_ms),
        by_name: row.by_name,
        by_role: row.by_role,
        request_id: row.request_id,
        summary: row.summary,
        undoes: row.undoes === null ? null : Number(row.undoes),
        kind: row.kind,
        changes,
        // Entries before migration 12 have no detail: their counts are their rows'.
        detail: readJsonColumn(row.detail, isDetail, { counts: countsOf(changes) })
      }
    })
  }
}
