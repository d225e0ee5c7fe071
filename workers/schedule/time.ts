import { createRequire } from 'node:module'

// luxon costs ~20 ms to load, paid by every worker process that touches a time: it is
// loaded only when a zone other than UTC is named.
const require = createRequire(import.meta.url)
let luxonModule: typeof import('luxon') | undefined
export const luxon = (): typeof import('luxon') => (luxonModule ??= require('luxon') as typeof import('luxon'))

// SPEC §2: ISO 8601 with an offset or Z, or naive (read in the request's IANA zone);
// XMLTV's `YYYYMMDDhhmmss ±hhmm` and its shorter forms, UTC when no offset is given.
// The common cases (an offset, or a naive time in UTC) are computed directly:
// a 100,000-event import cannot afford a time-library object per field.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i
const XMLTV = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?$/

// Zone abbreviations seen in XMLTV files ('200007281733 BST' is the DTD's own example).
// Only unambiguous ones: an abbreviation not listed here is refused, not guessed.
const ZONE_ABBREVIATIONS: Record<string, string> = {
  Z: '+0000',
  UTC: '+0000',
  GMT: '+0000',
  UT: '+0000',
  WET: '+0000',
  WEST: '+0100',
  BST: '+0100',
  CET: '+0100',
  CEST: '+0200',
  MET: '+0100',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  EST: '-0500',
  EDT: '-0400',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
  AKST: '-0900',
  AKDT: '-0800',
  HST: '-1000',
  JST: '+0900',
  KST: '+0900',
  AEST: '+1000',
  AEDT: '+1100',
  ACST: '+0930',
  ACDT: '+1030',
  AWST: '+0800',
  NZST: '+1200',
  NZDT: '+1300'
}

export function isValidTimezone (zone: string): boolean {
  return zone === 'UTC' || luxon().IANAZone.isValidZone(zone)
}

/** Minutes east of UTC in `+hh:mm`, `+hhmm`, `+hh` or a known abbreviation; null when out of range or unknown. */
function offsetMinutes (text: string): number | null {
  if (/^[A-Za-z]+$/.test(text)) {
    const numeric = ZONE_ABBREVIATIONS[text.toUpperCase()]
    if (numeric === undefined) return null
    text = numeric
  }
  const sign = text[0] === '-' ? -1 : 1
  const digits = text.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
  if (hours > 14 || minutes > 59) return null
  return sign * (hours * 60 + minutes)
}

interface Fields { year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond: number }

/** Epoch ms of a UTC date-time. Unlike Date.UTC, years 0–99 stay years 0–99 (Date.UTC reads them as 1900–1999). */
export function utcEpochMs (year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millisecond)
  return date.getTime()
}

// Every instant the service stores or answers lies in years 1–9999: what ISO 8601's four-digit
// year writes, and far inside what a Date holds, so iso() and every exporter can format it.
export const MIN_INSTANT_MS = utcEpochMs(1, 1, 1)
export const MAX_INSTANT_MS = utcEpochMs(9999, 12, 31, 23, 59, 59, 999)
export const INSTANT_RANGE = 'years 1–9999'

/** A span of instants, epoch ms, either end open when absent. */
export interface TimeRange { from?: number, to?: number }

export const isInstantInRange = (ms: unknown): ms is number =>
  typeof ms === 'number' && Number.isFinite(ms) && ms >= MIN_INSTANT_MS && ms <= MAX_INSTANT_MS

/** Epoch ms of the fields read as UTC, or null when they name no real date (Feb 30, 25:00…). */
function utcMillis (f: Fields): number | null {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.hour > 23 || f.minute > 59 || f.second > 59) return null
  const ms = utcEpochMs(f.year, f.month, f.day, f.hour, f.minute, f.second, f.millisecond)
  const back = new Date(ms)
  return back.getUTCDate() === f.day && back.getUTCMonth() === f.month - 1 ? ms : null
}

/** Whether luxon moved the fields: it reads a local time that does not exist (a spring-forward gap) as a later one. */
const moved = (f: Fields, dt: import('luxon').DateTime): boolean => dt.day !== f.day || dt.hour !== f.hour || dt.minute !== f.minute || dt.second !== f.second

/**
 * The first instant after the gap in which a skipped local time falls. luxon reads such a time
 * with the offset from before the change, which lands `gap` after the change: the change is
 * the first instant in the hours before that carries the later offset.
 */
export function gapEnd (after: number, zone: string): number {
  const offsets = luxon().IANAZone.create(zone)
  const later = offsets.offset(after)
  let lo = after - 6 * 3_600_000 // no zone skips more than that
  let hi = after
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2)
    if (offsets.offset(mid) === later) hi = mid
    else lo = mid
  }
  return Math.floor(hi / 1000) * 1000
}

/**
 * Naive local fields in an IANA zone. A local time skipped by a DST change (a spring-forward
 * gap) is read as the first instant after the gap, SPEC §11's rule for a time that does not
 * exist that day; a repeated one is read in standard time (its second occurrence).
 */
function zonedMillis (f: Fields, zone: string): number | null {
  if (utcMillis(f) === null) return null
  const dt = luxon().DateTime.fromObject(f, { zone })
  if (!dt.isValid) return null
  if (moved(f, dt)) return gapEnd(dt.toMillis(), zone)
  // A time the clocks repeat (the autumn night) names two instants: the first, as SPEC §11
  // reads a block's start, so an import, an edit and a build agree on 01:30.
  return Math.min(...dt.getPossibleOffsets().map((candidate) => candidate.toMillis()))
}

/**
 * When `value` is a naive ISO time that does not exist in `zone` (clocks went forward over
 * it), what happened to it, in words: the time, the zone, the gap and the instant it is read
 * as. Null for any other value. For messages only: parseInstant already read it so.
 */
export function skippedLocalTime (value: unknown, zone: string): string | null {
  if (typeof value !== 'string' || zone === 'UTC') return null
  const m = ISO.exec(value.trim())
  if (m === null || m[8] !== undefined) return null
  const f: Fields = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] === undefined ? 0 : +m[6], millisecond: 0 }
  if (utcMillis(f) === null) return null
  const { DateTime, FixedOffsetZone } = luxon()
  const dt = DateTime.fromObject(f, { zone })
  if (!dt.isValid || !moved(f, dt)) return null
  const change = gapEnd(dt.toMillis(), zone)
  const before = DateTime.fromMillis(change, { zone: FixedOffsetZone.instance(luxon().IANAZone.create(zone).offset(change - 1)) })
  const after = DateTime.fromMillis(change, { zone })
  return `${value.trim()} does not exist in ${zone}: on ${before.toISODate()} the clocks go from ${before.toFormat('HH:mm')} straight to ${after.toFormat('HH:mm')}, so it is read as ${after.toFormat('HH:mm')} (${new Date(change).toISOString().replace('.000', '')}), the first instant after the gap`
}

/** The instant the fields name, or null when they name none, or one outside years 1–9999 (after the offset too). */
function resolve (f: Fields, offset: string | undefined, zone: string): number | null {
  let ms: number | null
  if (offset !== undefined) {
    const minutes = offsetMinutes(offset)
    const utc = utcMillis(f)
    ms = minutes === null || utc === null ? null : utc - minutes * 60_000
  } else ms = zone === 'UTC' ? utcMillis(f) : zonedMillis(f, zone)
  return isInstantInRange(ms) ? ms : null
}

/** An ISO 8601 date-time to UTC epoch ms, or null when it is not one. */
export function parseInstant (value: string, zone = 'UTC'): number | null {
  const m = ISO.exec(value.trim())
  if (m === null) return null
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000)
  return resolve(
    { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: m[6] === undefined ? 0 : +m[6], millisecond: fraction },
    m[8],
    zone
  )
}

/** An XMLTV date (`20251124083000 +0100`, or a shorter form) to UTC epoch ms; no offset means UTC. */
export function parseXmltvTime (value: string): number | null {
  const m = XMLTV.exec(value.trim())
  if (m === null) return null
  const n = (s: string | undefined, dflt: number): number => (s === undefined ? dflt : +s)
  return resolve({ year: +m[1], month: n(m[2], 1), day: n(m[3], 1), hour: n(m[4], 0), minute: n(m[5], 0), second: n(m[6], 0), millisecond: 0 }, m[7], 'UTC')
}

const XMLTV_DAY_MS = 86_400_000
const twoDigits = (n: number): string => n < 10 ? `0${n}` : String(n)
// The last day formatted (days since the epoch) and its `YYYYMMDD`: a guide writes thousands of
// instants of a few days, in order, so the date is made once a day and the time by arithmetic.
let formattedDay = Number.NaN
let formattedDate = ''

/** `YYYYMMDDhhmmss +0000`, the full XMLTV form, in UTC. */
export function formatXmltvTime (ms: number): string {
  // Outside years 1–9999 (never stored) the Date's own form, whatever it gives.
  if (!isInstantInRange(ms)) return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + ' +0000'
  const whole = Math.trunc(ms) // as a Date takes it
  const day = Math.floor(whole / XMLTV_DAY_MS)
  if (day !== formattedDay) {
    formattedDate = new Date(day * XMLTV_DAY_MS).toISOString().slice(0, 10).replace(/-/g, '')
    formattedDay = day
  }
  const seconds = Math.floor((whole - day * XMLTV_DAY_MS) / 1000)
  return `${formattedDate}${twoDigits(Math.floor(seconds / 3600))}${twoDigits(Math.floor(seconds / 60) % 60)}${twoDigits(seconds % 60)} +0000`
}
