import { CommandError } from '../../contract/command-error.js'

/** Every stored id is a UUID (randomUUID); anything else names nothing, whatever it looks like. */
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What an id may name. */
export type RecordKind = 'schedule' | 'playlist' | 'channel' | 'override' | 'feed token' | 'library' | 'scan'

export const isRecordId = (id: string): boolean => RECORD_ID.test(id)

/** The one answer for an id that names nothing: a 404 through the API. */
export const notFound = (what: RecordKind, id: string): CommandError =>
  new CommandError('NOT_FOUND', isRecordId(id) ? `no ${what} with id ${id}` : `no ${what} with that id (ids are UUIDs)`)

/** The record, or NOT_FOUND. */
export function found<T> (record: T | null, what: RecordKind, id: string): T {
  if (record === null) throw notFound(what, id)
  return record
}
