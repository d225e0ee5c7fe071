import { CommandError } from '../protocol.js'

/** The one answer for an id that names nothing: a 404 through the API. */
export const notFound = (what: 'schedule' | 'playlist', id: string): CommandError =>
  new CommandError('NOT_FOUND', `no ${what} with id ${id}`)

/** The record, or NOT_FOUND. */
export function found<T> (record: T | null, what: 'schedule' | 'playlist', id: string): T {
  if (record === null) throw notFound(what, id)
  return record
}
