// @ts-check
// The history of a schedule or a channel (GET …/history), newest first: every write (an edit,
// a build, a template, override or settings change, an undo, a revert) with what it changed in
// words, who and when. "Back to r12" restores the state right after revision 12 (SPEC §14);
// "Revert to the last build" is one action on a channel that has a build in its history.
import { BUILD_HISTORY_KINDS, LAST_BUILD } from '../../contract/limits.js'
import { html } from '../preact.js'
import { fmtDateTime } from '../ui.js'

/** @typedef {import('../../../contract/api.js').HistoryEntry} HistoryEntry */

/** What each kind of write is called in the list. @type {Record<HistoryEntry['kind'], string>} */
const KIND_NAMES = {
  edit: 'Edit',
  build: 'Build',
  rolling_build: 'Rolling build',
  template: 'Template',
  override: 'Override',
  channel: 'Settings',
  playlist: 'Playlist',
  undo: 'Undo',
  revert: 'Revert'
}

/**
 * @param {{ history: HistoryEntry[] | null, revision: number | null, pending: boolean,
 *   onRevert: (to: number | typeof LAST_BUILD) => void }} props
 */
export function EditHistory ({ history, revision, pending, onRevert }) {
  if (history === null) return html`<p class="state loading" role="status">Loading the history…</p>`
  // A build by hand or the scheduler's rolling build.
  const lastBuild = history.find((entry) => /** @type {readonly string[]} */ (BUILD_HISTORY_KINDS).includes(entry.kind))
  return html`<section aria-labelledby="history-title" id="edit-history">
    <h3 id="history-title">History</h3>
    ${lastBuild && html`<p class="toolbar"><button type="button" id="revert-last-build" disabled=${pending || lastBuild.revision === revision}
      title=${`Restore the events and settings as they were right after the build of r${lastBuild.revision}`}
      onClick=${() => onRevert(LAST_BUILD)}>Revert to the last build</button></p>`}
    ${history.length === 0
      ? html`<p class="state empty">Nothing written yet.</p>`
      : html`<ol class="history">${history.map((entry) => html`<li data-revision=${entry.revision} data-kind=${entry.kind}>
        <strong>r${entry.revision}</strong> <span class="badge">${KIND_NAMES[entry.kind] ?? entry.kind}</span>
        · ${fmtDateTime(entry.at)} · ${entry.by.name} (${entry.by.role})<br />
        <span class="summary">${entry.summary}</span>
        ${entry.revision !== revision && html` <button type="button" class="revert" disabled=${pending}
          title=${`Restore the state right after r${entry.revision}: every later write is taken back`}
          onClick=${() => onRevert(entry.revision)}>Back to r${entry.revision}</button>`}
      </li>`)}</ol>`}
  </section>`
}
