import { CommandError } from '../../../contract/command-error.js'
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
  const events = list.map(toRawEvent)
  // metadata.channel: the channel of every event that names none (SPEC §1: an event's channel).
  const channel = metadataText(metadata, 'channel')
  if (channel !== undefined) for (const e of events) e.fields.channel ??= channel
  return {
    source: 'json',
    name,
    events,
    channels: channel !== undefined ? [{ id: channel, display_name: channel }] : [],
    notes: [],
    timezone: metadataText(metadata, 'timezone')
  }
}

/** A metadata field that must be text when present: anything else is refused, not ignored. */
function metadataText (metadata: Record<string, unknown>, field: 'channel' | 'timezone'): string | undefined {
  const value = metadata[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CommandError('BAD_JSON', `metadata.${field} must be text${field === 'timezone' ? ' (an IANA time zone such as Europe/Berlin)' : ' (a channel id)'}`, [{ field: `metadata.${field}`, message: 'not text' }])
  }
  return value.trim()
}
