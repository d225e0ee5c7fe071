import { isIP } from 'node:net'
import { hostname } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { DEFAULT_MISSING_MEDIA_HOURS, DEFAULT_ON_AIR_TICK_MS, DEFAULT_PUBLISH_RETENTION_DAYS, ROLES, type Role } from '../contract/limits.js'
import { ANSWER_DEADLINE_FACTOR, DEFAULT_MAX_RSS_MB, DEFAULT_MAX_TASKS, longestOperationMs as longestOperation, type PoolSettings } from './pool/types.js'

// Every environment variable the service reads, with its default. `.env.example`
// lists the same names; test/config.test.ts keeps the two in step.
export const EnvSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 5000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' }
  ),
  SCHEDULEFLOW_DATA_DIR: Type.String({ minLength: 1, default: './data' }),
  SCHEDULEFLOW_LOG_FILE: Type.String({ default: './logs/scheduleflow.log' }),
  SCHEDULEFLOW_LOG_MAX_SIZE_MB: Type.Integer({ minimum: 1, default: 20 }),
  SCHEDULEFLOW_LOG_FILES: Type.Integer({ minimum: 1, default: 7 }),
  SCHEDULEFLOW_API_KEYS: Type.String({ default: '' }),
  SCHEDULEFLOW_ANONYMOUS_READ: Type.Boolean({ default: false }),
  SCHEDULEFLOW_HISTORY_DAYS: Type.Integer({ minimum: 1, maximum: 36_500, default: 90 }),
  SCHEDULEFLOW_CORS_ORIGINS: Type.String({ default: '' }),
  SCHEDULEFLOW_MAX_UPLOAD_BYTES: Type.Integer({ minimum: 1024, default: 50 * 1024 * 1024 }),
  SCHEDULEFLOW_MAX_JSON_BYTES: Type.Integer({ minimum: 1024, default: 1024 * 1024 }),
  SCHEDULEFLOW_RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 100 }),
  SCHEDULEFLOW_RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1, default: 60_000 }),
  SCHEDULEFLOW_AUTH_FAILURE_MAX: Type.Integer({ minimum: 1, default: 10 }),
  SCHEDULEFLOW_REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 600_000 }),
  SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: Type.Integer({ minimum: 1000, default: 120_000 }),
  SCHEDULEFLOW_TRUST_PROXY: Type.String({ default: 'false' }),
  SCHEDULEFLOW_PUBLIC_URL: Type.String({ default: '' }),
  SCHEDULEFLOW_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 256, default: 4 }),
  SCHEDULEFLOW_POOL_PRESPAWN: Type.Integer({ minimum: 0, maximum: 256, default: 1 }),
  SCHEDULEFLOW_MAX_QUEUE: Type.Integer({ minimum: 0, default: 100 }),
  SCHEDULEFLOW_MAX_QUEUED_PER_KEY: Type.Integer({ minimum: 0, default: 4 }),
  SCHEDULEFLOW_TASK_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 30_000 }),
  SCHEDULEFLOW_KILL_GRACE_MS: Type.Integer({ minimum: 0, default: 2_000 }),
  SCHEDULEFLOW_WORKER_MAX_TASKS: Type.Integer({ minimum: 1, default: DEFAULT_MAX_TASKS }),
  SCHEDULEFLOW_WORKER_MAX_RSS_MB: Type.Integer({ minimum: 64, default: DEFAULT_MAX_RSS_MB }),
  SCHEDULEFLOW_MAX_OUTPUT_BYTES: Type.Integer({ minimum: 1024, default: 128 * 1024 * 1024 }),
  SCHEDULEFLOW_ANSWER_CACHE_MB: Type.Integer({ minimum: 0, maximum: 65_536, default: 64 }),
  SCHEDULEFLOW_ON_AIR_TICK_MS: Type.Integer({ minimum: 0, default: DEFAULT_ON_AIR_TICK_MS }),
  SCHEDULEFLOW_ALARM_WEBHOOK: Type.String({ default: '' }),
  SCHEDULEFLOW_PUBLISH_ROOTS: Type.String({ default: '' }),
  SCHEDULEFLOW_PUBLISH_RETENTION_DAYS: Type.Integer({ minimum: 0, maximum: 3650, default: DEFAULT_PUBLISH_RETENTION_DAYS }),
  SCHEDULEFLOW_MEDIA_ROOTS: Type.String({ default: '' }),
  SCHEDULEFLOW_FFPROBE: Type.String({ default: '' }),
  SCHEDULEFLOW_PROBE_REMOTE: Type.Boolean({ default: true }),
  SCHEDULEFLOW_MISSING_MEDIA_HOURS: Type.Number({ minimum: 0, maximum: 24 * 93, default: DEFAULT_MISSING_MEDIA_HOURS }),
  SCHEDULEFLOW_SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 25_000 }),
  SCHEDULEFLOW_TEST_COMMANDS: Type.Boolean({ default: false }),
  DATABASE_URL: Type.String({ default: '' }),
  SCHEDULEFLOW_DB_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 0, default: 30_000 }),
  REDIS_URL: Type.String({ default: '' }),
  SCHEDULEFLOW_INSTANCE_ID: Type.String({ default: '' })
})
export type Env = Static<typeof EnvSchema>

export { ROLES, type Role } from '../contract/limits.js'

export interface Config {
  port: number
  host: string
  logLevel: string
  dataDir: string
  logFile: string | null
  logMaxSizeMb: number
  logFiles: number
  /** `name` is what logs and edit history show for the key (SPEC §12); never the key. */
  apiKeys: { name: string | null; role: Role; key: string }[]
  anonymousRead: boolean
  /** Edit history older than this many days is dropped (SPEC §12). */
  historyDays: number
  corsOrigins: string[]
  maxUploadBytes: number
  /** application/json bodies the API parses itself; documents go to the worker unparsed under maxUploadBytes. */
  maxJsonBytes: number
  rateLimit: { max: number; windowMs: number; authFailureMax: number }
  /** Node's requestTimeout (the whole request received) and the socket's idle timeout. */
  timeouts: { requestMs: number; connectionMs: number }
  /** Fastify's trustProxy: which X-Forwarded-For hops give the client address. */
  trustProxy: boolean | string[]
  /**
   * The address users reach the service at (https://tv.example.org, no trailing slash): the
   * base of the absolute links the API writes. null: the address the service listens on
   * (127.0.0.1 when that is every address), never the request's Host header.
   */
  publicUrl: string | null
  /** The pool's own options (lib/pool/types.ts), by the same names: handed to it as they are. */
  pool: Required<PoolSettings>
  shutdownGraceMs: number
  /** Answers kept by their ETag (plugins/answer-cache.ts), in bytes; 0: none. */
  answerCacheBytes: number
  /** Keeping channels on air (SPEC §17, plugins/on-air.ts). */
  onAir: {
    /** How often the scheduler ticks, ms; 0: never by itself (tests tick it by hand). */
    tickMs: number
    /** http(s) URL each alarm is POSTed to when it opens and when it clears; null: none. */
    alarmWebhook: string | null
    /** Absolute directories a publish target's dir must be inside; none: publishing is refused. */
    publishRoots: string[]
    /** Published files of days that ended more than this many days ago are pruned. */
    publishRetentionDays: number
  }
  /** The media library (SPEC §16). */
  media: {
    /** Absolute directories a library's root must be inside; none: no library can be declared. */
    roots: string[]
    /** The ffprobe binary: SCHEDULEFLOW_FFPROBE, else the one @ffprobe-installer/ffprobe ships (workers/media/probe.ts). */
    ffprobe: string | null
    /** Files due to air this many hours ahead are checked to exist as probed. */
    missingMediaHours: number
    /** A playlist's remote http(s) items without a length are probed at import (workers/media/remote.ts). */
    probeRemote: boolean
  }
  testCommands: boolean
  /** postgres://…: the schedules live in that PostgreSQL; null: in SQLite under dataDir. */
  databaseUrl: string | null
  /** How long the start waits for the database to answer before it gives up. */
  dbConnectTimeoutMs: number
  /** Rate limits are counted in this Redis, across instances; null counts them per instance. */
  redisUrl: string | null
  /** Names this instance in health, queue stats and metrics (several behind one load balancer). */
  instanceId: string
}

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`)
  }
}

function parseApiKeys (raw: string, problems: string[]): Config['apiKeys'] {
  const keys: Config['apiKeys'] = []
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    // role:key, or name:role:key (SPEC §12). A first part that is a role is the old form.
    const first = entry.indexOf(':')
    const named = !ROLES.includes(entry.slice(0, first) as Role)
    const second = named ? entry.indexOf(':', first + 1) : first
    const name = named ? entry.slice(0, first) : null
    const role = entry.slice(named ? first + 1 : 0, second) as Role
    const key = entry.slice(second + 1)
    if (first < 0 || second < 0 || !ROLES.includes(role) || key.length < 16 || (name !== null && !KEY_NAME.test(name))) {
      // The key itself must never be echoed, not even in an error.
      problems.push(`SCHEDULEFLOW_API_KEYS: each entry must be role:key or name:role:key, with role viewer|operator|admin, a name of 1-64 letters, digits, spaces or . _ @ - and a key of at least 16 characters (entry ${keys.length + 1} is not)`)
      continue
    }
    keys.push({ name, role, key })
  }
  return keys
}

const KEY_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u

/**
 * false | true | addresses and CIDRs, comma separated (Fastify's trustProxy). A hop count
 * is refused: Fastify 5 treats one as trusting no proxy (a direct client could otherwise
 * forge X-Forwarded-For), so it would silently do nothing.
 */
function parseTrustProxy (raw: string, problems: string[]): Config['trustProxy'] {
  const value = raw.trim().toLowerCase()
  if (value === 'false') return false
  if (value === 'true') return true
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean)
  const isAddress = (entry: string): boolean => {
    const [address, bits, extra] = entry.split('/')
    if (extra !== undefined || isIP(address) === 0) return false
    return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128))
  }
  const bad = entries.filter((e) => !isAddress(e))
  if (entries.length === 0 || bad.length > 0) {
    problems.push(`SCHEDULEFLOW_TRUST_PROXY: false, true, or the proxies' addresses/CIDRs separated by commas (not ${JSON.stringify(bad.join(',') || raw)})`)
  }
  return entries
}

/**
 * A service URL setting: empty is null; otherwise it must parse, have a host, use one of
 * `protocols` and pass `pathOk` (its path without the leading slash). Never echoed: the URL
 * may carry a password, and a configuration error is printed where anyone reading the
 * service's output sees it.
 */
function parseServiceUrl (raw: string, problems: string[], protocols: string[], pathOk: (path: string) => boolean, problem: string): string | null {
  if (raw === '') return null
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {}
  if (url === undefined || !protocols.includes(url.protocol) || url.hostname === '' || !pathOk(url.pathname.replace(/^\//, ''))) {
    problems.push(`${problem} (the value is not shown: it may hold a password)`)
    return null
  }
  return raw
}

/**
 * http(s)://host[:port][/path] without credentials, query or fragment: links are built by
 * appending /api/… to it, so anything after the path would end up in the middle of them.
 * Kept without its trailing slash.
 */
function parsePublicUrl (raw: string, problems: string[]): string | null {
  if (raw === '') return null
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {}
  if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.hostname === '' ||
    url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || /[?#]/.test(raw)) {
    problems.push(`SCHEDULEFLOW_PUBLIC_URL: must be http(s)://host[:port][/path], without user, query or fragment (${raw.includes('@') ? 'the value is not shown: it may hold a password' : `got ${JSON.stringify(raw)}`})`)
    return null
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}

/** Absolute directories, comma separated; kept resolved (no trailing slash, no ..). */
function parsePublishRoots (raw: string, problems: string[]): string[] {
  const roots = raw.split(',').map((s) => s.trim()).filter(Boolean)
  const relative = roots.filter((r) => !isAbsolute(r))
  if (relative.length > 0) problems.push(`SCHEDULEFLOW_PUBLISH_ROOTS: absolute directories separated by commas (not ${JSON.stringify(relative.join(','))})`)
  return roots.filter((r) => isAbsolute(r)).map((r) => resolve(r))
}

/** Absolute directories, ':'-separated (SPEC §16); kept resolved. */
function parseMediaRoots (raw: string, problems: string[]): string[] {
  const roots = raw.split(':').map((s) => s.trim()).filter(Boolean)
  const relative = roots.filter((r) => !isAbsolute(r))
  if (relative.length > 0) problems.push(`SCHEDULEFLOW_MEDIA_ROOTS: absolute directories separated by ':' (not ${JSON.stringify(relative.join(':'))})`)
  return roots.filter((r) => isAbsolute(r)).map((r) => resolve(r))
}

/** redis:// or rediss://, with a host and at most a database number. */
const parseRedisUrl = (raw: string, problems: string[]): string | null =>
  parseServiceUrl(raw, problems, ['redis:', 'rediss:'], (db) => /^\d*$/.test(db), 'REDIS_URL: must be redis://[user:password@]host[:port][/db] or rediss://…')

/** postgres:// or postgresql://, with a host and a database. */
const parseDatabaseUrl = (raw: string, problems: string[]): string | null =>
  parseServiceUrl(raw, problems, ['postgres:', 'postgresql:'], (database) => database !== '',
    'DATABASE_URL: must be postgres://[user:password@]host[:port]/database (or postgresql://…), or empty for SQLite in SCHEDULEFLOW_DATA_DIR')

/**
 * `<hostname>:<port>`: stable across restarts (a metrics scraper keeps one series per
 * instance), distinct for instances on one host (their ports) and in containers (their
 * hostnames). A port chosen by the system (PORT=0) is not known yet: `<hostname>-<pid>`.
 */
function defaultInstanceId (port: number): string {
  return port === 0 ? `${hostname()}-${process.pid}` : `${hostname()}:${port}`
}

/** Reads and checks the environment; throws ConfigError naming every bad variable. */
export function loadConfig (source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {}
  for (const name of Object.keys(EnvSchema.properties)) {
    const value = source[name]
    if (value !== undefined && value !== '') raw[name] = value.trim()
  }
  const env = Value.Default(EnvSchema, Value.Convert(EnvSchema, raw)) as Env
  const problems = [...Value.Errors(EnvSchema, env)].map(
    (e) => `${e.path.slice(1)}: ${e.message} (got ${JSON.stringify(raw[e.path.slice(1)])})`
  )
  const apiKeys = parseApiKeys(env.SCHEDULEFLOW_API_KEYS ?? '', problems)
  const trustProxy = parseTrustProxy(env.SCHEDULEFLOW_TRUST_PROXY ?? 'false', problems)
  const publicUrl = parsePublicUrl(env.SCHEDULEFLOW_PUBLIC_URL ?? '', problems)
  const redisUrl = parseRedisUrl(env.REDIS_URL ?? '', problems)
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL ?? '', problems)
  const alarmWebhook = parseServiceUrl(env.SCHEDULEFLOW_ALARM_WEBHOOK ?? '', problems, ['http:', 'https:'], () => true, 'SCHEDULEFLOW_ALARM_WEBHOOK: must be an http(s) URL')
  const publishRoots = parsePublishRoots(env.SCHEDULEFLOW_PUBLISH_ROOTS ?? '', problems)
  const mediaRoots = parseMediaRoots(env.SCHEDULEFLOW_MEDIA_ROOTS ?? '', problems)
  const ffprobe = (env.SCHEDULEFLOW_FFPROBE ?? '') === '' ? null : env.SCHEDULEFLOW_FFPROBE
  if (ffprobe !== null && !isAbsolute(ffprobe)) problems.push(`SCHEDULEFLOW_FFPROBE: an absolute path to an ffprobe binary (got ${JSON.stringify(ffprobe)})`)
  // An idle connection is cut at connectionTimeout: while an operation runs the socket
  // is silent, so the longest operation (its deadline, a committed write's answer after it, and
  // the kill grace) must fit inside it.
  // Left unset, the timeout grows to fit; set too short, it is refused.
  const longestOperationMs = longestOperation(env.SCHEDULEFLOW_TASK_TIMEOUT_MS, env.SCHEDULEFLOW_KILL_GRACE_MS)
  if ((source.SCHEDULEFLOW_CONNECTION_TIMEOUT_MS ?? '').trim() === '') {
    env.SCHEDULEFLOW_CONNECTION_TIMEOUT_MS = Math.max(env.SCHEDULEFLOW_CONNECTION_TIMEOUT_MS, longestOperationMs + 10_000)
  } else if (env.SCHEDULEFLOW_CONNECTION_TIMEOUT_MS <= longestOperationMs) {
    problems.push(`SCHEDULEFLOW_CONNECTION_TIMEOUT_MS: must exceed ${ANSWER_DEADLINE_FACTOR + 1} × SCHEDULEFLOW_TASK_TIMEOUT_MS + SCHEDULEFLOW_KILL_GRACE_MS (${longestOperationMs} ms: the deadline, then the answer of a committed write), or a long operation's client is cut off before its answer`)
  }
  if (problems.length > 0) throw new ConfigError([...new Set(problems)])

  return {
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    dataDir: resolve(env.SCHEDULEFLOW_DATA_DIR),
    logFile: env.SCHEDULEFLOW_LOG_FILE === 'off' ? null : resolve(env.SCHEDULEFLOW_LOG_FILE),
    logMaxSizeMb: env.SCHEDULEFLOW_LOG_MAX_SIZE_MB,
    logFiles: env.SCHEDULEFLOW_LOG_FILES,
    apiKeys,
    anonymousRead: env.SCHEDULEFLOW_ANONYMOUS_READ,
    historyDays: env.SCHEDULEFLOW_HISTORY_DAYS,
    corsOrigins: env.SCHEDULEFLOW_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    maxUploadBytes: env.SCHEDULEFLOW_MAX_UPLOAD_BYTES,
    maxJsonBytes: env.SCHEDULEFLOW_MAX_JSON_BYTES,
    rateLimit: { max: env.SCHEDULEFLOW_RATE_LIMIT_MAX, windowMs: env.SCHEDULEFLOW_RATE_LIMIT_WINDOW_MS, authFailureMax: env.SCHEDULEFLOW_AUTH_FAILURE_MAX },
    timeouts: { requestMs: env.SCHEDULEFLOW_REQUEST_TIMEOUT_MS, connectionMs: env.SCHEDULEFLOW_CONNECTION_TIMEOUT_MS },
    trustProxy,
    publicUrl,
    pool: {
      size: env.SCHEDULEFLOW_POOL_SIZE,
      prespawn: Math.min(env.SCHEDULEFLOW_POOL_PRESPAWN, env.SCHEDULEFLOW_POOL_SIZE),
      maxQueue: env.SCHEDULEFLOW_MAX_QUEUE,
      maxQueuedPerOwner: env.SCHEDULEFLOW_MAX_QUEUED_PER_KEY,
      timeoutMs: env.SCHEDULEFLOW_TASK_TIMEOUT_MS,
      killGraceMs: env.SCHEDULEFLOW_KILL_GRACE_MS,
      maxOutputBytes: env.SCHEDULEFLOW_MAX_OUTPUT_BYTES,
      maxTasks: env.SCHEDULEFLOW_WORKER_MAX_TASKS,
      maxRssMb: env.SCHEDULEFLOW_WORKER_MAX_RSS_MB
    },
    shutdownGraceMs: env.SCHEDULEFLOW_SHUTDOWN_GRACE_MS,
    answerCacheBytes: env.SCHEDULEFLOW_ANSWER_CACHE_MB * 1024 * 1024,
    onAir: {
      tickMs: env.SCHEDULEFLOW_ON_AIR_TICK_MS,
      alarmWebhook,
      publishRoots,
      publishRetentionDays: env.SCHEDULEFLOW_PUBLISH_RETENTION_DAYS
    },
    media: { roots: mediaRoots, ffprobe, missingMediaHours: env.SCHEDULEFLOW_MISSING_MEDIA_HOURS, probeRemote: env.SCHEDULEFLOW_PROBE_REMOTE },
    testCommands: env.SCHEDULEFLOW_TEST_COMMANDS,
    databaseUrl,
    dbConnectTimeoutMs: env.SCHEDULEFLOW_DB_CONNECT_TIMEOUT_MS,
    redisUrl,
    instanceId: env.SCHEDULEFLOW_INSTANCE_ID === '' ? defaultInstanceId(env.PORT) : env.SCHEDULEFLOW_INSTANCE_ID
  }
}
