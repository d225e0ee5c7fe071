// @ts-check
// The side form of one event in the edit view: its fields as the user types them. The values
// live here, not in the timeline, so a refused save (a 412 from another editor, a 400) and a
// reload of the timeline leave what was typed in place.
import { html, useState } from '../preact.js'
import { wallTime, zonedInstant } from '../calendar.js'
import { SideFormToolbar } from './side-form-toolbar.js'

/** @typedef {{ title: string, start: string, end: string, video_url: string, category: string, description: string }} EventValues */

/**
 * An instant as the value of an input type=datetime-local, a wall time of the editor's zone ("2025-11-24T08:30").
 * @param {string} iso @param {string} timeZone
 */
export const localInput = (iso, timeZone) => wallTime(iso, timeZone).slice(0, 16)

/**
 * The form's values for an event, its times in the editor's zone.
 * @param {{ title: string, start: string, end: string, video_url: string | null, category: string | null, description: string | null }} event
 * @param {string} timeZone
 * @returns {EventValues}
 */
export const formValues = (event, timeZone) => ({
  title: event.title,
  start: localInput(event.start, timeZone),
  end: localInput(event.end, timeZone),
  video_url: event.video_url ?? '',
  category: event.category ?? '',
  description: event.description ?? ''
})

/** The PATCH body of the form's values: wall times of `timeZone` as instants, an empty field as null. @param {EventValues} values @param {string} timeZone */
export function patchBody (values, timeZone) {
  const instant = (/** @type {string} */ local) => { const d = zonedInstant(local, timeZone); return Number.isNaN(d.getTime()) ? local : d.toISOString() }
  const orNull = (/** @type {string} */ text) => (text.trim() === '' ? null : text.trim())
  return {
    title: values.title,
    start: instant(values.start),
    end: instant(values.end),
    video_url: orNull(values.video_url),
    category: orNull(values.category),
    description: orNull(values.description)
  }
}

// The video is text, not type=url: the API takes local and relative paths (/srv/media/a.mp4,
// media/a.mp4, C:\\clips\\a.mp4) and http, https, rtmp, rtsp, udp, srt and file URLs
// (workers/media-url.ts), which a browser's URL check would block unsaid. The form checks
// nothing itself (novalidate): the API has the last word, and each refusal shows under its field.
/** @type {[keyof EventValues, string, string][]} */
const FIELDS = [['title', 'Title', 'text'], ['start', 'Start', 'datetime-local'], ['end', 'End', 'datetime-local'], ['video_url', 'Video', 'text'], ['category', 'Category', 'text']]
const URL_INPUT = { inputmode: 'url', spellcheck: false, autocomplete: 'off', placeholder: '/srv/media/show.mp4 or https://…' }

/**
 * @param {{ initial: EventValues, problems?: Record<string, string[]>, pending: boolean, onSave: (values: EventValues) => void, onDelete: () => void,
 *   onClose: () => void }} props
 */
export function EventForm ({ initial, problems = {}, pending, onSave, onDelete, onClose }) {
  const [values, setValues] = useState(initial)
  /** @param {keyof EventValues} name */
  const set = (name) => (/** @type {Event & { target: HTMLInputElement }} */ e) => setValues({ ...values, [name]: e.target.value })
  const said = (/** @type {string} */ name) => (problems[name] ?? []).map((text) => html`<span class="field-error">${text}</span>`)
  return html`<form id="event-form" novalidate aria-labelledby="event-form-title" onSubmit=${(/** @type {SubmitEvent} */ e) => { e.preventDefault(); onSave(values) }}>
    <h3 id="event-form-title">Event</h3>
    ${FIELDS.map(([name, label, type]) => html`<label for=${`event-${name}`}>${label}</label>
      <input id=${`event-${name}`} name=${name} type=${type} step=${type === 'datetime-local' ? 60 : undefined} required=${name === 'title' || name === 'start' || name === 'end'}
        value=${values[name]} onInput=${set(name)} aria-invalid=${problems[name] ? 'true' : undefined} ...${name === 'video_url' ? URL_INPUT : {}} />${said(name)}`)}
    <label for="event-description">Description</label>
    <textarea id="event-description" name="description" rows="3" value=${values.description} onInput=${set('description')}></textarea>${said('description')}
    <${SideFormToolbar} prefix="event" pending=${pending} onDelete=${onDelete} onClose=${onClose} />
  </form>`
}
