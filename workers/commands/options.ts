import { CommandError } from '../../contract/command-error.js'
import { isValidTimezone, parseInstant, type TimeRange } from '../schedule/time.js'
import type { OptionValues } from './command.js'
import { isRecordId, notFound, type RecordKind } from './not-found.js'
import { textProblem } from '../text.js'

/** `--output FILE`, for the commands that answer a document: where m3upro by hand writes it (cli.ts). */
export const OUTPUT_OPTION = { output: { type: 'string' } } as const
export const OUTPUT_USAGE = '[--output FILE]'

// Option checks shared by the schedule and playlist commands; each names the option it refuses.

/** `--name` (a schedule's or playlist's name given with its import): trimmed; undefined when not given or blank; control characters refused (SPEC §12). */
export function nameOption (options: OptionValues): string | undefined {
  const given = typeof options.name === 'string' ? options.name : ''
  const problem = textProblem(given)
  if (problem !== null) throw new CommandError('VALIDATION_FAILED', `name ${problem}`, [{ field: 'name', message: problem }])
  return given.trim() === '' ? undefined : given.trim()
}

export function timezoneOption (options: OptionValues): string {
  const zone = typeof options.timezone === 'string' ? options.timezone : 'UTC'
  if (!isValidTimezone(zone)) throw new CommandError('BAD_REQUEST', `timezone "${zone}" is not an IANA time zone (e.g. Europe/London)`, [{ field: 'timezone', message: 'unknown time zone' }])
  return zone
}

export function rangeOption (options: OptionValues, zone: string): TimeRange {
  const read = (field: 'from' | 'to'): number | undefined => {
    const value = options[field]
    if (typeof value !== 'string') return undefined
    const ms = parseInstant(value, zone)
    if (ms === null) throw new CommandError('BAD_REQUEST', `${field} "${value}" is not a valid date-time`, [{ field, message: 'not an ISO 8601 date-time' }])
    return ms
  }
  const range = { from: read('from'), to: read('to') }
  if (range.from !== undefined && range.to !== undefined && range.to <= range.from) {
    throw new CommandError('BAD_REQUEST', 'to must be after from', [{ field: 'to', message: 'not after from' }])
  }
  return range
}

export function positiveNumberOption (options: OptionValues, field: string, fallback: number): number {
  const value = options[field]
  if (value === undefined) return fallback
  const n = Number(value)
  if (typeof value !== 'string' || !Number.isFinite(n) || n < 0) throw new CommandError('BAD_REQUEST', `${field} must be a number ≥ 0`, [{ field, message: 'not a number ≥ 0' }])
  return n
}

/** The one id a command was given; one not of the stored form is NOT_FOUND before any lookup. */
export function requiredId (positionals: string[], what: RecordKind): string {
  const id = positionals[0]
  if (id === undefined) throw new CommandError('BAD_ARGUMENTS', `give the ${what} id`)
  if (positionals.length > 1) throw new CommandError('BAD_ARGUMENTS', `give one ${what} id, not ${positionals.length}`)
  if (!isRecordId(id)) throw notFound(what, id)
  return id
}

export function oneOf<T extends string> (value: unknown, allowed: readonly T[], field: string): T | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new CommandError('BAD_REQUEST', `${field} must be one of ${allowed.join(', ')}`, [{ field, message: `not one of ${allowed.join(', ')}` }])
  }
  return value as T
}
