import { CommandError } from '../../contract/command-error.js'
import type { HistoryRecord } from '../storage/edits.js'
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

/**
 * The net change that takes back `entries` (newest first) from the rows as stored now
 * (`current`: every row an entry names, by id; absent ones are not stored). EDIT_CONFLICT when
 * a row is no longer what the entry left (a build or import changed it since): nothing is written.
 */
export function takeBack (entries: readonly HistoryRecord[], current: ReadonlyMap<string, EventRow>): EventChangeRows {
  const state = new Map(current)
  const conflict = (entry: HistoryRecord, id: string): CommandError =>
    new CommandError('EDIT_CONFLICT', `revision ${entry.revision} cannot be taken back: event ${id} was changed since by a write history does not record (a build or an import); nothing was changed`)
  for (const entry of entries) {
    const inverse = inverseChanges(entry.changes)
    for (const row of inverse.removed) { if (!same(state.get(row.id), row)) throw conflict(entry, row.id); state.delete(row.id) }
    for (const { before, after } of inverse.changed) { if (!same(state.get(before.id), before)) throw conflict(entry, before.id); state.set(after.id, after) }
    for (const row of inverse.added) { if (state.has(row.id)) throw conflict(entry, row.id); state.set(row.id, row) }
  }
  const net: EventChangeRows = { added: [], removed: [], changed: [] }
  for (const id of new Set([...current.keys(), ...state.keys()])) {
    const before = current.get(id)
    const after = state.get(id)
    if (before === undefined && after !== undefined) net.added.push(after)
    else if (before !== undefined && after === undefined) net.removed.push(before)
    else if (before !== undefined && after !== undefined && !same(before, after)) net.changed.push({ before, after })
  }
  return net
}

/** Every event id the entries name: the rows takeBack() needs as they are now. */
export const idsNamed = (entries: readonly HistoryRecord[]): string[] =>
  [...new Set(entries.flatMap(({ changes: c }) => [...c.added, ...c.removed, ...c.changed.map((x) => x.after)].map((r) => r.id)))]
