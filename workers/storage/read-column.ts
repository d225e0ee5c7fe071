import { createWorkerLog } from '../log.js'

/** Where a repository says that it left a stored row (or part of one) out of what it read. */
export type OddRowWarning = (msg: string, fields: Record<string, unknown>) => void

// A JSON log line on stderr like every worker line: the pool relays it into the log of the
// request this process is serving, under that request's id.
export const storageWarning: OddRowWarning = (msg, fields) => createWorkerLog('storage', 'warn').warn(msg, fields)

/** A JSON column as the type it should hold, else `fallback`: one odd row must not fail a read for everyone. */
export function readJsonColumn<T> (text: string | null, is: (value: unknown) => value is T, fallback: T): T {
  if (text === null) return fallback
  try {
    const value: unknown = JSON.parse(text)
    return is(value) ? value : fallback
  } catch {
    return fallback
  }
}
