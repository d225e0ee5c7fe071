import type { HistoryEntry, Override, SettingsState } from '../../contract/api.js'
import { iso } from '../schedule/model.js'
import { editedEvent } from '../editing/plan.js'
import type { Store } from '../storage/store.js'
import type { Author, EditTarget, HistoryRecord, NewHistoryEntry, StoredSettings } from '../storage/edits.js'
import type { StoredOverride } from '../storage/channels.js'
import type { EventChangeRows } from '../editing/plan.js'
import type { CommandContext, OptionValues } from './command.js'

// History of every write (SPEC §12, §14): who made it (the API passes the key's name and role
// as --by/--role; by hand, the person at the terminal), how long entries are kept, and an entry
// as the API answers it. Writes that raise the revision themselves (template, override, channel,
// build) keep their entry with recordWrite(), in their own transaction.

/** The options every write that keeps a history entry takes. */
export const AUTHOR_OPTIONS = { by: { type: 'string' }, role: { type: 'string' }, 'history-days': { type: 'string' } } as const
export const AUTHOR_USAGE = '[--by NAME --role ROLE] [--history-days N]'

/** By hand, the person at the terminal; through the API, the key's name and role. */
export const author = (ctx: Pick<CommandContext, 'options' | 'requestId'>): Author => ({
  name: typeof ctx.options.by === 'string' ? ctx.options.by : 'm3upro by hand',
  role: typeof ctx.options.role === 'string' ? ctx.options.role : 'admin',
  requestId: ctx.requestId
})

export const DAY_MS = 86_400_000
export const keepSince = (options: OptionValues): number => Date.now() - Math.max(1, Number(options['history-days'] ?? 90) || 90) * DAY_MS

/** The entry's who, when and what, for a write by `ctx`. */
export function entryBy (ctx: Pick<CommandContext, 'options' | 'requestId'>, kind: NewHistoryEntry['kind'], summary: string, detail?: NewHistoryEntry['detail']): NewHistoryEntry {
  const who = author(ctx)
  const entry: NewHistoryEntry = { kind, at_ms: Date.now(), by_name: who.name, by_role: who.role, request_id: who.requestId, summary, undoes: null }
  return detail === undefined ? entry : { ...entry, detail }
}

/** Keeps the entry of a channel write that made `revision` (its settings before and after, or a build's rows). */
export async function recordWrite (
  tx: Store,
  ctx: Pick<CommandContext, 'options' | 'requestId'>,
  channelId: string,
  revision: number,
  entry: { kind: NewHistoryEntry['kind'], summary: string, changes?: EventChangeRows, detail?: NewHistoryEntry['detail'] }
): Promise<void> {
  const target: EditTarget = { kind: 'channel', id: channelId }
  const changes = entry.changes ?? { added: [], removed: [], changed: [] }
  await tx.edits.record(target, revision, changes, entryBy(ctx, entry.kind, entry.summary, entry.detail), keepSince(ctx.options))
}

/** Fixed events answer in UTC, as stored. */
export const overrideAnswer = ({ channel_id: _channel, events, ...o }: StoredOverride): Override => ({
  ...o,
  events: events.map((e) => ({ ...e, start: iso(e.start), end: iso(e.end) }))
})

const settingsAnswer = ({ overrides, ...rest }: StoredSettings): SettingsState => ({
  ...rest,
  ...(overrides !== undefined && { overrides: Object.fromEntries(Object.entries(overrides).map(([id, o]) => [id, o === null ? null : overrideAnswer(o)])) })
})

export const historyEntry = (e: HistoryRecord): HistoryEntry => ({
  revision: e.revision,
  kind: e.kind,
  at: iso(e.at_ms),
  by: { name: e.by_name, role: e.by_role },
  request_id: e.request_id,
  summary: e.summary,
  undoes: e.undoes,
  counts: e.detail.counts,
  changes: {
    added: e.changes.added.map(editedEvent),
    removed: e.changes.removed.map(editedEvent),
    changed: e.changes.changed.map(({ before, after }) => ({ before: editedEvent(before), after: editedEvent(after) }))
  },
  ...(e.detail.settings !== undefined && { settings: { before: settingsAnswer(e.detail.settings.before), after: settingsAnswer(e.detail.settings.after) } }),
  ...(e.detail.build !== undefined && { build: e.detail.build })
})
