import type pg from 'pg'
import type { RedisLink } from './redis-link.js'

/**
 * Which instance runs the on-air work that must happen once (rolling builds, publish retries,
 * alarm checks and their webhook): the one holding the lease. `held()` is asked at every tick;
 * it takes the lease when it is free and keeps it while this instance lives.
 */
export interface LeaderLease {
  held(): Promise<boolean>
  release(): Promise<void>
}

/** SQLite serves one instance on one machine (README "Several instances"): it always leads. */
export const soleInstance: LeaderLease = {
  held: async () => true,
  release: async () => {}
}

/**
 * The advisory lock key of the leader (any bigint the application owns; the storage's write
 * lock is 7_420_002, workers/storage/postgres-dialect.ts).
 */
export const LEADER_LOCK = 7_420_017

/**
 * PostgreSQL: a session-level advisory lock held on one connection of the API's own, opened for
 * it alone (a pool could hand the next query another session, which does not hold the lock).
 * The lock is the server's: it is released when the session ends, so an instance that dies or
 * loses its connection stops leading at once and another takes the lock at its next tick. A
 * connection lost is not leading until a new one has the lock again.
 */
export class PostgresLease implements LeaderLease {
  private client: pg.Client | null = null
  private leading = false
  private closed = false

  /** `connect` opens a new session (lib/postgres-link.ts' settings). */
  constructor (private readonly connect: () => Promise<pg.Client>) {}

  async held (): Promise<boolean> {
    if (this.closed) return false
    try {
      if (this.client === null) {
        const client = await this.connect()
        // A session the server or the network ends: the lock went with it.
        client.on('error', () => this.drop(client))
        client.on('end', () => this.drop(client))
        this.client = client
      }
      if (this.leading) {
        // Still the same session, still answering: the lock is still ours.
        await this.client.query('SELECT 1')
        return true
      }
      const { rows } = await this.client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [LEADER_LOCK])
      this.leading = rows[0]?.got === true
      return this.leading
    } catch {
      if (this.client !== null) this.drop(this.client)
      return false
    }
  }

  private drop (client: pg.Client): void {
    if (this.client !== client) return
    this.client = null
    this.leading = false
    client.end().catch(() => {})
  }

  async release (): Promise<void> {
    this.closed = true
    const client = this.client
    this.client = null
    this.leading = false
    // Ending the session releases its locks.
    if (client !== null) await client.end().catch(() => {})
  }
}

/** The Redis key of the leader lease. */
export const LEADER_KEY = 'scheduleflow:on-air:leader'

// Renewed only while it is still ours; taken back atomically at release.
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
const GIVE_UP = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"

/**
 * Redis: SET key instanceId NX PX ttl, renewed by the holder at each `held()`. For instances
 * that share a Redis but not a PostgreSQL (the lease picked in plugins/rolling-builds.ts). The
 * ttl is a few ticks, so a holder that dies is replaced within it; a Redis that does not answer
 * makes nobody leader until it does.
 */
export class RedisLease implements LeaderLease {
  constructor (private readonly link: RedisLink, private readonly instanceId: string, private readonly ttlMs: number) {}

  async held (): Promise<boolean> {
    if (!this.link.usable) return false
    try {
      const client = this.link.client
      if (await client.eval(RENEW, 1, LEADER_KEY, this.instanceId, String(this.ttlMs)) === 1) return true
      return await client.set(LEADER_KEY, this.instanceId, 'PX', this.ttlMs, 'NX') === 'OK'
    } catch {
      return false
    }
  }

  async release (): Promise<void> {
    if (!this.link.usable) return
    await this.link.client.eval(GIVE_UP, 1, LEADER_KEY, this.instanceId).catch(() => {})
  }
}
