// @ts-check
// The buttons under a side form of the edit view (an event's, a programme's): Save, Delete and
// Close, their ids `<prefix>-save`, `<prefix>-delete`, `<prefix>-close` (the panel tests find them so).
import { html } from '../preact.js'

/** @param {{ prefix: string, pending: boolean, onDelete: () => void, onClose: () => void }} props */
export const SideFormToolbar = ({ prefix, pending, onDelete, onClose }) => html`<div class="toolbar">
  <button type="submit" class="primary" id=${`${prefix}-save`} disabled=${pending}>Save</button>
  <button type="button" class="danger" id=${`${prefix}-delete`} disabled=${pending} onClick=${onDelete}>Delete</button>
  <button type="button" id=${`${prefix}-close`} onClick=${onClose}>Close</button>
</div>`
