import { dirname, extname, basename, join } from 'node:path'
import type { FastifyRequest } from 'fastify'
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

// Query parameters that carry a secret: a key given as `?key=` must not reach the log in the URL.
const SECRET_PARAMS = new Set(['key', 'api_key', 'apikey', 'token', 'access_token'])

/** The URL with the value of every secret query parameter replaced. */
export function redactUrl (url: string): string {
  const start = url.indexOf('?')
  if (start < 0) return url
  const query = url.slice(start + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=')
    const rawName = eq < 0 ? pair : pair.slice(0, eq)
    let name = rawName
    try { name = decodeURIComponent(rawName.replace(/\+/g, ' ')) } catch { /* a malformed escape stays as written */ }
    return SECRET_PARAMS.has(name.toLowerCase()) && eq >= 0 ? `${rawName}=[redacted]` : pair
  })
  return `${url.slice(0, start)}?${query.join('&')}`
}

/** Fastify's request serializer, with the URL's secrets redacted. */
function serializeRequest (request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  }
}

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
      mode: 0o600, // requests, addresses and ids: for the service's owner only
      limit: { count: config.logFiles }
    })
    streams.push({ level: 'trace', stream: file })
  }
  return pino({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest }
  }, pino.multistream(streams))
}
