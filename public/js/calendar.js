// @ts-check
// EventCalendar (@event-calendar/build, loaded by a classic script in index.html) as a Preact
// component, and the time helpers the channel views draw it with.
import { WEEKDAYS } from '../contract/limits.js'
import { html, useEffect, useRef } from './preact.js'

/** A station's clock: 24-hour times everywhere a calendar writes one. */
const HOURS = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }

// The callbacks that open and close a drag or a resize: while one runs, option changes wait.
const HOLD_HOOKS = [['eventDragStart', 'eventDragStop'], ['eventResizeStart', 'eventResizeStop']]
const HOOKED = new Set(HOLD_HOOKS.flat()) // set once at creation, calling the view's own

/**
 * Mounts one calendar and keeps its options in step with `options`; destroyed with the view.
 * `editable` is false unless a view asks for it (views/event-editor.js edits events by dragging).
 * Only the options whose value changed are handed on: EventCalendar parses every option it is
 * given into a new object, and a new `scrollTime` or `date` scrolls the grid back to its start
 * hour, so handing all of them on after each edit lost the user's place. An option change that
 * comes while a drag or a resize is under way (a data refresh) waits for its end: a grid redrawn
 * and scrolled under a held pointer turns the pointer's place into another time, which is how
 * a 5-minute resize was once stored as +2 h 04 min (issue 23).
 * @param {{ options: Record<string, unknown>, id: string, label: string }} props
 */
export function Calendar ({ options, id, label }) {
  const el = useRef(/** @type {HTMLDivElement | null} */ (null))
  const calendar = useRef(/** @type {EventCalendarInstance | null} */ (null))
  const given = useRef(/** @type {Record<string, unknown>} */ ({})) // what the calendar was last handed
  const live = useRef(options) // the newest options, for the hooks and a held change
  const holding = useRef(false)
  live.current = options

  const apply = () => {
    if (calendar.current === null || holding.current) return
    for (const [name, value] of Object.entries(live.current)) {
      if (HOOKED.has(name) || given.current[name] === value) continue
      given.current[name] = value
      calendar.current.setOption(name, value)
    }
  }
  useEffect(() => {
    /** @type {Record<string, (info: unknown) => void>} */
    const hooks = {}
    for (const [start, stop] of HOLD_HOOKS) {
      hooks[start] = (info) => { holding.current = true; /** @type {any} */ (live.current[start])?.(info) }
      // The stop comes before the drop or resize callback: what waited is applied after it.
      hooks[stop] = (info) => { /** @type {any} */ (live.current[stop])?.(info); setTimeout(() => { holding.current = false; apply() }) }
    }
    given.current = { ...options }
    const made = window.EventCalendar.create(
      /** @type {HTMLDivElement} */ (el.current),
      { editable: false, slotLabelFormat: HOURS, eventTimeFormat: HOURS, ...options, ...hooks }
    )
    calendar.current = made
    const plain = plainRoles(/** @type {HTMLDivElement} */ (el.current))
    return () => { plain.disconnect(); window.EventCalendar.destroy(made); calendar.current = null }
  }, [])
  useEffect(apply, [options])
  return html`<div class="calendar ec-auto-dark" id=${id} role="region" aria-label=${label} ref=${el}></div>`
}

/**
 * The keyboard's place in a calendar whose events move by key press (issue 27): each event's
 * element carries its id (data-event-id) for the view's key handler, and the one a key moved
 * keeps the focus through every redraw (a redraw replaces the element, and the focus went with
 * it) until the focus goes elsewhere: a held key's moves redraw it several times. It is focused
 * without scrolling (the event was in sight, and a scroll under a pointer dragging another event
 * would move that one); a mouse edit or a refused key says `after(null)`. `drawn`: what the
 * events are drawn from, whose change is a redraw; `onKeyDown`: the view's key handler, which
 * also hears a key pressed while the kept event is being drawn again (see `orphan`).
 * @param {unknown} drawn @param {(e: KeyboardEvent) => void} onKeyDown
 */
export function useEventFocus (drawn, onKeyDown) {
  const host = useRef(/** @type {HTMLDivElement | null} */ (null)) // holds the calendar
  const wanted = useRef(/** @type {string | null} */ (null))
  const keyHandler = useRef(onKeyDown)
  keyHandler.current = onKeyDown
  const focus = (/** @type {HTMLElement} */ el) => el.focus({ preventScroll: true })
  /** The id of the event an element is in (null: not in one). @param {EventTarget | null} el */
  const eventOf = (el) => (el instanceof HTMLElement ? el.closest('[data-event-id]') : null)?.getAttribute('data-event-id') ?? null
  // Between a redraw taking the kept event's element away and the new one taking the focus, a
  // key lands on <body>: a held key under load did, and its press was lost. It is the kept event's.
  const orphan = (/** @type {Event} */ e) => e.target === document.body && wanted.current !== null
  /** The id of the event a key was pressed on (null: not on one). @param {Event} e */
  const target = (e) => (orphan(e) ? wanted.current : eventOf(e.target))
  useEffect(() => {
    if (wanted.current === null) return
    requestAnimationFrame(() => {
      const el = wanted.current === null ? null : host.current?.querySelector(`[data-event-id="${CSS.escape(wanted.current)}"]`)
      if (el instanceof HTMLElement && document.activeElement !== el) focus(el)
    })
  }, [drawn])
  useEffect(() => {
    // The operator moved on (Tab, a click anywhere else, even on nothing that takes the focus): a
    // later redraw leaves the focus alone, and a key on <body> is nobody's.
    const moved = (/** @type {Event} */ e) => { if (wanted.current !== null && eventOf(e.target) !== wanted.current) wanted.current = null }
    const orphanKey = (/** @type {KeyboardEvent} */ e) => { if (orphan(e)) keyHandler.current(e) }
    document.addEventListener('focusin', moved)
    document.addEventListener('pointerdown', moved)
    document.addEventListener('keydown', orphanKey)
    return () => {
      document.removeEventListener('focusin', moved)
      document.removeEventListener('pointerdown', moved)
      document.removeEventListener('keydown', orphanKey)
    }
  }, [])
  return {
    host,
    /** The event to focus whenever it is drawn again (null: none). @param {string | null} id */
    after: (id) => { wanted.current = id },
    /** For eventDidMount: the element named by its event's id, and focused if it is the one wanted. @param {EventCalendarEventInfo} info */
    mounted: (info) => { info.el.dataset.eventId = info.event.id; if (wanted.current === info.event.id) focus(info.el) },
    /** The id of the event a key was pressed on (null: not on one). */
    target
  }
}

/**
 * One key move at a time on a calendar (issue 27): a held key repeats faster than a move is
 * stored, so the keys pressed on the same item meanwhile are kept, and once the move lands the
 * view makes them one more move from where it landed (`next`); a refused move drops them, and a
 * key on another item meanwhile is dropped.
 */
export function useKeyMoves () {
  const moving = useRef(/** @type {{ target: string, held: KeyboardEvent[] } | null} */ (null))
  return {
    /**
     * Whether a move is in flight: the key is then not acted on (kept, if on the moving item).
     * @param {string} target @param {KeyboardEvent} e
     */
    busy: (target, e) => {
      if (moving.current === null) return false
      if (moving.current.target === target) moving.current.held.push(e)
      return true
    },
    /**
     * @template T
     * @param {string} target the item moved
     * @param {() => Promise<T | null>} move answers what it stored, null when refused
     * @param {(stored: T, keys: KeyboardEvent[]) => (() => Promise<T | null>) | null} next the move the held keys make from there (null: none)
     */
    run: async (target, move, next) => {
      const state = { target, held: /** @type {KeyboardEvent[]} */ ([]) }
      moving.current = state
      try {
        for (let step = /** @type {(() => Promise<T | null>) | null} */ (move); step !== null;) {
          const stored = await step()
          const keys = state.held.splice(0)
          step = stored === null || keys.length === 0 ? null : next(stored, keys)
        }
      } finally { moving.current = null }
    }
  }
}

// EventCalendar marks its grid up as a table (role table, rowgroup, row, cell, column and row
// headers) whose rows also hold its toolbar, hour labels and event buttons: ARIA parent/child
// errors (axe-core's aria-required-children/-parent, issue 27), and no table a screen reader can
// walk. Those roles are taken off as the calendar sets them; what is left is read in order: the
// day headings, then each event, a button whose name says its title and times.
const TABLE_ROLES = ['table', 'rowgroup', 'row', 'cell', 'gridcell', 'columnheader', 'rowheader']
const TABLE_ROLE = [...TABLE_ROLES.map((r) => `[role="${r}"]`), '[aria-colindex]', '[aria-colspan]'].join(',')
const TABLE_ATTRIBUTES = ['role', 'aria-colindex', 'aria-colspan'] // a column's place means nothing outside a table
/** The part of the calendar that scrolls on its own (a long day, the guide's wide row). */
const SCROLLER = '.ec-main, .ec-body'

/**
 * Keeps `host`'s calendar free of its table roles, and its scrolling parts reachable by the
 * keyboard (a focused region scrolls with the arrow keys; axe's scrollable-region-focusable).
 * @param {HTMLElement} host @returns {MutationObserver}
 */
function plainRoles (host) {
  /** @param {Element} el */
  const fix = (el) => {
    for (const node of [el, ...el.querySelectorAll(TABLE_ROLE)]) if (node.matches(TABLE_ROLE)) for (const name of TABLE_ATTRIBUTES) node.removeAttribute(name)
    for (const node of [el, ...el.querySelectorAll(SCROLLER)]) if (node.matches(SCROLLER) && !node.hasAttribute('tabindex')) node.setAttribute('tabindex', '0')
  }
  fix(host)
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') fix(/** @type {Element} */ (r.target))
      else for (const node of r.addedNodes) if (node instanceof Element) fix(node)
    }
  })
  observer.observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: TABLE_ATTRIBUTES })
  return observer
}

/** @typedef {import('../../contract/api.js').Weekday} Weekday */
/** @typedef {import('../../contract/api.js').Block} Block */

/** @type {Record<Weekday, string>} */
export const WEEKDAY_NAMES = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' }

/**
 * The template is a week of wall times, not dates: it is drawn on a fixed reference week,
 * 1–7 January 2024 (Monday to Sunday, no clock change in any zone), as naive times in a
 * calendar set to UTC, so what shows is exactly the block's HH:MM on its weekday.
 */
const REFERENCE_DAY = (/** @type {number} */ index) => `2024-01-0${index + 1}`
export const REFERENCE_WEEK = REFERENCE_DAY(0)

/** A time in the reference week back to its weekday and HH:MM ("2024-01-03T08:30:00" → wed, 08:30). @param {string} naive */
export function weekSlot (naive) {
  const match = /^2024-01-0([1-7])T(\d\d:\d\d)/.exec(naive)
  return match === null ? null : { day: WEEKDAYS[Number(match[1]) - 1], time: match[2] }
}

/**
 * A block's pieces on the reference week: one a day it airs, and one more on the next day for
 * a block that runs past midnight (its end at or before its start). Sunday's night runs into
 * Monday morning: the week is circular, as the builder reads it.
 * @param {Pick<Block, 'days' | 'start' | 'end'>} block
 */
export function blockPieces (block) {
  /** @type {{ start: string, end: string }[]} */
  const pieces = []
  const overnight = block.end <= block.start
  for (const day of block.days) {
    const index = WEEKDAYS.indexOf(day)
    if (index < 0) continue
    pieces.push({ start: `${REFERENCE_DAY(index)}T${block.start}:00`, end: overnight ? `${REFERENCE_DAY(index)}T23:59:59` : `${REFERENCE_DAY(index)}T${block.end}:00` })
    if (overnight && block.end !== '00:00') pieces.push({ start: `${REFERENCE_DAY((index + 1) % 7)}T00:00:00`, end: `${REFERENCE_DAY((index + 1) % 7)}T${block.end}:00` })
  }
  return pieces
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const wallFormats = new Map()
/**
 * One formatter per zone, made once: making one costs far more than using it, and a 14-day
 * build preview asks for tens of thousands of wall times.
 * @param {string} timeZone
 */
function wallFormat (timeZone) {
  let format = wallFormats.get(timeZone)
  if (format === undefined) wallFormats.set(timeZone, format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }))
  return format
}

/**
 * An instant's wall time in `timeZone` as a naive "YYYY-MM-DDTHH:MM:SS", for a calendar that floats naive times.
 * @param {string} iso
 * @param {string} timeZone
 */
export function wallTime (iso, timeZone) {
  const ms = Date.parse(iso)
  const offset = Number.isNaN(ms) ? null : steadyOffset(Math.floor(ms / HOUR_MS) * HOUR_MS, timeZone)
  return offset === null ? formattedWallTime(ms, timeZone) : new Date(ms + offset).toISOString().slice(0, 19)
}

/** wallTime() the long way, through Intl: for an hour in which the zone's offset changes. @param {number} ms @param {string} timeZone */
function formattedWallTime (ms, timeZone) {
  const parts = Object.fromEntries(wallFormat(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`
}

const HOUR_MS = 3_600_000
/** @type {Map<string, Map<number, number | null>>} */
const steadyOffsets = new Map()
/**
 * The zone's offset from UTC (ms) through the whole UTC hour from `hourStart`, or null when it
 * changes within that hour. Kept per zone and hour: a 14-day preview asks for tens of thousands
 * of wall times, and Intl's formatToParts for each one cost more than drawing the boxes. An hour
 * whose two ends disagree takes the exact (Intl) path for every instant in it.
 * @param {number} hourStart @param {string} timeZone
 */
function steadyOffset (hourStart, timeZone) {
  let byHour = steadyOffsets.get(timeZone)
  if (byHour === undefined) steadyOffsets.set(timeZone, byHour = new Map())
  let offset = byHour.get(hourStart)
  if (offset === undefined) {
    const [first, last] = [offsetOf(hourStart, timeZone), offsetOf(hourStart + HOUR_MS - 1000, timeZone)]
    byHour.set(hourStart, offset = first === last ? first : null)
  }
  return offset
}

/** The zone's wall clock minus UTC at the whole second `ms`, through Intl. @param {number} ms @param {string} timeZone */
function offsetOf (ms, timeZone) {
  const [date, time] = formattedWallTime(ms, timeZone).split('T')
  return Date.parse(`${date}T${time}Z`) - ms
}

/** Today's date in `timeZone`, YYYY-MM-DD. @param {string} timeZone */
export const todayIn = (timeZone) => wallTime(new Date().toISOString(), timeZone).slice(0, 10)

/** A YYYY-MM-DD plus `days`, by the calendar (no zone involved). @param {string} date @param {number} days */
export function addDays (date, days) {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

// Wall times of a zone and the instants they name. EventCalendar knows only the browser's zone,
// UTC and fixed offsets, so a view in a channel's zone draws naive wall times in a calendar set
// to UTC (as the template and the build preview do) and turns what the user drops back into
// instants here. On the day clocks go back the repeated hour is drawn once (the events editor,
// the guide); the build preview draws it twice, side by side (wallPieces below).

const MINUTE_MS = 60_000
/** A naive "YYYY-MM-DDTHH:MM[:SS]" read as if UTC, in ms. @param {string} naive */
const naiveMs = (naive) => Date.parse(`${naive.length === 16 ? `${naive}:00` : naive.slice(0, 19)}Z`)
/** How far `timeZone`'s wall clock is ahead of UTC at the instant `ms`, in whole minutes (as ms). */
const offsetAt = (/** @type {number} */ ms, /** @type {string} */ timeZone) =>
  Math.round((naiveMs(wallTime(new Date(ms).toISOString(), timeZone)) - ms) / MINUTE_MS) * MINUTE_MS

/**
 * The instant a naive wall time names in `timeZone` (a time skipped by a clock change: the
 * instant after the change, as the builder reads it; a repeated one: the first).
 * @param {string} naive "YYYY-MM-DDTHH:MM" or with seconds
 * @param {string} timeZone
 */
export function zonedInstant (naive, timeZone) {
  const wall = naiveMs(naive)
  if (Number.isNaN(wall)) return new Date(NaN) // not a wall time: the API names the field
  // The offsets half a day either side: a clock change between them gives two readings.
  const [before, after] = [wall - offsetAt(wall - 43_200_000, timeZone), wall - offsetAt(wall + 43_200_000, timeZone)]
  const names = (/** @type {number} */ ms) => naiveMs(wallTime(new Date(ms).toISOString(), timeZone)) === wall - (wall % 1000)
  if (names(before) && names(after)) return new Date(Math.min(before, after))
  return new Date(names(after) ? after : before)
}

/** A local day of `timeZone` as the instants [from, to) (23 or 25 hours on a clock change). @param {string} day YYYY-MM-DD @param {string} timeZone */
export const dayBounds = (day, timeZone) => ({ from: zonedInstant(`${day}T00:00`, timeZone), to: zonedInstant(`${addDays(day, 1)}T00:00`, timeZone) })

/**
 * An instant moved by a calendar's drag (a wall-clock duration of days and seconds) in
 * `timeZone`: its wall time moves by it, its milliseconds are kept.
 * @param {string} iso
 * @param {{ days?: number, seconds?: number }} delta
 * @param {string} timeZone
 */
export function shiftedWall (iso, delta, timeZone) {
  const wall = wallTime(iso, timeZone)
  const moved = new Date(naiveMs(wall) + ((delta.days ?? 0) * 86_400 + (delta.seconds ?? 0)) * 1000).toISOString().slice(0, 19)
  return new Date(Date.parse(iso) + zonedInstant(moved, timeZone).getTime() - zonedInstant(wall, timeZone).getTime()).toISOString()
}

/** A naive wall time from ms read as if UTC ("YYYY-MM-DDTHH:MM:SS"). @param {number} ms */
const naiveOf = (ms) => new Date(ms).toISOString().slice(0, 19)

/**
 * The clock changes of `timeZone` on the local days from `fromDay` to `toDay` (both included):
 * each with its instant and the wall times either side of it, `from` the last wall time before
 * it (to the second, plus one: "…T01:00:00") and `to` the first after it ("…T02:00:00"). A
 * change forward skips the wall times [from, to) (`skipped`); one back repeats [to, from).
 * `day` is the day those wall times are on: a change forward at midnight (Santiago, Beirut)
 * skips the first hour of the next day, so the scan starts a day early to find it.
 * @param {string} fromDay @param {string} toDay @param {string} timeZone
 * @returns {{ day: string, at: number, from: string, to: string, skipped: boolean }[]}
 */
export function clockChanges (fromDay, toDay, timeZone) {
  const out = []
  for (let scanned = addDays(fromDay, -1); scanned <= toDay; scanned = addDays(scanned, 1)) {
    const { from, to } = dayBounds(scanned, timeZone)
    let [lo, hi] = [from.getTime(), to.getTime()]
    const before = offsetAt(lo, timeZone)
    if (offsetAt(hi, timeZone) === before) continue
    // The first second with the new offset: zones change on whole seconds.
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000
      if (offsetAt(mid, timeZone) === before) lo = mid
      else hi = mid
    }
    const wallAt = (/** @type {number} */ ms) => naiveMs(wallTime(new Date(ms).toISOString(), timeZone))
    const [wallBefore, wallAfter] = [wallAt(hi - 1000) + 1000, wallAt(hi)]
    const skipped = wallAfter > wallBefore
    const day = naiveOf(skipped ? wallBefore : wallAfter).slice(0, 10)
    if (fromDay <= day && day <= toDay) out.push({ day, at: hi, from: naiveOf(wallBefore), to: naiveOf(wallAfter), skipped })
  }
  return out
}

/** @typedef {ReturnType<typeof clockChanges>[number]} ClockChange */
/** @typedef {'first' | 'second'} Pass which time through a stretch of wall time the clocks repeat */

/**
 * The instants a change touches: a change forward only its own instant, one back the stretch
 * [start, end) whose wall times happen twice, the first pass before `at`, the second from it.
 * @param {ClockChange} change
 */
function reachOf (change) {
  const length = change.skipped ? 0 : naiveMs(change.from) - naiveMs(change.to)
  return { start: change.at - length, end: change.at + length }
}

/**
 * Which pass through a repeated stretch of wall time the instant `ms` is in, by the changes
 * given, or null where its wall time happens once.
 * @param {number} ms @param {ClockChange[]} changes
 * @returns {Pass | null}
 */
export function passOf (ms, changes) {
  for (const change of changes) {
    const { start, end } = reachOf(change)
    if (start <= ms && ms < end) return ms < change.at ? 'first' : 'second'
  }
  return null
}

/**
 * The span of instants [start, end) as the stretches of wall time it is drawn in around the one
 * of `changes` it touches, or null if it touches none (its ends' wall times are then the whole
 * story): cut at a change forward (the skipped wall times are in no piece), and at a change
 * back where the repeated stretch starts, at the change and where it ends, each piece with its
 * pass. Wall times are naive "YYYY-MM-DDTHH:MM:SS", from the change's offsets either side.
 * @param {number} start @param {number} end instants, ms
 * @param {ClockChange[]} changes
 * @returns {{ from: string, to: string, pass: Pass | null }[] | null}
 */
export function wallPieces (start, end, changes) {
  const change = changes.find((c) => { const reach = reachOf(c); return start < reach.end && reach.start < end })
  if (change === undefined) return null
  const reach = reachOf(change)
  const [before, after] = [naiveMs(change.from) - change.at, naiveMs(change.to) - change.at] // wall minus UTC either side
  const cuts = [...new Set([start, reach.start, change.at, reach.end])].filter((ms) => start <= ms && ms < end).concat(end)
  return cuts.slice(1).map((to, i) => ({
    from: naiveOf(cuts[i] + (cuts[i] < change.at ? before : after)),
    to: naiveOf(to + (to <= change.at ? before : after)),
    pass: passOf(cuts[i], [change])
  }))
}
