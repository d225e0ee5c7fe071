import { mkdirSync } from 'node:fs'
import { basename, dirname, extname } from 'node:path'
import type { FastifyRequest } from 'fastify'
import pino, { type Logger } from 'pino'
import { createStream as createRotatingFile } from 'rotating-file-stream'
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

/** A feed's path carries its token (SPEC §17, routes/feeds.ts): `/feeds/<token>/…`. */
const FEED_TOKEN_IN_PATH = /^\/feeds\/[^/?#]+/

/** The URL with a feed token and the value of every secret query parameter replaced. */
export function redactUrl (given: string): string {
  const url = given.replace(FEED_TOKEN_IN_PATH, '/feeds/[redacted]')
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
 * The configured log file, rotated daily and by size. The live file is always the
 * configured path, so a shipper tailing it sees every line; a rotation renames it to
 * `<name>.<YYYYMMDD-HHMM>.<n><ext>` beside it and starts a new one.
 */
function rotatingLogFile (config: Pick<Config, 'logFile' | 'logMaxSizeMb' | 'logFiles'> & { logFile: string }): pino.DestinationStream {
  const ext = extname(config.logFile)
  const name = basename(config.logFile, ext)
  const stamp = (time: Date): string => time.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')
  mkdirSync(dirname(config.logFile), { recursive: true, mode: 0o700 })
  return createRotatingFile((time: number | Date | null, index?: number) =>
    time === null ? basename(config.logFile) : `${name}.${stamp(new Date(time))}.${index ?? 1}${ext}`, {
    path: dirname(config.logFile),
    size: `${config.logMaxSizeMb}M`,
    interval: '1d',
    maxFiles: config.logFiles,
    history: `.${name}.history`,
    mode: 0o600 // requests, addresses and ids: for the service's owner only
  })
}

/** pino to stdout and to the rotated log file (SPEC §9). */
export async function createLogger (
  config: Pick<Config, 'logLevel' | 'logFile' | 'logMaxSizeMb' | 'logFiles'>,
  { stdout = true, extra = [] }: { stdout?: boolean, extra?: pino.StreamEntry[] } = {}
): Promise<Logger> {
  const streams: pino.StreamEntry[] = [...extra]
  if (stdout) streams.push({ level: 'trace', stream: process.stdout })
  if (config.logFile !== null) streams.push({ level: 'trace', stream: rotatingLogFile({ ...config, logFile: config.logFile }) })
  return pino({
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest }
  }, pino.multistream(streams))
}
