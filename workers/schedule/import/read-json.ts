import { CommandError } from '../../protocol.js'
import { isObject, parseJson } from '../../json.js'
import { FIELD_ALIASES, type RawDocument, type RawEvent } from './raw-event.js'

function toRawEvent (item: unknown, index: number): RawEvent {
  const raw: RawEvent = { index, fieldPositions: {}, fields: {} }
  if (!isObject(item)) return raw
  for (const [name, value] of Object.entries(item)) {
    const field = FIELD_ALIASES[name]
    if (field === undefined || raw.fields[field] !== undefined) continue
    // A number where a date-time belongs is not an epoch: make it fail as text would.
    raw.fields[field] = (field === 'start' || field === 'end') && typeof value === 'number' ? String(value) : value
  }
  return raw
}

/** `{metadata, schedule:[…]}` (`events` or `items` in place of `schedule`), or a bare array of events. */
export function readJson (text: string): RawDocument {
  const document = parseJson(text)
  const list = Array.isArray(document)
    ? document
    : isObject(document) ? document.schedule ?? document.events ?? document.items : undefined
  if (!Array.isArray(list)) {
    throw new CommandError('BAD_JSON', 'a JSON schedule is {"metadata": {…}, "schedule": [events]} ("events" or "items" also accepted)', [{ field: 'schedule', message: 'missing or not a list' }])
  }
  const metadata = isObject(document) && isObject(document.metadata) ? document.metadata : {}
  const name = [metadata.title, metadata.name].find((v): v is string => typeof v === 'string')
  return { source: 'json', name, events: list.map(toRawEvent), channels: [], notes: [] }
}
