import { CommandError } from '../../contract/command-error.js'
import { sameJson, type HistoryRecord, type SettingsNow, type StoredSettings } from '../storage/edits.js'
import { inverseChanges, sameRow as same, type EventChangeRows, type EventRow } from './plan.js'

// Undo, redo and revert worked out from history, newest first. An undo is itself an entry
// (`undoes` its target), so it can be taken back too: redo is the undo of an undo.
//   undo:   the newest edit not already undone (an undo's target is skipped, and an undo whose
//           own undo — a redo — came later is skipped with it, so its target is undoable again);
//   redo:   the newest undo not already redone, provided no plain edit came after it;
//   revert: every entry above a revision, newest first.
// Each is checked against the rows as they are now and answered as the net change to write.

export type UndoKind = 'undo' | 'redo'

/** The entry an undo (or redo) takes back, or NOTHING_TO_UNDO. */
export function entryToTakeBack<Entry extends Pick<HistoryRecord, 'revision' | 'undoes'>> (history: readonly Entry[], kind: UndoKind): Entry {
  const byRevision = new Map(history.map((e) => [e.revision, e]))
  const isUndoOfEdit = (e: Entry): boolean => e.undoes !== null && byRevision.get(e.undoes)?.undoes === null
  const skipped = new Set<number>()
  for (const entry of history) {
    if (skipped.has(entry.revision)) continue
    if (entry.undoes !== null) {
      if (kind === 'redo' && isUndoOfEdit(entry)) return entry
      skipped.add(entry.undoes)
      continue
    }
    if (kind === 'undo') return entry
    break // a plain edit after the last undo: nothing left to redo
  }
  throw new CommandError('NOTHING_TO_UNDO', kind === 'undo' ? 'no edit left to undo in the history kept' : 'nothing to redo: no undo since the last edit')
}

/** What takeBack() answers: the net change to the events, and to a channel's settings when any. */
export interface TakenBack { changes: EventChangeRows, settings?: { before: StoredSettings, after: StoredSettings } }

const conflictOf = (entry: HistoryRecord, what: string): CommandError =>
  new CommandError('EDIT_CONFLICT', `revision ${entry.revision} cannot be taken back: ${what} was changed since by a write history does not record (an import, or history older than it keeps); nothing was changed`)

/**
 * The net change that takes back `entries` (newest first) from the rows as stored now
 * (`current`: every row an entry names, by id, and every row of each build an entry made;
 * absent ones are not stored) and, for a channel, its settings now. EDIT_CONFLICT when a row
 * or setting is no longer what the entry left (a write history does not record changed it
 * since): nothing is written.
 */
export function takeBack (entries: readonly HistoryRecord[], current: ReadonlyMap<string, EventRow>, settingsNow?: SettingsNow): TakenBack {
  const state = new Map(current)
  const settings = settingsNow === undefined
    ? undefined
    : { template: settingsNow.template, channel: { ...settingsNow.channel }, overrides: new Map(settingsNow.overrides) }
  for (const entry of entries) {
    const inverse = inverseChanges(entry.changes)
    // A build's own events are not copied into its entry: they are the rows of its build_id.
    const build = entry.detail.build?.id
    if (build !== undefined) for (const [id, row] of state) if (row.build_id === build) state.delete(id)
    for (const row of inverse.removed) { if (!same(state.get(row.id), row)) throw conflictOf(entry, `event ${row.id}`); state.delete(row.id) }
    for (const { before, after } of inverse.changed) { if (!same(state.get(before.id), before)) throw conflictOf(entry, `event ${before.id}`); state.set(after.id, after) }
    for (const row of inverse.added) { if (state.has(row.id)) throw conflictOf(entry, `event ${row.id}`); state.set(row.id, row) }
    const change = entry.detail.settings
    if (change !== undefined && settings !== undefined) takeBackSettings(entry, change, settings)
  }
  const net: EventChangeRows = { added: [], removed: [], changed: [] }
  for (const id of new Set([...current.keys(), ...state.keys()])) {
    const before = current.get(id)
    const after = state.get(id)
    if (before === undefined && after !== undefined) net.added.push(after)
    else if (before !== undefined && after === undefined) net.removed.push(before)
    else if (before !== undefined && after !== undefined && !same(before, after)) net.changed.push({ before, after })
  }
  return settings === undefined || settingsNow === undefined ? { changes: net } : { changes: net, ...netSettings(settingsNow, settings) }
}

/** Takes one entry's settings change back from `state`, checking each is still what the entry left. */
function takeBackSettings (entry: HistoryRecord, { before, after }: { before: StoredSettings, after: StoredSettings }, state: SettingsNow): void {
  if (after.template !== undefined && before.template !== undefined) {
    if (!sameJson(state.template, after.template)) throw conflictOf(entry, 'the template')
    state.template = before.template
  }
  for (const [field, value] of Object.entries(after.channel ?? {})) {
    if (!sameJson(state.channel[field as keyof SettingsNow['channel']], value)) throw conflictOf(entry, `the channel's ${field}`)
    Object.assign(state.channel, { [field]: (before.channel as Record<string, unknown> | undefined)?.[field] })
  }
  for (const [id, left] of Object.entries(after.overrides ?? {})) {
    if (!sameJson(state.overrides.get(id) ?? null, left)) throw conflictOf(entry, `override ${id}`)
    const back = before.overrides?.[id] ?? null
    if (back === null) { state.overrides.delete(id); continue }
    const taken = [...state.overrides.values()].find((o) => o.seq === back.seq && o.id !== id)
    if (taken !== undefined) throw conflictOf(entry, `override "${back.name}"'s place (seq ${back.seq}, now "${taken.name}")`)
    state.overrides.set(id, back)
  }
}

/** The settings that differ between `from` and `to`, as a change. */
function netSettings (from: SettingsNow, to: SettingsNow): Pick<TakenBack, 'settings'> {
  const before: StoredSettings = {}
  const after: StoredSettings = {}
  if (!sameJson(from.template, to.template)) { before.template = from.template; after.template = to.template }
  for (const [field, value] of Object.entries(to.channel)) {
    const was = (from.channel as Record<string, unknown>)[field]
    if (sameJson(was, value)) continue
    before.channel = { ...before.channel, [field]: was }
    after.channel = { ...after.channel, [field]: value }
  }
  for (const id of new Set([...from.overrides.keys(), ...to.overrides.keys()])) {
    const was = from.overrides.get(id) ?? null
    const now = to.overrides.get(id) ?? null
    if (sameJson(was, now)) continue
    before.overrides = { ...before.overrides, [id]: was }
    after.overrides = { ...after.overrides, [id]: now }
  }
  return Object.keys(after).length === 0 ? {} : { settings: { before, after } }
}

/** Every event id the entries name: the rows takeBack() needs as they are now (with those of buildsNamed()). */
export const idsNamed = (entries: readonly HistoryRecord[]): string[] =>
  [...new Set(entries.flatMap(({ changes: c }) => [...c.added, ...c.removed, ...c.changed.map((x) => x.after)].map((r) => r.id)))]

/** The builds the entries made: takeBack() takes their rows away. */
export const buildsNamed = (entries: readonly HistoryRecord[]): string[] =>
  entries.flatMap((e) => (e.detail.build === undefined ? [] : [e.detail.build.id]))
