import { gapEnd, luxon, MAX_INSTANT_MS, MIN_INSTANT_MS, utcEpochMs } from '../schedule/time.js'
import type { Weekday } from './types.js'

// A channel's template is written in wall-clock time in the channel's zone (SPEC §11).
// This is deliberately not parseInstant's naive rule: parseInstant reads a repeated local
// time at its second occurrence (luxon takes the later offset), while a block starting in a
// repeated hour starts at its FIRST occurrence. A wall time skipped by the clocks starts at
// the first instant after the gap (as parseInstant does).

import { WEEKDAYS } from '../../contract/limits.js'

export { WEEKDAYS }

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const WALL = /^([01]\d|2[0-3]):([0-5]\d)$/

/** One local day of the channel: its date, weekday and real [start, end) in UTC ms (23, 24 or 25 h, or other on odd zones). */
export interface LocalDay { date: string, weekday: Weekday, start: number, end: number }

/** Epoch ms of a local date's midnight read as UTC: day arithmetic without a zone. */
function dateMs (date: string): number {
  const m = DATE.exec(date)
  if (m === null) throw new Error(`not a date: ${date}`)
  const ms = utcEpochMs(+m[1], +m[2], +m[3])
  if (new Date(ms).toISOString().slice(0, 10) !== date.padStart(10, '0')) throw new Error(`not a date: ${date}`)
  return ms
}

const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** The local date (YYYY-MM-DD) of instant `ms` in `zone`. */
export const localDate = (ms: number, zone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms)

/** `date` moved by `days` (calendar days). */
export const addDays = (date: string, days: number): string => dateOf(dateMs(date) + days * DAY_MS)

/** mon…sun of a date. */
export const weekdayOf = (date: string): Weekday => WEEKDAYS[(new Date(dateMs(date)).getUTCDay() + 6) % 7]

/** Whole days from `from` to `to` (0 when equal, negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((dateMs(to) - dateMs(from)) / DAY_MS)

/** Minutes east of UTC in `zone` at `ms`. */
function offsetAt (zone: string): (ms: number) => number {
  if (zone === 'UTC') return () => 0
  const offsets = luxon().IANAZone.create(zone)
  return (ms) => offsets.offset(ms)
}

/**
 * The UTC instant of wall time `HH:MM` on local `date` in `zone` (SPEC §11): in a repeated
 * hour its first occurrence; a time the clocks skip, the first instant after the gap.
 * `laterDays` moves it that many days on (the midnight after a date, a block's end past
 * midnight) by arithmetic, so the day after 9999-12-31 needs no date string of year 10000.
 */
export function wallInstant (date: string, wall: string, zone: string, laterDays = 0): number {
  const m = WALL.exec(wall)
  if (m === null) throw new Error(`not a wall time: ${wall}`)
  const naive = dateMs(date) + laterDays * DAY_MS + (+m[1] * 60 + +m[2]) * MINUTE_MS
  const offset = offsetAt(zone)
  // Every offset in force within a day of the wall time is a candidate; a candidate holds
  // when the instant it gives really has that offset. Several hold in a repeated hour: the
  // earliest instant is the first occurrence.
  let first = Infinity
  for (const probe of [naive - DAY_MS, naive, naive + DAY_MS]) {
    const o = offset(probe)
    const instant = naive - o * MINUTE_MS
    if (offset(instant) === o) first = Math.min(first, instant)
  }
  if (Number.isFinite(first)) return first
  // Skipped: read with the offset before the change it lands after the change; the change is the answer.
  return gapEnd(naive - offset(naive - DAY_MS) * MINUTE_MS, zone)
}

/** An instant kept inside years 1–9999 (SPEC §12): what a day or a block at the ends of that range is cut to. */
export const withinInstantRange = (ms: number): number => Math.min(MAX_INSTANT_MS, Math.max(MIN_INSTANT_MS, ms))

/**
 * The local days from `from` to `to` (both included) in `zone`, each with its real length.
 * A day at either end of years 1–9999 is cut to them: in UTC the last one, 9999-12-31, ends at
 * 9999-12-31T23:59:59.999Z (the last instant stored), and in a zone east of UTC 0001-01-01 starts at
 * 0001-01-01T00:00:00Z, so nothing built or exported on it lies outside the range.
 */
export function localDays (from: string, to: string, zone: string): LocalDay[] {
  const days: LocalDay[] = []
  const count = daysBetween(from, to)
  let start = withinInstantRange(wallInstant(from, '00:00', zone))
  for (let i = 0; i <= count; i++) {
    const date = addDays(from, i)
    const end = withinInstantRange(wallInstant(date, '00:00', zone, 1))
    days.push({ date, weekday: weekdayOf(date), start, end })
    start = end
  }
  return days
}

/** Whether `text` is a YYYY-MM-DD calendar date of years 1–9999. */
export function isLocalDate (text: string): boolean {
  try { return dateMs(text) >= MIN_INSTANT_MS } catch { return false }
}
