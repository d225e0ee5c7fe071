import { CommandError } from '../contract/command-error.js'
import type { TimeRange } from './schedule/time.js'
import { CHANNEL_DEFAULT_DAYS, MAX_PAGE, SCHEDULE_FIRST_PAGE } from '../contract/limits.js'

// Paged reads of events (SPEC §12): a page is at most MAX_PAGE events, in air order by
// (start, id), and `next` is the relative URL of the page after it (absent on the last). The
// cursor is the (start, id) of the last event a page answered: the next page is an indexed
// seek past it, so its cost is the page's, not the channel's, and events stored meanwhile
// before it never shift what follows. The figures are the contract's (contract/limits.ts).

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

/**
 * A channel's default range: from now, rounded down to the minute (so a page and its `next`,
 * and an ETag, agree for a minute), to 7 days later.
 */
export function defaultChannelRange (now: number): { from: number, to: number } {
  const from = Math.floor(now / MINUTE_MS) * MINUTE_MS
  return { from, to: from + CHANNEL_DEFAULT_DAYS * DAY_MS }
}

/** Where a page ends: the last event it answered. */
export interface Cursor { start: number, id: string }

/** Opaque to clients: base64url of `<start ms>.<id>`. */
export const encodeCursor = ({ start, id }: Cursor): string => Buffer.from(`${start}.${id}`, 'utf8').toString('base64url')

const CURSOR_TEXT = /^(-?\d{1,16})\.([0-9A-Za-z-]{1,64})$/

/** The cursor a client sent back; a 400 naming `cursor` when it is not one this server wrote. */
export function decodeCursor (value: string): Cursor {
  const text = /^[A-Za-z0-9_-]{1,120}$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : ''
  const match = CURSOR_TEXT.exec(text)
  const start = match === null ? NaN : Number(match[1])
  if (match === null || !Number.isSafeInteger(start)) {
    throw new CommandError('BAD_REQUEST', 'cursor is not one this server answered: use the `next` link of the page before', [{ field: 'cursor', message: 'not a cursor this server answered' }])
  }
  return { start, id: match[2] }
}

/** --cursor, when given. */
export function cursorOption (options: Record<string, unknown>): Cursor | undefined {
  const value = options.cursor
  if (value === undefined) return undefined
  return decodeCursor(typeof value === 'string' ? value : '')
}

/** --limit: an integer in [1, MAX_PAGE], else a 400 naming `limit`; `fallback` when absent. */
export function limitOption (options: Record<string, unknown>, fallback: number): number {
  const value = options.limit
  if (value === undefined) return fallback
  const n = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : NaN
  if (!(n >= 1 && n <= MAX_PAGE)) {
    throw new CommandError('BAD_REQUEST', `limit must be an integer from 1 to ${MAX_PAGE}`, [{ field: 'limit', message: `not an integer from 1 to ${MAX_PAGE}` }])
  }
  return n
}

/** Events in air order by (start, id): the order pages follow. */
export const byStartThenId = (a: Cursor, b: Cursor): number => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Whether `e` comes after `cursor` in that order. */
export const isAfter = (e: Cursor, cursor: Cursor | undefined): boolean => cursor === undefined || byStartThenId(e, cursor) > 0

/**
 * The relative URL of the page after one whose last event is `last`: the same range, resolved
 * to UTC instants (so a default range or a naive time reads the same on every page).
 */
export function nextPageUrl (path: string, range: TimeRange, last: Cursor, limit: number, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams()
  if (range.from !== undefined && Number.isFinite(range.from)) query.set('from', new Date(range.from).toISOString())
  if (range.to !== undefined && Number.isFinite(range.to)) query.set('to', new Date(range.to).toISOString())
  for (const [key, value] of Object.entries(extra)) query.set(key, value)
  query.set('cursor', encodeCursor(last))
  query.set('limit', String(limit))
  return `${path}?${query.toString()}`
}

// ── What a read costs (the pool's `cost`, decided by the route before the worker runs) ──

/**
 * A page this small is light whatever its range: a dense channel airs about 1,100 events a
 * day, so it is at most about a day of one.
 */
export const LIGHT_PAGE = 1_000
/** A range this short is light whatever its limit: a local day is at most 25 h (a clock change). */
export const LIGHT_SPAN_MS = 25 * 3_600_000

/** An instant as a query gives it (ISO, naive, or a local date), read in UTC: near enough to size a range. */
function roughInstant (value: string | undefined, endOfDay: boolean): number | undefined {
  if (value === undefined) return undefined
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value)
  return Number.isNaN(ms) ? undefined : ms + (dateOnly && endOfDay ? DAY_MS : 0)
}

/**
 * Classify a read of events by what it can touch, not by its name (issue 21): a read that can
 * cover more than a day of a large channel, i.e. a page larger than LIGHT_PAGE over a range
 * longer than LIGHT_SPAN_MS (or open-ended), is heavy: it counts against its key's share like
 * an export and never holds the pool's last process, so one viewer asking for the largest pages
 * cannot stall everyone else's lists. A day's read (what the panel asks) and a small page are light.
 * `defaultSpanMs`: the range a read without from/to covers (a channel's 7 days; none for a schedule).
 */
export function readCost (query: { from?: string, to?: string, limit?: number, cursor?: string }, defaultLimit: number, defaultSpanMs?: number): 'light' | 'heavy' {
  const limit = query.limit ?? defaultLimit
  if (limit <= LIGHT_PAGE) return 'light'
  const from = roughInstant(query.from, false)
  const to = roughInstant(query.to, true)
  const span = from !== undefined && to !== undefined
    ? to - from
    : query.from === undefined && query.to === undefined && query.cursor === undefined ? defaultSpanMs : undefined
  return span !== undefined && span <= LIGHT_SPAN_MS ? 'light' : 'heavy'
}

/** A schedule's page size when the query names none: its first 1,000 events, or a range's up to MAX_PAGE. */
export const scheduleDefaultLimit = (query: { from?: unknown, to?: unknown }): number =>
  query.from === undefined && query.to === undefined ? SCHEDULE_FIRST_PAGE : MAX_PAGE
