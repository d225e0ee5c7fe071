import { luxon } from './time.js'

// How a message names one event of a document (issue 11 item 19): as a person finds it in
// the file and on the panel, 1-based, by title and local start time with its zone:
// "event 3 'News' at 2026-03-29 08:00 Europe/Berlin". The structured `index` fields stay 0-based.

const MAX_TITLE = 60

/** The start as read in `zone`: `2026-03-29 08:00` (seconds only when there are some). */
export function localTime (ms: number, zone: string): string {
  const text = zone === 'UTC'
    ? new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
    : luxon().DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss')
  return `${text.endsWith(':00') ? text.slice(0, -3) : text} ${zone}`
}

/** `event 3 'News' at 2026-03-29 08:00 Europe/Berlin`; the title and time when known. */
export function eventLabel (index: number, title: string | null | undefined, start: number | null | undefined, zone: string): string {
  const name = typeof title === 'string' && title !== '' ? ` '${title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE)}…` : title}'` : ''
  const at = typeof start === 'number' ? ` at ${localTime(start, zone)}` : ''
  return `event ${index + 1}${name}${at}`
}

/** `1 event`, `2 events`: a count with its noun. */
export const plural = (count: number, one: string, many = `${one}s`): string => `${count.toLocaleString('en')} ${count === 1 ? one : many}`
