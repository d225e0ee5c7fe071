import { CommandError } from '../../protocol.js'
import { FIELD_ALIASES, type RawDocument, type RawEvent } from './raw-event.js'

/** Line and column of V8's "at position N" (or "line L column C") in a JSON.parse message. */
function jsonErrorPosition (text: string, message: string): { line: number, column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message)
  if (lc !== null) return { line: Number(lc[1]), column: Number(lc[2]) }
  const at = /position (\d+)/.exec(message)
  if (at === null) return undefined
  const before = text.slice(0, Number(at[1]))
  const line = before.split('\n').length
  return { line, column: Number(at[1]) - before.lastIndexOf('\n') }
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    const message = (err as Error).message
    const where = jsonErrorPosition(text, message)
    const detail = message.replace(/^JSON\.parse: /, '')
    throw new CommandError('BAD_JSON', `malformed JSON${where !== undefined ? ` at line ${where.line}, column ${where.column}` : ''}: ${detail}`,
      [{ ...where, message: detail }])
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

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
