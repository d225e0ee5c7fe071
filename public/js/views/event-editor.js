// @ts-check
// Editing a timeline's events by hand (SPEC §12, issue 14): one day drawn by EventCalendar with
// editing on (drag to move, drag the bottom edge to resize, snapping to 5 minutes or 1 when
// zoomed in), arrow keys for the same moves, a side form, undo and redo, the history with
// revert. The same component edits a schedule or a channel: `base` is /api/schedules/:id or
// /api/channels/:id, and `load` reads the day's events ({ revision, events }).
// Every edit is sent with the revision the view shows (If-Match). After each one the view
// applies what the write changed (the history entry it made: one small read) and reads again
// only the stretch whose conflict and cooldown marks it may have changed — the spans of the
// events it moved or retitled and of that day's other airings of the same videos — not the
// whole day; an edit of a description or category reads nothing more (issue 21 item 2).
import { api, edit, staleBy } from '../api.js'
import { html, useEffect, useMemo, useRef, useState } from '../preact.js'
import { Calendar } from '../calendar.js'
import { fmtDateTime, plural } from '../ui.js'
import { warningMarks } from '../timeline.js'
import { ApiProblem } from './channel/data.js'
import { EventForm, formValues, patchBody } from './event-form.js'
import { EditHistory } from './edit-history.js'

/** @typedef {import('../../../contract/api.js').EditWarnings} EditWarnings */
/** @typedef {import('../../../contract/api.js').EventChanges} EventChanges */
/** @typedef {import('../../../contract/api.js').EditedEvent} EditedEvent */
/** @typedef {import('../../../contract/api.js').EventEditAnswer} EventEditAnswer */
/** @typedef {import('../../../contract/api.js').UndoAnswer} UndoAnswer */
/** @typedef {import('../../../contract/api.js').History} History */
/** @typedef {import('../../../contract/api.js').HistoryEntry} HistoryEntry */
/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('./event-form.js').EventValues} EventValues */
/**
 * An event as the editor draws it: a schedule's or a channel's, its warning marks by name.
 * @typedef {{ id: string, title: string, start: string, end: string, video_url: string | null, category: string | null, description: string | null,
 *   marks: string[] }} EditorEvent
 */
/**
 * What the editor reads: the day, or a stretch of it read again after an edit.
 * @typedef {(stretch?: { from: Date, to: Date }) => Promise<{ revision: number, events: EditorEvent[] }>} DayLoader
 */

const MINUTE = 60_000
// Zoomed out: half-hour rows, 5-minute snaps; zoomed in: 5-minute rows, 1-minute snaps.
/** @type {Record<'in' | 'out', { slotDuration: string, snapDuration: string, step: number }>} */
const ZOOMS = { out: { slotDuration: '00:30', snapDuration: '00:05', step: 5 }, in: { slotDuration: '00:05', snapDuration: '00:01', step: 1 } }
/** @type {Record<string, string>} */
const MARK_CLASSES = { overlap: 'mark-overlap', cooldown: 'mark-cooldown' }

/** What an edit's answer says it causes, in words. @param {EditWarnings | undefined} warnings */
function warningsText (warnings) {
  const conflicts = warnings?.conflicts_total ?? 0
  const cooldown = warnings?.cooldown_total ?? 0
  return conflicts + cooldown === 0 ? 'no overlap, no cooldown replay' : `${plural(conflicts, 'overlap')}, ${plural(cooldown, 'cooldown replay')}`
}

/** A refusal's problems by the form's field (the worker names them `ops.0.start`). @param {ApiError} err */
function problemsByField (err) {
  /** @type {Record<string, string[]>} */
  const byField = {}
  for (const p of err.errors ?? []) {
    const field = String(p.field ?? '').split('.').pop()
    if (field) (byField[field] ??= []).push(p.message)
  }
  return byField
}

/** What a change does not alter: an edit of only these leaves every mark as it was. */
/** @type {('title' | 'start' | 'end' | 'video_url')[]} */
const MARK_FIELDS = ['title', 'start', 'end', 'video_url']
/** The same video, as the checks count it: the same URL, else the same title (workers/schedule/checks/cooldown.ts, roughly). */
const videoOf = (/** @type {{ video_url: string | null, title: string }} */ e) => (e.video_url ? `url:${e.video_url}` : `title:${e.title.trim().toLowerCase().replace(/\s+/g, ' ')}`)

/**
 * The events of the day after a history entry's changes, and the stretch [from, to) of the
 * day whose marks they may change (null: none).
 * @param {EditorEvent[]} events
 * @param {EventChanges} changes
 * @param {number} dayFrom
 * @param {number} dayTo
 */
function applyChanges (events, changes, dayFrom, dayTo) {
  /** @type {Map<string, EditorEvent>} */
  const byId = new Map(events.map((e) => [e.id, e]))
  /** @type {[number, number][]} */
  const spans = []
  /** @type {Set<string>} */
  const videos = new Set()
  const touch = (/** @type {EditedEvent} */ e) => { spans.push([Date.parse(e.start), Date.parse(e.end)]); videos.add(videoOf(e)) }
  for (const e of changes.removed) { byId.delete(e.id); touch(e) }
  for (const e of changes.added) { byId.set(e.id, { ...e, marks: [] }); touch(e) }
  for (const { before, after } of changes.changed) {
    byId.set(after.id, { ...byId.get(after.id), ...after, marks: byId.get(after.id)?.marks ?? [] })
    if (MARK_FIELDS.some((f) => before[f] !== after[f])) { touch(before); touch(after) }
  }
  const inDay = [...byId.values()].filter((e) => Date.parse(e.end) > dayFrom && Date.parse(e.start) < dayTo)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || Date.parse(a.end) - Date.parse(b.end))
  if (spans.length === 0) return { events: inDay, stretch: null }
  // The day's other airings of the same videos: a replay's mark is on the later one.
  for (const e of inDay) if (videos.has(videoOf(e))) spans.push([Date.parse(e.start), Date.parse(e.end)])
  const from = Math.max(dayFrom, Math.min(...spans.map(([a]) => a)))
  const to = Math.min(dayTo, Math.max(...spans.map(([, b]) => b)))
  return { events: inDay, stretch: from < to ? { from: new Date(from), to: new Date(to) } : null }
}

const typing = (/** @type {EventTarget | null} */ target) => target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

/** @param {{ base: string, day: string, load: DayLoader }} props */
export function EventEditor ({ base, day, load }) {
  const [events, setEvents] = useState(/** @type {EditorEvent[] | null} */ (null))
  const [revision, setRevision] = useState(/** @type {number | null} */ (null))
  const revisionRef = useRef(/** @type {number | null} */ (null))
  const [history, setHistory] = useState(/** @type {HistoryEntry[] | null} */ (null))
  const [zoom, setZoom] = useState(/** @type {'in' | 'out'} */ ('out'))
  const [editing, setEditing] = useState(/** @type {{ id: string, initial: EventValues, key: string } | null} */ (null))
  const [problems, setProblems] = useState(/** @type {Record<string, string[]>} */ ({}))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [stale, setStale] = useState(/** @type {{ text: string } | null} */ (null)) // after a 412
  const [status, setStatus] = useState('')
  const [pending, setPending] = useState(false)
  const focusAfter = useRef(/** @type {string | null} */ (null)) // the event to focus once the day is drawn again (keyboard edits)
  const eventsRef = useRef(/** @type {EditorEvent[]} */ ([]))
  const host = useRef(/** @type {HTMLDivElement | null} */ (null))

  const showRevision = (/** @type {number} */ value) => { revisionRef.current = value; setRevision(value) }
  async function reload () {
    /** @type {[Awaited<ReturnType<DayLoader>>, History | null]} */
    const [day, past] = await Promise.all([load(), api(`${base}/history`).catch(() => null)])
    eventsRef.current = day.events
    setEvents(day.events)
    showRevision(day.revision)
    if (past !== null) setHistory(past.history)
  }
  useEffect(() => { reload().catch(setError) }, [base, day])

  /**
   * After a write: what it changed, from the one history entry it made; then the marks of the
   * stretch it may have changed, read again. The day is read whole only when another write came
   * between (the newest entry is not this one).
   * @param {{ revision: number }} answer
   * @param {number | null} revisionBefore
   */
  async function follow (answer, revisionBefore) {
    if (answer.revision === revisionBefore) return
    /** @type {History} */
    const past = await api(`${base}/history?limit=1`)
    const entry = past.history[0]
    if (entry?.revision !== answer.revision) return reload()
    setHistory((shown) => [entry, ...(shown ?? []).filter((e) => e.revision !== entry.revision)])
    const dayFrom = new Date(`${day}T00:00:00`)
    const dayTo = new Date(dayFrom.getFullYear(), dayFrom.getMonth(), dayFrom.getDate() + 1)
    const { events, stretch } = applyChanges(eventsRef.current, entry.changes, dayFrom.getTime(), dayTo.getTime())
    let shown = events
    if (stretch !== null) {
      const fresh = new Map((await load(stretch)).events.map((e) => [e.id, e]))
      shown = events.map((e) => fresh.get(e.id) ?? e)
    }
    eventsRef.current = shown
    setEvents(shown)
  }

  /**
   * Runs one edit with the view's revision; on success what it changed is shown. Answers the edit's answer, or null when it did not land.
   * @template {EventEditAnswer | UndoAnswer} A
   * @param {string} what
   * @param {(revision: number | null) => Promise<A>} send
   * @returns {Promise<A | null>}
   */
  async function run (what, send) {
    setPending(true)
    setError(null)
    setProblems({})
    try {
      const revisionBefore = revisionRef.current
      const answer = await send(revisionBefore)
      showRevision(answer.revision)
      setStale(null)
      await follow(answer, revisionBefore)
      // Said once the events are drawn again, with the marks as they now stand.
      setStatus(`${what}: revision ${answer.revision}, ${warningsText(answer.warnings)}.`)
      return answer
    } catch (err) {
      if (err.status === 412) {
        const who = staleBy(err)
        setStale({ text: who === null ? `${err.message}.` : `Changed by ${who.name} at ${fmtDateTime(who.at)} — reload to edit again.` })
      } else {
        setProblems(problemsByField(err))
        setError(err)
      }
      return null
    } finally {
      setPending(false)
    }
  }

  /** @param {string} id @param {Record<string, string | null>} body */
  const patch = (id, body) => run('Saved', (rev) => /** @type {Promise<EventEditAnswer>} */ (edit(`${base}/events/${encodeURIComponent(id)}`, rev, { method: 'PATCH', body })))
  const remove = (/** @type {string} */ id) => run('Deleted', (rev) => /** @type {Promise<EventEditAnswer>} */ (edit(`${base}/events/${encodeURIComponent(id)}`, rev, { method: 'DELETE' })))
  const undo = (redo = false) => run(redo ? 'Redone' : 'Undone', (rev) => /** @type {Promise<UndoAnswer>} */ (edit(`${base}/undo${redo ? '?redo=true' : ''}`, rev)))
  const revert = (/** @type {number | 'last_build'} */ to) => run(typeof to === 'number' ? `Back to r${to}` : 'Reverted to the last build', (rev) => /** @type {Promise<UndoAnswer>} */ (edit(`${base}/revert`, rev, { body: typeof to === 'number' ? { revision: to } : { to } })))

  const open = (/** @type {string} */ id) => {
    const event = eventsRef.current.find((e) => e.id === id)
    if (event === undefined) return
    setProblems({})
    setEditing({ id, initial: formValues(event), key: `${id}:${Date.now()}` })
  }
  async function saveForm (/** @type {EventValues} */ values) {
    if (editing === null) return
    const answer = await patch(editing.id, patchBody(values))
    if (answer?.event) setEditing({ id: answer.event.id, initial: formValues(answer.event), key: `${answer.event.id}:${answer.revision}` })
  }
  async function deleteEvent (/** @type {string} */ id) {
    if (await remove(id)) setEditing((open) => (open?.id === id ? null : open))
  }

  /** Arrow keys on a focused event: Up/Down move it one snap earlier/later, with Shift its end. */
  function onKeyDown (/** @type {KeyboardEvent} */ e) {
    const el = e.target instanceof Element ? e.target.closest('[data-event-id]') : null
    if (!(el instanceof HTMLElement) || pending) return
    const event = eventsRef.current.find((ev) => ev.id === el.dataset.eventId)
    if (event === undefined) return
    if (e.key === 'Delete') { e.preventDefault(); focusAfter.current = null; deleteEvent(event.id); return }
    const sign = /** @type {Record<string, number>} */ ({ ArrowUp: -1, ArrowDown: 1 })[e.key]
    if (sign === undefined) return
    e.preventDefault()
    const by = sign * ZOOMS[zoom].step * MINUTE
    focusAfter.current = event.id
    if (e.shiftKey) patch(event.id, { end: new Date(Date.parse(event.end) + by).toISOString() })
    else patch(event.id, { start: new Date(Date.parse(event.start) + by).toISOString() })
  }

  // Ctrl+Z / Ctrl+Shift+Z (Cmd on a Mac) anywhere in the view but a field being typed in.
  useEffect(() => {
    const onKey = (/** @type {KeyboardEvent} */ e) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z' || typing(e.target)) return
      e.preventDefault()
      undo(e.shiftKey)
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [base])

  // A keyboard edit redraws the event: the focus goes back to it.
  useEffect(() => {
    const id = focusAfter.current
    if (id === null) return
    requestAnimationFrame(() => /** @type {HTMLElement | null | undefined} */ (host.current?.querySelector(`[data-event-id="${CSS.escape(id)}"]`))?.focus())
  }, [events])

  const firstHour = useMemo(() => {
    const first = events?.[0]
    return first === undefined ? '06:00:00' : `${String(Math.max(0, new Date(first.start).getHours() - 1)).padStart(2, '0')}:00:00`
  }, [events === null])

  const options = useMemo(() => ({
    view: 'timeGridDay',
    date: day,
    editable: true,
    headerToolbar: { start: '', center: '', end: '' },
    allDaySlot: false,
    height: '36rem',
    scrollTime: firstHour,
    slotDuration: ZOOMS[zoom].slotDuration,
    snapDuration: ZOOMS[zoom].snapDuration,
    events: (events ?? []).map((e) => ({
      id: e.id,
      start: e.start,
      end: e.end,
      title: e.title,
      classNames: ['edit-event', ...e.marks.map((m) => MARK_CLASSES[m]), editing?.id === e.id ? 'editing' : ''].filter(Boolean)
    })),
    eventDidMount: (/** @type {EventCalendarEventInfo} */ info) => {
      info.el.dataset.eventId = info.event.id
      if (focusAfter.current === info.event.id) info.el.focus()
      const event = eventsRef.current.find((e) => e.id === info.event.id)
      info.el.setAttribute('aria-label', `${info.event.title}, ${fmtDateTime(info.event.start)} to ${fmtDateTime(info.event.end)}${event?.marks.length ? `, ${event.marks.join(' and ')}` : ''}. Enter opens it; arrow keys move it.`)
    },
    // A click, Enter or Space on an event (the calendar gives it role=button) opens the side form.
    eventClick: (/** @type {EventCalendarEventInfo} */ info) => open(info.event.id),
    eventDrop: async (/** @type {EventCalendarEventInfo} */ info) => {
      const saved = await patch(info.event.id, { start: info.event.start.toISOString() })
      if (saved === null) info.revert()
    },
    eventResize: async (/** @type {EventCalendarEventInfo} */ info) => {
      const saved = await patch(info.event.id, { end: info.event.end.toISOString() })
      if (saved === null) info.revert()
    }
  }), [events, zoom, editing?.id, day])

  if (events === null) return error ? html`<${ApiProblem} error=${error} what="Reading the events" />` : html`<p class="state loading" role="status">Loading the events…</p>`
  return html`<div class="schedule-layout editor">
    <div class="timeline-wrap" ref=${host} onKeyDown=${onKeyDown}>
      <div class="toolbar" role="toolbar" aria-label="Editing">
        <button type="button" id="undo" disabled=${pending} onClick=${() => undo(false)} title="Ctrl+Z">Undo</button>
        <button type="button" id="redo" disabled=${pending} onClick=${() => undo(true)} title="Ctrl+Shift+Z">Redo</button>
        <button type="button" id="zoom" aria-pressed=${String(zoom === 'in')} onClick=${() => setZoom(zoom === 'in' ? 'out' : 'in')}>${zoom === 'in' ? 'Zoom out (5-minute steps)' : 'Zoom in (1-minute steps)'}</button>
        <span class="meta" id="edit-revision">revision ${revision}</span>
      </div>
      <p class="meta">Drag an event to move it, its bottom edge to change its end. With an event focused: arrow keys move it by ${plural(ZOOMS[zoom].step, 'minute')}, Shift+arrows change its end, Enter opens it, Delete removes it.</p>
      <p role="status" id="edit-status" class="meta">${status}</p>
      ${stale && html`<div class="state error" role="alert" id="edit-stale"><p><strong>${stale.text}</strong></p>
        <button type="button" id="edit-reload" onClick=${() => { setStale(null); reload().catch(setError) }}>Reload</button></div>`}
      ${error && html`<${ApiProblem} error=${error} what="The edit" />`}
      ${events.length === 0 && html`<p class="state empty">No events on ${day}.</p>`}
      <${Calendar} id="edit-calendar" label="Events of the day, editable" options=${options} />
    </div>
    <aside class="beside">
      ${editing && html`<section><${EventForm} key=${editing.key} initial=${editing.initial} problems=${problems} pending=${pending}
        onSave=${saveForm} onDelete=${() => deleteEvent(editing.id)} onClose=${() => setEditing(null)} /></section>`}
      <${EditHistory} history=${history} revision=${revision} pending=${pending} onRevert=${revert} />
    </aside>
  </div>`
}

/**
 * A schedule's day for the editor: the timeline columns (with their warning marks) and, for the form, the descriptions.
 * @param {string} id @param {Date} from @param {Date} to
 * @returns {DayLoader}
 */
export function scheduleDay (id, from, to) {
  // `stretch`: a part of the day, read again after an edit (the events on air in it).
  return async (stretch) => {
    const range = `from=${(stretch?.from ?? from).toISOString()}&to=${(stretch?.to ?? to).toISOString()}`
    /** @type {[import('../../../contract/api.js').ScheduleTimeline, import('../../../contract/api.js').ScheduleWithEvents]} */
    const [timeline, full] = await Promise.all([api(`/api/schedules/${id}?${range}&fields=timeline`), api(`/api/schedules/${id}?${range}`)])
    const c = timeline.events
    const described = new Map(full.events.map((e) => [e.id, e.description]))
    return {
      revision: timeline.schedule.revision,
      events: Array.from({ length: c.count }, (_, i) => ({
        id: c.id[i],
        title: c.title[i],
        start: new Date(c.start_ms[i]).toISOString(),
        end: new Date(c.end_ms[i]).toISOString(),
        category: c.category[i],
        video_url: c.video_url[i],
        description: described.get(c.id[i]) ?? null,
        marks: warningMarks({ marks: c.marks[i] })
      }))
    }
  }
}
