// @ts-check
// EventCalendar (@event-calendar/build, loaded by a classic script in index.html) as a Preact
// component, and the time helpers the channel views draw it with.
import { html, useEffect, useRef } from './preact.js'

/** A station's clock: 24-hour times everywhere a calendar writes one. */
const HOURS = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }

/**
 * Mounts one calendar and keeps its options in step with `options`; destroyed with the view.
 * `editable` is false unless a view asks for it (views/event-editor.js edits events by dragging).
 * @param {{ options: Record<string, unknown>, id: string, label: string }} props
 */
export function Calendar ({ options, id, label }) {
  const el = useRef(/** @type {HTMLDivElement | null} */ (null))
  const calendar = useRef(/** @type {EventCalendarInstance | null} */ (null))
  useEffect(() => {
    const made = window.EventCalendar.create(
      /** @type {HTMLDivElement} */ (el.current),
      { editable: false, slotLabelFormat: HOURS, eventTimeFormat: HOURS, ...options }
    )
    calendar.current = made
    return () => { window.EventCalendar.destroy(made); calendar.current = null }
  }, [])
  useEffect(() => {
    if (calendar.current === null) return
    for (const [name, value] of Object.entries(options)) calendar.current.setOption(name, value)
  }, [options])
  return html`<div class="calendar ec-auto-dark" id=${id} role="region" aria-label=${label} ref=${el}></div>`
}

/** @typedef {import('../../contract/api.js').Weekday} Weekday */
/** @typedef {import('../../contract/api.js').Block} Block */

/** @type {Weekday[]} */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
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

/**
 * An instant's wall time in `timeZone` as a naive "YYYY-MM-DDTHH:MM:SS", for a calendar that floats naive times.
 * @param {string} iso
 * @param {string} timeZone
 */
export function wallTime (iso, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso)).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`
}

/** Today's date in `timeZone`, YYYY-MM-DD. @param {string} timeZone */
export const todayIn = (timeZone) => wallTime(new Date().toISOString(), timeZone).slice(0, 10)

/** A YYYY-MM-DD plus `days`, by the calendar (no zone involved). @param {string} date @param {number} days */
export function addDays (date, days) {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
