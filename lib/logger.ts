import { dirname, extname, basename, join } from 'node:path'
import pino, { type Logger } from 'pino'
import buildRollingFile from 'pino-roll'
import type { Config } from './config.js'

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'key',
  'apiKey'
]

/**
 * pino to stdout and to a size- and day-rotated file. pino-roll numbers the files
 * (scheduleflow.1.log, scheduleflow.2.log…) and keeps `current.log` pointing at the newest.
 */
export async function createLogger (
  config: Pick<Config, 'logLevel' | 'logFile' | 'logMaxSizeMb' | 'logFiles'>,
  { stdout = true, extra = [] }: { stdout?: boolean, extra?: pino.StreamEntry[] } = {}
): Promise<Logger> {
  const streams: pino.StreamEntry[] = [...extra]
  if (stdout) streams.push({ level: 'trace', stream: process.stdout })
  if (config.logFile !== null) {
    const ext = extname(config.logFile)
    const file = await buildRollingFile({
      file: join(dirname(config.logFile), basename(config.logFile, ext)),
      extension: ext,
      size: `${config.logMaxSizeMb}m`,
      frequency: 'daily',
      mkdir: true,
      symlink: true,
      limit: { count: config.logFiles }
    })
    streams.push({ level: 'trace', stream: file })
  }
  return pino({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' }
  }, pino.multistream(streams))
}
