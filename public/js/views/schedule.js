// @ts-check
import { api, download } from '../api.js'
import { exportFormats } from '../formats.js'
import { withAllColumns } from '../pages.js'
import { Timeline, addDays, startOfDay, viewRange, warningMarks } from '../timeline.js'
import { html, render, useEffect, useState } from '../preact.js'
import { EventEditor, scheduleDay } from './event-editor.js'
import { ErrorBox, Loading, fmtDateTime, fmtDayYear, fmtDuration, isoDay, plural, zone } from '../ui.js'

/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('../../../contract/api.js').ScheduleTimeline} ScheduleTimeline */
/** @typedef {import('../../../contract/api.js').ScheduleDetail} ScheduleDetail */
/** @typedef {import('../../../contract/api.js').TimelineEvents} TimelineEvents */
/** @typedef {import('../timeline.js').Lane} Lane */
/** @typedef {import('../formats.js').ExportFormatDescriptor} ExportFormatDescriptor */
/**
 * One event of the timeline columns.
 * @typedef {{ id: string, title: string, start_ms: number, end_ms: number, category: string | null, video_url: string | null, channel: string | null,
 *   marks: number }} ColumnEvent
 */

/**
 * The events of `fields=timeline` columns as one object each, for the timeline and the details.
 * @param {TimelineEvents} columns
 * @returns {ColumnEvent[]}
 */
function eventsFromColumns (columns) {
  return Array.from({ length: columns.count }, (_, i) => ({
    id: columns.id[i],
    title: columns.title[i],
    start_ms: columns.start_ms[i],
    end_ms: columns.end_ms[i],
    category: columns.category[i],
    video_url: columns.video_url[i],
    channel: columns.channel[i],
    marks: columns.marks[i]
  }))
}

/**
 * The lanes of a multi-channel schedule: its channels as the document names them, then any other channel its events carry.
 * @param {ScheduleDetail} summary
 * @param {ColumnEvent[]} events
 */
function channelLanes (summary, events) {
  /** @type {Lane[]} */
  const lanes = summary.channels.map((c) => ({ id: c.id, name: c.display_name || c.id }))
  const known = new Set(lanes.map((c) => c.id))
  for (const e of events) {
    const id = e.channel ?? null
    if (known.has(id)) continue
    known.add(id)
    lanes.push({ id, name: id ?? 'No channel' })
  }
  return lanes
}

/**
 * Where a warning's event is: its view, the day it starts, and the event itself (its start and title).
 * @param {string} id @param {string} view @param {string} title @param {string} start
 */
function eventHref (id, view, title, start) {
  const at = Date.parse(start)
  return `#/schedules/${id}?${new URLSearchParams({ view, date: isoDay(new Date(at)), at: String(at), title })}`
}

/**
 * The warnings beside the timeline; each names its events as links that select the event
 * (and move the view to its day when it is elsewhere). `select(title, startMs)` answers
 * whether the event was in the view and is now selected.
 * @param {{ warnings: ScheduleDetail['warnings'], id: string, view: string, select: (title: string, startMs: number) => boolean }} props
 */
function WarningList ({ warnings, id, view, select }) {
  /** @param {string} title @param {string} start */
  const link = (title, start) => html`<a href=${eventHref(id, view, title, start)} class="warning-link"
    onClick=${(/** @type {MouseEvent} */ e) => { if (select(title, Date.parse(start))) e.preventDefault() }}>${`${title} (${fmtDateTime(start)})`}</a>`
  const items = [
    ...(warnings?.conflicts ?? []).map((c) => html`<li class="overlap"><strong>Overlap: </strong>${link(c.event1.title, c.event1.start)} and ${link(c.event2.title, c.event2.start)}</li>`),
    ...(warnings?.cooldown ?? []).map((c) => html`<li class="cooldown"><strong>Cooldown: </strong>${link(c.title, c.start)}${`, ${c.hours_since_previous} h after its previous start`}</li>`)
  ]
  // The timeline's answer lists the first of each kind; the totals count them all.
  const total = (warnings?.conflicts_total ?? 0) + (warnings?.cooldown_total ?? 0)
  const more = total - Math.min(items.length, 300)
  return html`<section class="warnings" aria-labelledby="warnings-title">
    <h3 id="warnings-title">${`Warnings (${total})`}</h3>
    ${items.length === 0 ? html`<p class="state empty">No overlaps and no cooldown replays.</p>` : html`<ul id="warning-list">${items.slice(0, 300)}</ul>`}
    ${more > 0 && html`<p>${`…and ${plural(more, 'more warning')}, marked on the timeline.`}</p>`}
  </section>`
}

/** @param {{ event: ColumnEvent, lanes: Lane[] }} props */
function EventDetails ({ event: e, lanes }) {
  const channel = e.channel ? lanes.find((c) => c.id === e.channel)?.name ?? e.channel : ''
  return html`<p><strong>${e.title}</strong>${` · ${fmtDateTime(e.start_ms)} – ${fmtDateTime(e.end_ms)} · ${fmtDuration((e.end_ms - e.start_ms) / 1000)}`}${e.category ? ` · ${e.category}` : ''}${channel ? ` · ${channel}` : ''}${e.video_url ? html`<br />` : ''}${e.video_url ? html`<code>${e.video_url}</code>` : ''}</p>`
}

// On a phone the week's seven columns cannot be read: a schedule opens on one day there.
const PHONE = matchMedia('(max-width: 40rem)')

// The control that moved the view (Previous, Next, Day, Week, the date): the view is drawn
// anew, and the new copy of that control gets the focus back, so a keyboard user stays put.
/** @type {string | null} */
let refocus = null

/**
 * A schedule's export buttons and what the last export did.
 * @param {{ id: string, from: Date }} props
 */
function Exports ({ id, from }) {
  const [status, setStatus] = useState(/** @type {string | { error: ApiError, what: string }} */ (''))
  // The schedule's export formats as the service describes them (GET /api/meta, formats.js).
  const [formats, setFormats] = useState(/** @type {ExportFormatDescriptor[]} */ ([]))
  useEffect(() => {
    exportFormats('schedule').then(setFormats, (error) => setStatus({ error, what: 'Reading the export formats' }))
  }, [])
  /** @param {ExportFormatDescriptor} descriptor */
  async function exportAs ({ id: format, label, span }) {
    setStatus(`Exporting ${label}…`)
    try {
      // A day format's document is the day shown first, in the panel's zone.
      const extra = span === 'day' ? `&date=${isoDay(from)}&timezone=${encodeURIComponent(zone)}` : ''
      setStatus(`Downloaded ${await download(`/api/schedules/${id}/export?format=${format}${extra}`)}`)
    } catch (error) {
      setStatus({ error, what: `Exporting ${label}` })
    }
  }
  return html`<section aria-labelledby="export-title"><h3 id="export-title">Export</h3>
    <div class="toolbar">${formats.map((f) => html`<button type="button" data-format=${f.id} onClick=${() => exportAs(f)}>${f.label}</button>`)}
      <span role="status" class="meta">${typeof status === 'string' ? status : html`<${ErrorBox} error=${status.error} what=${status.what} />`}</span></div>
  </section>`
}

/** @param {{ summary: ScheduleDetail, id: string }} props */
function DeleteSchedule ({ summary, id }) {
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  async function remove () {
    if (!confirm(`Delete the schedule "${summary.name}" and its ${plural(summary.event_count, 'event')}? This cannot be undone.`)) return
    try {
      await api(`/api/schedules/${id}`, { method: 'DELETE' })
      location.hash = '#/schedules'
    } catch (err) {
      setError(err)
    }
  }
  return html`<section aria-labelledby="danger-title"><h3 id="danger-title">Delete</h3>
    <button type="button" class="danger" id="delete-schedule" onClick=${remove}>Delete this schedule</button>
    ${error && html`<${ErrorBox} error=${error} what="Deleting" />`}
  </section>`
}

/**
 * @typedef {object} Loaded
 * @property {ScheduleDetail} summary
 * @property {ColumnEvent[]} events
 * @property {Lane[]} lanes
 * @property {Date} from
 * @property {Date} to
 */

/**
 * Reads what the view shows: with no date asked for, the schedule alone first (no event
 * starts before 1970), to open where its events are; then every page of the range (SPEC §12:
 * at most 5,000 events a page), so a packed week is drawn whole.
 * @param {string} id @param {string} view @param {Date | null} anchor
 * @returns {Promise<Loaded>}
 */
async function loadSchedule (id, view, anchor) {
  if (anchor === null) {
    /** @type {ScheduleDetail['first_start']} */
    const first = (await api(`/api/schedules/${id}?to=1970-01-01T00:00:01Z&limit=1`)).schedule.first_start
    anchor = first ? new Date(first) : new Date()
  }
  const { from, to } = viewRange(view, anchor)
  /** @type {ScheduleTimeline} */
  const { schedule: summary, events: columns } = await withAllColumns(`/api/schedules/${id}?from=${from.toISOString()}&to=${to.toISOString()}&fields=timeline`)
  const events = eventsFromColumns(columns)
  return { summary, events, lanes: channelLanes(summary, events), from, to }
}

/** @param {{ id: string, view: string, anchor: Date | null, at: number | null, title: string }} props */
function SchedulePage ({ id, view, anchor, at, title }) {
  const [data, setData] = useState(/** @type {Loaded | ApiError | null} */ (null))
  const [shown, setShown] = useState(/** @type {ColumnEvent | null} */ (null))
  const [detailsOpen, setDetailsOpen] = useState(false)
  const [reveal, setReveal] = useState(/** @type {{ event: ColumnEvent } | null} */ (null))
  useEffect(() => { loadSchedule(id, view, anchor).then(setData, setData) }, [])

  const loaded = data !== null && !(data instanceof Error) ? data : null
  /** @param {ColumnEvent} e */
  const showDetails = (e) => { setShown(e); setDetailsOpen(true) }
  /** @param {string} eventTitle @param {number} startMs */
  const select = (eventTitle, startMs) => {
    if (view === 'edit' || loaded === null) return false
    const event = loaded.events.find((e) => e.title === eventTitle && e.start_ms === startMs)
    if (event === undefined) return false
    setReveal({ event })
    showDetails(event)
    return true
  }
  useEffect(() => {
    if (loaded === null) return
    if (at !== null) select(title, at)
    else if (refocus) /** @type {HTMLElement | null} */ (document.querySelector(`[data-control="${refocus}"]`))?.focus()
    refocus = null
  }, [loaded])

  if (data === null) return html`<${Loading} what="the schedule" />`
  if (data instanceof Error) return html`<h2>Schedule</h2><${ErrorBox} error=${data} what="Opening the schedule" /><p><a href="#/schedules">Back to the schedules</a></p>`
  const { summary, events, lanes, from, to } = data
  const step = view === 'week' ? 7 : 1
  /** @param {string} nextView @param {Date} date @param {string} control */
  const go = (nextView, date, control) => {
    refocus = control
    location.hash = `#/schedules/${id}?view=${nextView}&date=${isoDay(startOfDay(date))}`
  }
  /** @param {string} name @param {string} text @param {() => void} onClick @param {boolean} [pressed] */
  const control = (name, text, onClick, pressed) => html`<button type="button" data-control=${name} aria-pressed=${pressed === undefined ? undefined : String(pressed)} onClick=${onClick}>${text}</button>`
  /** @param {Event} e */
  const pickDate = (e) => {
    const { value } = /** @type {HTMLInputElement} */ (e.currentTarget)
    if (value) go(view, new Date(`${value}T00:00:00`), 'date')
  }

  return html`<h2>${summary.name}</h2>
    <p class="meta">${`${summary.source} · ${plural(summary.event_count, 'event')} · ${fmtDateTime(summary.first_start)} to ${fmtDateTime(summary.last_end)} · times in ${zone}`}</p>
    <div class="toolbar" role="toolbar" aria-label="Timeline">
      ${control('previous', view === 'week' ? '← Previous week' : '← Previous day', () => go(view, addDays(from, -step), 'previous'))}
      ${control('next', view === 'week' ? 'Next week →' : 'Next day →', () => go(view, addDays(from, step), 'next'))}
      ${control('day', 'Day', () => go('day', from, 'day'), view === 'day')}
      ${control('week', 'Week', () => go('week', from, 'week'), view === 'week')}
      ${control('edit', 'Edit', () => go('edit', from, 'edit'), view === 'edit')}
      <label for="timeline-date" class="meta">Go to</label>
      <input type="date" id="timeline-date" data-control="date" value=${isoDay(from)} onChange=${pickDate} />
      <span class="range" id="timeline-range">${view === 'week' ? `${fmtDayYear(from)} – ${fmtDayYear(addDays(to, -1))}` : fmtDayYear(from)}</span>
    </div>
    ${view === 'edit'
      // edit: one day drawn by the calendar with editing on (views/event-editor.js); day and
      // week stay on timeline.js, laid out for dense weeks (10,000 events) with no calendar library.
      ? html`<div id="event-editor"><${EventEditor} base=${`/api/schedules/${id}`} day=${isoDay(from)} load=${scheduleDay(id, from, to)} /></div>`
      : html`<div class="schedule-layout">
        <div class="timeline-wrap">
          ${events.length === 0 && html`<p class="state empty">${`No events in this ${view}. Use the arrows or the date to move.`}</p>`}
          <${Timeline} events=${events} view=${view} anchor=${from} marks=${warningMarks} onSelect=${showDetails} channels=${lanes} reveal=${reveal} />
        </div>
        <aside class="beside">
          <section class="details" aria-labelledby="details-title" hidden=${!detailsOpen}><h3 id="details-title">Event</h3>
            <button type="button" class="close-details" aria-label="Close the event details" onClick=${() => setDetailsOpen(false)}>×</button>
            <div id="event-details" aria-live="polite">${shown && html`<${EventDetails} event=${shown} lanes=${lanes} />`}</div>
          </section>
          <${WarningList} warnings=${summary.warnings} id=${id} view=${view} select=${select} />
        </aside>
      </div>`}
    <${Exports} id=${id} from=${from} />
    <${DeleteSchedule} summary=${summary} id=${id} />`
}

/**
 * One schedule: day/week timeline, event details and warnings beside it, exports, delete.
 * @param {Element} main
 * @param {string[]} ids
 * @param {URLSearchParams} query
 */
export function scheduleView (main, [id], query) {
  const asked = query.get('view')
  const view = asked === 'day' || asked === 'week' || asked === 'edit' ? asked : PHONE.matches ? 'day' : 'week'
  /** @type {Date | null} */
  let anchor = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') ?? '') ? new Date(`${query.get('date')}T00:00:00`) : null
  if (anchor !== null && Number.isNaN(anchor.getTime())) anchor = null
  const at = query.has('at') ? Number(query.get('at')) : null
  render(html`<${SchedulePage} id=${id} view=${view} anchor=${anchor} at=${at} title=${query.get('title') ?? ''} />`, main)
  return () => render(null, main)
}
