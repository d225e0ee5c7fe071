import { LOG_LEVELS, type LogLevelName } from './protocol.js'

export type WorkerLog = Record<LogLevelName, (msg: string, fields?: Record<string, unknown>) => void>

/**
 * A pino-shaped JSON line writer on stderr. pino itself would cost a few
 * milliseconds of loading on every spawn; the API re-logs these lines through pino.
 */
export function createWorkerLog (reqId: string, minLevel: string, write: (line: string) => void = (line) => { process.stderr.write(line) }): WorkerLog {
  const threshold = LOG_LEVELS[minLevel as LogLevelName] ?? (minLevel === 'silent' ? Infinity : LOG_LEVELS.info)
  const log = {} as WorkerLog
  for (const [name, level] of Object.entries(LOG_LEVELS) as [LogLevelName, number][]) {
    log[name] = (msg, fields) => {
      if (level < threshold) return
      write(JSON.stringify({ level, time: Date.now(), pid: process.pid, reqId, ...fields, msg }) + '\n')
    }
  }
  return log
}
