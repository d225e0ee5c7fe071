// @ts-check
// The history of a schedule's or a channel's edits (GET …/history), newest first, each with a
// Revert button that takes the events back to how they were at that revision.
import { html } from '../preact.js'
import { fmtDateTime } from '../ui.js'

/**
 * @param {{ history: import('../../../contract/api.js').HistoryEntry[] | null, revision: number | null, pending: boolean,
 *   onRevert: (revision: number) => void }} props
 */
export function EditHistory ({ history, revision, pending, onRevert }) {
  if (history === null) return html`<p class="state loading" role="status">Loading the history…</p>`
  return html`<section aria-labelledby="history-title" id="edit-history">
    <h3 id="history-title">History</h3>
    ${history.length === 0
      ? html`<p class="state empty">No edits yet.</p>`
      : html`<ol class="history">${history.map((entry) => html`<li data-revision=${entry.revision}>
        <strong>r${entry.revision}</strong> · ${fmtDateTime(entry.at)} · ${entry.by.name} (${entry.by.role})<br />
        <span>${entry.summary}</span>
        ${entry.revision !== revision && html` <button type="button" class="revert" disabled=${pending} onClick=${() => onRevert(entry.revision)}>Revert to r${entry.revision}</button>`}
      </li>`)}</ol>`}
  </section>`
}
