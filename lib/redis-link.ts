import { Redis } from 'ioredis'

/** Keys in Redis start with this, so the service's counters are easy to find and never clash. */
export const REDIS_KEY_PREFIX = 'scheduleflow:rate-limit:'

const RETRY_AFTER_FAILURE_MS = 1000

/** Where rate limits are counted right now. */
export type RateLimitMode = 'shared' | 'per-instance'

interface LinkLogger {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
}

/** The URL as it may be logged: user and password replaced. */
export function redactRedisUrl (url: string): string {
  const parsed = new URL(url)
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = ''
    parsed.password = '***'
  }
  return parsed.toString()
}

/**
 * The one Redis connection an instance keeps for its shared counters (rate limits).
 * Fail-fast: no offline queue, one retry, short timeouts, so a request never waits on a
 * Redis that is gone; callers count per instance while `usable` is false. The way counts
 * are kept changing is logged once each way: a warn when the instance falls back to
 * counting on its own, an info when Redis answers again.
 */
export class RedisLink {
  readonly client: Redis
  /** Where the counts go, as the log may name it (no password). */
  private readonly target: string
  private mode: RateLimitMode | 'starting' = 'starting'
  /** After a failed command, Redis is tried again only from then on (a hung Redis costs one request a second its timeout, not every request). */
  private retryAt = 0
  private closing = false

  constructor (url: string, private readonly log: LinkLogger) {
    this.target = redactRedisUrl(url)
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 500,
      // Reconnect for ever, at most every 2 s: Redis coming back makes limits shared again.
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000)
    })
    // Without a listener ioredis prints every failed reconnect to stderr.
    this.client.on('error', (err: Error) => this.down(err.message))
    this.client.on('close', () => this.down('connection closed'))
    this.client.on('ready', () => this.up())
  }

  /** Whether a command may be sent now: the connection is ready, and no command failed in the last second. */
  get usable (): boolean {
    return this.client.status === 'ready' && (this.mode !== 'per-instance' || Date.now() >= this.retryAt)
  }

  /** Where counts go: shared while Redis answers, per instance otherwise (and before it first answers). */
  get rateLimits (): RateLimitMode {
    return this.mode === 'shared' ? 'shared' : 'per-instance'
  }

  /** Redis cannot be used: count per instance until it answers again. */
  down (reason: string): void {
    if (this.closing || this.mode === 'per-instance') return
    this.mode = 'per-instance'
    this.log.warn({ redis: this.target, reason }, 'rate limits: Redis unavailable, counting per instance until it is back')
  }

  /** A command failed or timed out on an open connection: leave Redis alone for a second. */
  commandFailed (reason: string): void {
    this.retryAt = Date.now() + RETRY_AFTER_FAILURE_MS
    this.down(reason)
  }

  /** A command succeeded. */
  up (): void {
    if (this.mode === 'shared') return
    const first = this.mode === 'starting'
    this.mode = 'shared'
    this.log.info({ redis: this.target }, first ? 'rate limits: counted in Redis, shared across instances' : 'rate limits: Redis is back, counting across instances again')
  }

  async close (): Promise<void> {
    this.closing = true
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect())
    } else {
      this.client.disconnect()
    }
  }
}
