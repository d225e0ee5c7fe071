// @ts-check
// The side form of one programme in a channel's Events editor (SPEC §14): its start and end as
// wall times of the channel's zone, pinned, and how a move ripples; its segments listed. Only
// what the user changed is sent: a programme's end is rarely a whole minute, and a form that sent
// back its minute-rounded times would move it.
import { html, useState } from '../preact.js'
import { wallTime, zonedInstant } from '../calendar.js'
import { SideFormToolbar } from './side-form-toolbar.js'
import { spokenLength } from '../programmes.js'

/** @typedef {import('../programmes.js').Drawn} Drawn */
/** @typedef {{ start: string, end: string, pinned: boolean, ripple: string }} ProgrammeValues */

/** The form's values for a programme, its times in `timeZone` (to the second). @param {Drawn} p @param {string} timeZone @returns {ProgrammeValues} */
export const programmeValues = (p, timeZone) => ({ start: wallTime(p.start, timeZone), end: wallTime(p.end, timeZone), pinned: p.pinned, ripple: '' })

/**
 * The PATCH body (`{ start?, end?, pinned?, ripple? }`): the fields changed from `initial`.
 * @param {ProgrammeValues} values @param {ProgrammeValues} initial @param {string} timeZone
 */
export function programmeBody (values, initial, timeZone) {
  /** @type {Record<string, unknown>} */
  const body = {}
  const instant = (/** @type {string} */ local) => { const d = zonedInstant(local, timeZone); return Number.isNaN(d.getTime()) ? local : d.toISOString() }
  if (values.start !== initial.start) body.start = instant(values.start)
  if (values.end !== initial.end) body.end = instant(values.end)
  if (values.pinned !== initial.pinned) body.pinned = values.pinned
  if (values.ripple && body.start !== undefined) body.ripple = values.ripple
  return body
}

const ROLES = { part: 'Part', break: 'Break', pad: 'Pad' }

/**
 * @param {{ programme: Drawn, initial: ProgrammeValues, timeZone: string, problems?: Record<string, string[]>, pending: boolean,
 *   onSave: (values: ProgrammeValues) => void, onDelete: () => void, onClose: () => void }} props
 */
export function ProgrammeForm ({ programme, initial, timeZone, problems = {}, pending, onSave, onDelete, onClose }) {
  const [values, setValues] = useState(initial)
  const said = (/** @type {string} */ name) => (problems[name] ?? []).map((text) => html`<span class="field-error">${text}</span>`)
  const time = (/** @type {'start' | 'end'} */ name, /** @type {string} */ label) => html`<label for=${`programme-${name}`}>${label}</label>
    <input id=${`programme-${name}`} type="datetime-local" step="1" required value=${values[name]} aria-invalid=${problems[name] ? 'true' : undefined}
      onInput=${(/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setValues({ ...values, [name]: e.currentTarget.value })} />${said(name)}`
  return html`<form id="programme-form" novalidate aria-labelledby="programme-form-title" onSubmit=${(/** @type {SubmitEvent} */ e) => { e.preventDefault(); onSave(values) }}>
    <h3 id="programme-form-title">${programme.title}</h3>
    <p class="meta">${programme.kind === 'item' ? 'An airing' : programme.kind === 'fixed' ? 'A fixed or live event' : 'Default filler'}${programme.category ? ` · ${programme.category}` : ''} · ${timeZone}</p>
    ${time('start', 'Start (moves it whole, breaks and all)')}
    ${time('end', 'End (trims or extends its tail: pad first)')}
    <label class="check"><input type="checkbox" id="programme-pinned" checked=${values.pinned}
      onChange=${(/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => setValues({ ...values, pinned: e.currentTarget.checked })} /> Pinned: builds keep it whole</label>
    <label for="programme-ripple">When moved, later programmes</label>
    <select id="programme-ripple" value=${values.ripple} onChange=${(/** @type {Event & { currentTarget: HTMLSelectElement }} */ e) => setValues({ ...values, ripple: e.currentTarget.value })}>
      <option value="">stay where they are</option><option value="day">shift with it, to the day's end</option><option value="gap">shift only into the next gap</option>
    </select>${said('ripple')}
    <details><summary>${`${programme.segments.length} segment${programme.segments.length === 1 ? '' : 's'}`}</summary>
      <ol class="segments">${programme.segments.map((s) => html`<li class=${`segment-${s.role}`}>${ROLES[s.role]} ${wallTime(s.start, timeZone).slice(11)}–${wallTime(s.end, timeZone).slice(11)}
        (${spokenLength(Date.parse(s.end) - Date.parse(s.start))})</li>`)}</ol></details>
    <${SideFormToolbar} prefix="programme" pending=${pending} onDelete=${onDelete} onClose=${onClose} />
  </form>`
}
