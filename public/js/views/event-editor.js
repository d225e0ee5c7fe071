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
// A channel's day is edited as programmes (`programmes` set, SPEC §14, issue 23): one box per
// programme with its breaks and pad drawn inside it, filler runs as one strip, colours by
// category; a drag, a resize or an arrow key moves the programme whole through
// PATCH …/programmes/:pid, and after an edit the stretch it touched is read again.
import { api, edit, staleBy } from '../api.js'
import { html, useEffect, useMemo, useRef, useState } from '../preact.js'
import { Calendar, dayBounds, shiftedWall, useEventFocus, useKeyMoves, wallTime } from '../calendar.js'
import { fmtDateTime, plural, zone } from '../ui.js'
import { warningMarks } from '../timeline.js'
import { ApiProblem } from './channel/data.js'
import { EventForm, formValues, patchBody } from './event-form.js'
import { EditHistory } from './edit-history.js'
import { Legend, boxContent, colourClass, collapseFiller, describe } from '../programmes.js'
import { ProgrammeForm, programmeBody, programmeValues } from './programme-form.js'

/** @typedef {import('../../../contract/api.js').EditWarnings} EditWarnings */
/** @typedef {import('../../../contract/api.js').EventChanges} EventChanges */
/** @typedef {import('../../../contract/api.js').EditedEvent} EditedEvent */
/** @typedef {import('../../../contract/api.js').EventEditAnswer} EventEditAnswer */
/** @typedef {import('../../../contract/api.js').UndoAnswer} UndoAnswer */
/** @typedef {import('../../../contract/api.js').History} History */
/** @typedef {import('../../../contract/api.js').HistoryEntry} HistoryEntry */
/** @typedef {import('../api.js').ApiError} ApiError */
/** @typedef {import('./event-form.js').EventValues} EventValues */
/** @typedef {import('./programme-form.js').ProgrammeValues} ProgrammeValues */
/** @typedef {import('../programmes.js').Drawn} Drawn */
/** @typedef {import('../../../contract/programmes.js').Programme} Programme */
/** What PATCH …/programmes/:pid answers (SPEC §14): as an event edit, with the programme. */
/** @typedef {EventEditAnswer & { programme?: Programme, item_cut?: import('../../../contract/programmes.js').ItemCut }} ProgrammeEditAnswer */
/**
 * What the editor draws and edits: a schedule's event, or a channel's programme (`kind`,
 * `pinned`, `segments` set); its warning marks by name.
 * @typedef {{ id: string, title: string, start: string, end: string, video_url: string | null, category: string | null, description: string | null,
 *   marks: string[], kind?: Drawn['kind'], pinned?: boolean, segments?: Drawn['segments'], clips?: number }} EditorEvent
 */
/**
 * What the editor reads: the day, or a stretch of it read again after an edit.
 * @typedef {(stretch?: { from: Date, to: Date }) => Promise<{ revision: number, events: EditorEvent[] }>} DayLoader
 */

const MINUTE = 60_000
/** An arrow key's direction on the day: up is earlier. @type {Record<string, number>} */
const KEY_SIGNS = { ArrowUp: -1, ArrowDown: 1 }
// Zoomed out: half-hour rows, 5-minute snaps; zoomed in: 5-minute rows, 1-minute snaps. Rows
// (px) twice the calendar's default zoomed out: a 10-minute item has the height of a line, so
// its title shows (issue 23: items under ~30 minutes showed none).
/** @type {Record<'in' | 'out', { slotDuration: string, snapDuration: string, slotHeight: number, step: number }>} */
const ZOOMS = {
  out: { slotDuration: '00:30', snapDuration: '00:05', slotHeight: 48, step: 5 },
  in: { slotDuration: '00:05', snapDuration: '00:01', slotHeight: 24, step: 1 }
}
/** @type {Record<string, string>} */
const MARK_CLASSES = { overlap: 'mark-overlap', cooldown: 'mark-cooldown' }

/** What an edit's answer says it causes, in words. @param {EditWarnings | undefined} warnings */
function warningsText (warnings) {
  const conflicts = warnings?.conflicts_total ?? 0
  const cooldown = warnings?.cooldown_total ?? 0
  if (conflicts + cooldown === 0) return 'no overlap, no cooldown replay'
  // A replay names both airings (SPEC §15): the first one listed, in words.
  const first = warnings?.cooldown?.[0]
  const named = first === undefined ? '' : ` ("${first.title}" at ${fmtDateTime(first.start)} replays ${first.previous_title === undefined ? 'its airing' : `"${first.previous_title}"`} of ${fmtDateTime(first.previous_start)})`
  return `${plural(conflicts, 'overlap')}, ${plural(cooldown, 'cooldown replay')}${named}`
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

/**
 * The stretch [from, to) of the day a history entry's changes touched (null: none).
 * @param {EventChanges} changes @param {number} dayFrom @param {number} dayTo
 */
function touchedStretch (changes, dayFrom, dayTo) {
  const spans = [...changes.removed, ...changes.added, ...changes.changed.flatMap((c) => [c.before, c.after])]
    .map((e) => [Date.parse(e.start), Date.parse(e.end)])
  if (spans.length === 0) return null
  const from = Math.max(dayFrom, Math.min(...spans.map(([a]) => a)))
  const to = Math.min(dayTo, Math.max(...spans.map(([, b]) => b)))
  return from < to ? { from: new Date(from), to: new Date(to) } : null
}

/**
 * The day's programmes with those of `stretch` read again: what lay in it is replaced by what
 * the read found there (a programme reaching out of it comes whole).
 * @param {EditorEvent[]} shown @param {EditorEvent[]} fresh @param {{ from: Date, to: Date }} stretch
 */
function mergeStretch (shown, fresh, stretch) {
  const ids = new Set(fresh.map((p) => p.id))
  const outside = shown.filter((p) => !ids.has(p.id) && (Date.parse(p.end) <= stretch.from.getTime() || Date.parse(p.start) >= stretch.to.getTime()))
  return [...outside, ...fresh].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || Date.parse(a.end) - Date.parse(b.end))
}

/** A strip of filler runs (programmes.js collapseFiller) is drawn, not edited. @param {string} id */
const isStrip = (id) => id.startsWith('filler-run:')

const typing = (/** @type {EventTarget | null} */ target) => target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

/**
 * `timeZone`: the zone whose wall times the day and the side form are in (a channel's own; the
 * browser's for a schedule, which has none). `programmes`: the day is a channel's programmes
 * (`load` answers them), `fillerLabel` the title of a filler strip.
 * @param {{ base: string, day: string, load: DayLoader, timeZone?: string, programmes?: { fillerLabel: string } | null }} props
 */
export function EventEditor ({ base, day, load, timeZone = zone, programmes = null }) {
  const unitPath = programmes ? 'programmes' : 'events'
  const [events, setEvents] = useState(/** @type {EditorEvent[] | null} */ (null))
  const [revision, setRevision] = useState(/** @type {number | null} */ (null))
  const revisionRef = useRef(/** @type {number | null} */ (null))
  const [history, setHistory] = useState(/** @type {HistoryEntry[] | null} */ (null))
  const [zoom, setZoom] = useState(/** @type {'in' | 'out'} */ ('out'))
  /** @typedef {{ id: string, initial: EventValues, key: string, programme?: undefined }} EventEditing */
  /** @typedef {{ id: string, initial: ProgrammeValues, key: string, programme: EditorEvent }} ProgrammeEditing */
  const [editing, setEditing] = useState(/** @type {EventEditing | ProgrammeEditing | null} */ (null))
  const [problems, setProblems] = useState(/** @type {Record<string, string[]>} */ ({}))
  // What failed and what was being done: an edit refused, or a read of the day (the first, a
  // Reload, or the one after an edit that landed).
  const [failure, setFailure] = useState(/** @type {{ error: ApiError, what: string, read: boolean } | null} */ (null))
  const noun = programmes ? 'programme' : 'event'
  const failed = (/** @type {string} */ what, read = false) => (/** @type {ApiError} */ error) => setFailure({ error, what, read })
  const [stale, setStale] = useState(/** @type {{ text: string } | null} */ (null)) // after a 412
  const [status, setStatus] = useState('')
  const [pending, setPending] = useState(false)
  // Read by the key handler: a key pressed just after an edit ends comes before the render that
  // clears `pending`, and was dropped on that stale value.
  const pendingRef = useRef(false)
  const showPending = (/** @type {boolean} */ value) => { pendingRef.current = value; setPending(value) }
  const eventsRef = useRef(/** @type {EditorEvent[]} */ ([]))
  const focus = useEventFocus(events, onKeyDown) // the event a key press or a save moved keeps the focus when drawn again
  const keyMoves = useKeyMoves()

  const showRevision = (/** @type {number} */ value) => { revisionRef.current = value; setRevision(value) }
  async function reload () {
    /** @type {[Awaited<ReturnType<DayLoader>>, History | null]} */
    const [day, past] = await Promise.all([load(), api(`${base}/history`).catch(() => null)])
    // A read an edit overtook (sent before the edit landed, answered after it) would draw the day
    // as it was and take the view's revision back, so the next edit met a 412 (a held key's moves
    // were lost so, after "Read the day again"). The edit's own follow-up has drawn it since.
    if (revisionRef.current !== null && day.revision < revisionRef.current) return
    eventsRef.current = day.events
    setEvents(day.events)
    showRevision(day.revision)
    if (past !== null) setHistory(past.history)
  }
  const readAgain = () => { setFailure(null); reload().catch(failed(`Reading the ${noun}s`, true)) }
  useEffect(() => { revisionRef.current = null }, [base]) // another timeline: its revisions are not comparable
  useEffect(readAgain, [base, day])

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
    const bounds = dayBounds(day, timeZone)
    if (programmes) {
      const touched = touchedStretch(entry.changes, bounds.from.getTime(), bounds.to.getTime())
      if (touched === null) return
      const shown = mergeStretch(eventsRef.current, (await load(touched)).events, touched)
      eventsRef.current = shown
      setEvents(shown)
      return
    }
    const { events, stretch } = applyChanges(eventsRef.current, entry.changes, bounds.from.getTime(), bounds.to.getTime())
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
    showPending(true)
    setFailure(null)
    setProblems({})
    try {
      const revisionBefore = revisionRef.current
      const answer = await send(revisionBefore)
      showRevision(answer.revision)
      setStale(null)
      // The edit landed whatever the read after it meets: that read's failure is said on its own.
      await follow(answer, revisionBefore).catch(failed(`Reading the ${noun}s again after revision ${answer.revision}`, true))
      // Said once the events are drawn again, with the marks as they now stand.
      const itemCut = /** @type {ProgrammeEditAnswer} */ (answer).item_cut // a resize that cut into the item itself
      const cut = itemCut ? ` ${itemCut.message}` : ''
      setStatus(`${what}: revision ${answer.revision}, ${warningsText(answer.warnings)}.${cut}`)
      return answer
    } catch (err) {
      if (err.status === 412) {
        const who = staleBy(err)
        setStale({ text: who === null ? `${err.message}.` : `Changed by ${who.name} at ${fmtDateTime(who.at)} — reload to edit again.` })
      } else {
        setProblems(problemsByField(err))
        failed('The edit')(err)
      }
      return null
    } finally {
      showPending(false)
    }
  }

  // An event's or a programme's own path: a programme moves whole, breaks and pad with it.
  /** @param {string} id @param {Record<string, unknown>} body */
  const patch = (id, body) => run('Saved', (rev) => /** @type {Promise<ProgrammeEditAnswer>} */ (edit(`${base}/${unitPath}/${encodeURIComponent(id)}`, rev, { method: 'PATCH', body })))
  const remove = (/** @type {string} */ id) => run('Deleted', (rev) => /** @type {Promise<EventEditAnswer>} */ (edit(`${base}/${unitPath}/${encodeURIComponent(id)}`, rev, { method: 'DELETE' })))
  const undo = (redo = false) => run(redo ? 'Redone' : 'Undone', (rev) => /** @type {Promise<UndoAnswer>} */ (edit(`${base}/undo${redo ? '?redo=true' : ''}`, rev)))
  const revert = (/** @type {number | typeof import('../../contract/limits.js').LAST_BUILD} */ to) => run(typeof to === 'number' ? `Back to r${to}` : 'Reverted to the last build', (rev) => /** @type {Promise<UndoAnswer>} */ (edit(`${base}/revert`, rev, { body: typeof to === 'number' ? { revision: to } : { to } })))

  const open = (/** @type {string} */ id) => {
    const event = eventsRef.current.find((e) => e.id === id)
    if (event === undefined) return
    setProblems({})
    if (programmes) setEditing({ id, initial: programmeValues(asDrawn(event), timeZone), key: `${id}:${Date.now()}`, programme: event })
    else setEditing({ id, initial: formValues(event, timeZone), key: `${id}:${Date.now()}` })
  }
  async function saveForm (/** @type {EventValues} */ values) {
    if (editing === null || editing.programme) return
    focus.after(editing.id) // saved: the focus goes to the event, drawn again, not to <body>
    const answer = await patch(editing.id, patchBody(values, timeZone))
    if (!answer) focus.after(null) // refused: the focus stays in the form, by its problems
    if (answer?.event) setEditing({ id: answer.event.id, initial: formValues(answer.event, timeZone), key: `${answer.event.id}:${answer.revision}` })
  }
  async function saveProgramme (/** @type {ProgrammeValues} */ values) {
    if (!editing?.programme) return
    const body = programmeBody(values, editing.initial, timeZone)
    if (Object.keys(body).length === 0) { setStatus('Nothing changed.'); return }
    focus.after(editing.id)
    const answer = await patch(editing.id, body)
    if (!answer) focus.after(null)
    const saved = answer?.programme && { ...editing.programme, ...answer.programme }
    if (saved) setEditing({ id: saved.id, initial: programmeValues(asDrawn(saved), timeZone), key: `${saved.id}:${answer.revision}`, programme: saved })
  }
  async function deleteEvent (/** @type {string} */ id) {
    if (await remove(id)) setEditing((open) => (open?.id === id ? null : open))
  }

  /** Arrow keys on a focused event: Up/Down move it one snap earlier/later, with Shift its end. */
  async function onKeyDown (/** @type {KeyboardEvent} */ e) {
    const id = focus.target(e)
    if (id === null) return
    const event = eventsRef.current.find((ev) => ev.id === id)
    if (event === undefined || isStrip(event.id)) return
    const sign = KEY_SIGNS[e.key]
    if (e.key === 'Delete' || sign !== undefined) e.preventDefault()
    if (keyMoves.busy(event.id, e) || pendingRef.current) return
    if (e.key === 'Delete') { focus.after(null); deleteEvent(event.id); return }
    if (sign === undefined) return
    const snap = ZOOMS[zoom].step * MINUTE
    await keyMoves.run(event.id, () => keyMove(event.id, e.shiftKey, sign * snap), (_, keys) => {
      // The arrows held meanwhile, with the same Shift, add up to one more move.
      const by = keys.filter((k) => k.shiftKey === e.shiftKey).reduce((sum, k) => sum + (KEY_SIGNS[k.key] ?? 0), 0) * snap
      return by === 0 ? null : () => keyMove(event.id, e.shiftKey, by)
    })
  }
  /**
   * Moves an event (or its end) by `by` ms; answers the edit's answer, null when refused.
   * @param {string} id @param {boolean} end @param {number} by
   */
  async function keyMove (id, end, by) {
    const event = eventsRef.current.find((ev) => ev.id === id)
    if (event === undefined) return null
    focus.after(id)
    const moved = end ? { end: new Date(Date.parse(event.end) + by).toISOString() } : { start: new Date(Date.parse(event.start) + by).toISOString() }
    const answer = await patch(id, moved)
    if (!answer) focus.after(null) // refused: nothing is drawn again, the focus never left
    return answer
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

  // The programme in the side form stays chosen through edits and shows its times as they now
  // are (a drag, an arrow key or an undo moved it); one gone closes the form.
  useEffect(() => {
    if (!editing?.programme || events === null) return
    const now = events.find((e) => e.id === editing.id)
    if (now === undefined) { setEditing(null); return }
    const was = editing.programme
    if (now.start !== was.start || now.end !== was.end || now.pinned !== was.pinned || now.segments?.length !== was.segments?.length) {
      setEditing({ id: now.id, initial: programmeValues(asDrawn(now), timeZone), key: `${now.id}:${now.start}:${now.end}:${now.pinned}`, programme: now })
    }
  }, [events])

  const firstHour = useMemo(() => {
    const first = events?.[0]
    return first === undefined ? '06:00:00' : `${String(Math.max(0, Number(wallTime(first.start, timeZone).slice(11, 13)) - 1)).padStart(2, '0')}:00:00`
  }, [events === null])

  // What is drawn: the events, or the programmes with their filler runs as strips.
  const drawn = useMemo(() => (programmes
    ? collapseFiller((events ?? []).map((e) => ({ ...asDrawn(e), marks: e.marks })), programmes.fillerLabel)
    : (events ?? [])), [events, programmes?.fillerLabel])
  const drawnById = useMemo(() => new Map(drawn.map((d) => [d.id, d])), [drawn])
  /** What a box says (a screen reader's name, the tooltip): the whole title, the times to the second. @param {EditorEvent | Drawn} d */
  const spoken = (d) => {
    const marks = 'marks' in d && d.marks.length ? `, ${d.marks.join(' and ')}` : ''
    if (programmes) return `${describe(asDrawn(d), timeZone)}${marks}`
    return `${d.title}, ${wallTime(d.start, timeZone).slice(11)} to ${wallTime(d.end, timeZone).slice(11)}${marks}`
  }

  const options = useMemo(() => ({
    view: 'timeGridDay',
    date: day,
    timeZone: 'UTC', // wall times of `timeZone` drawn as naive times (calendar.js)
    editable: true,
    headerToolbar: { start: '', center: '', end: '' },
    allDaySlot: false,
    height: '36rem',
    scrollTime: firstHour,
    slotDuration: ZOOMS[zoom].slotDuration,
    snapDuration: ZOOMS[zoom].snapDuration,
    slotHeight: ZOOMS[zoom].slotHeight,
    events: drawn.map((e) => ({
      id: e.id,
      start: wallTime(e.start, timeZone),
      end: wallTime(e.end, timeZone),
      title: e.title,
      editable: !isStrip(e.id),
      classNames: ['edit-event', ...(programmes ? ['programme', colourClass(asDrawn(e))] : []), ...('marks' in e ? e.marks.map((m) => MARK_CLASSES[m]) : []),
        editing?.id === e.id ? 'editing' : ''].filter(Boolean)
    })),
    // A box: its title first (a short one still shows it), its breaks and pad inside. An event
    // too, so that what it shows ("title 08:00") is the start of its name (WCAG 2.5.3, label in name).
    eventContent: (/** @type {EventCalendarEventInfo} */ info) => { const d = drawnById.get(info.event.id); return d ? boxContent(asDrawn(d), 'y', timeZone) : info.event.title },
    eventDidMount: (/** @type {EventCalendarEventInfo} */ info) => {
      focus.mounted(info)
      const d = drawnById.get(info.event.id)
      const label = d === undefined ? info.event.title : spoken(d)
      info.el.title = label
      info.el.setAttribute('aria-label', isStrip(info.event.id) ? label : `${label}. Enter opens it; arrow keys move it.`)
    },
    // A click, Enter or Space on an event (the calendar gives it role=button) opens the side form.
    eventClick: (/** @type {EventCalendarEventInfo} */ info) => { focus.after(null); if (!isStrip(info.event.id)) open(info.event.id) },
    // What moved is the drag's wall-clock delta, applied to the stored instant (calendar.js shiftedWall).
    // A mouse edit: the focus no longer follows the last event moved by keyboard.
    eventDrop: async (/** @type {EventCalendarEventInfo} */ info) => {
      focus.after(null)
      const event = eventsRef.current.find((e) => e.id === info.event.id)
      const saved = event && await patch(event.id, { start: shiftedWall(event.start, info.delta, timeZone) })
      if (!saved) info.revert()
    },
    eventResize: async (/** @type {EventCalendarEventInfo} */ info) => {
      focus.after(null)
      const event = eventsRef.current.find((e) => e.id === info.event.id)
      const saved = event && await patch(event.id, { end: shiftedWall(event.end, info.endDelta, timeZone) })
      if (!saved) info.revert()
    }
  }), [drawn, zoom, editing?.id, day, timeZone])

  if (events === null) return failure ? html`<${ApiProblem} error=${failure.error} what=${failure.what} />` : html`<p class="state loading" role="status">Loading the ${noun}s…</p>`
  return html`<div class="schedule-layout editor">
    <div class="timeline-wrap" ref=${focus.host} onKeyDown=${onKeyDown}>
      <div class="toolbar" role="toolbar" aria-label="Editing">
        <button type="button" id="undo" disabled=${pending} onClick=${() => undo(false)} title="Ctrl+Z">Undo</button>
        <button type="button" id="redo" disabled=${pending} onClick=${() => undo(true)} title="Ctrl+Shift+Z">Redo</button>
        <button type="button" id="zoom" aria-pressed=${String(zoom === 'in')} onClick=${() => setZoom(zoom === 'in' ? 'out' : 'in')}>${zoom === 'in' ? 'Zoom out (5-minute steps)' : 'Zoom in (1-minute steps)'}</button>
        <span class="meta" id="edit-revision">revision ${revision}</span>
      </div>
      <p class="meta">${programmes
        ? 'Drag a programme to move it whole (its breaks and pad with it), its bottom edge to trim or extend its tail (its pad first). '
        : 'Drag an event to move it, its bottom edge to change its end. '}With ${noun === 'event' ? 'an event' : 'a programme'} focused: arrow keys move it by ${plural(ZOOMS[zoom].step, 'minute')}, Shift+arrows change its end, Enter opens it, Delete removes it.</p>
      <p role="status" id="edit-status" class="meta">${status}</p>
      ${stale && html`<div class="state error" role="alert" id="edit-stale"><p><strong>${stale.text}</strong></p>
        <button type="button" id="edit-reload" onClick=${() => { setStale(null); readAgain() }}>Reload</button></div>`}
      ${failure && html`<${ApiProblem} error=${failure.error} what=${failure.what} />`}
      ${failure?.read && html`<button type="button" id="read-again" onClick=${readAgain}>Read the day again</button>`}
      ${events.length === 0 && html`<p class="state empty">No ${noun}s on ${day}.</p>`}
      ${programmes && html`<${Legend} drawn=${drawn.map(asDrawn)} id="edit-legend" />`}
      <${Calendar} id="edit-calendar" label=${`${programmes ? 'Programmes' : 'Events'} of the day, editable`} options=${options} />
    </div>
    <aside class="beside">
      ${editing && !editing.programme && html`<section><${EventForm} key=${editing.key} initial=${editing.initial} problems=${problems} pending=${pending}
        onSave=${saveForm} onDelete=${() => deleteEvent(editing.id)} onClose=${() => setEditing(null)} /></section>`}
      ${editing?.programme && html`<section><${ProgrammeForm} key=${editing.key} programme=${asDrawn(editing.programme)} initial=${editing.initial} timeZone=${timeZone}
        problems=${problems} pending=${pending} onSave=${saveProgramme} onDelete=${() => deleteEvent(editing.id)} onClose=${() => setEditing(null)} /></section>`}
      <${EditHistory} history=${history} revision=${revision} pending=${pending} onRevert=${revert} />
    </aside>
  </div>`
}

/** An editor's programme as programmes.js draws it. @param {EditorEvent | Drawn} e @returns {Drawn} */
const asDrawn = (e) => ({ id: e.id, kind: e.kind ?? 'item', title: e.title, start: e.start, end: e.end, category: e.category, pinned: e.pinned ?? false, segments: e.segments ?? [], clips: e.clips })

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
