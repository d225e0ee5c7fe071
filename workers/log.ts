import { LOG_LEVELS, type LogLevelName, type WorkerLogLine } from './protocol.js'

export type WorkerLog = Record<LogLevelName, (msg: string, fields?: Record<string, unknown>) => void>

/** A log line as one JSON line on stderr. */
export function writeLogLine (line: WorkerLogLine): void {
  process.stderr.write(JSON.stringify(line) + '\n')
}

/**
 * A pino-shaped JSON line writer, on stderr unless `emit` takes the lines. pino itself would
 * cost a few milliseconds of loading on every spawn; the API re-logs these lines through pino.
 */
export function createWorkerLog (reqId: string, minLevel: string, emit: (line: WorkerLogLine) => void = writeLogLine): WorkerLog {
  const threshold = LOG_LEVELS[minLevel as LogLevelName] ?? (minLevel === 'silent' ? Infinity : LOG_LEVELS.info)
  const log = {} as WorkerLog
  for (const [name, level] of Object.entries(LOG_LEVELS) as [LogLevelName, number][]) {
    log[name] = (msg, fields) => {
      if (level < threshold) return
      emit({ level, time: Date.now(), pid: process.pid, reqId, ...fields, msg })
    }
  }
  return log
}
