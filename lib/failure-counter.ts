import type { ChainableCommander } from 'ioredis'
import { REDIS_KEY_PREFIX, type RedisLink } from './redis-link.js'

/**
 * Counts failures per client address in fixed windows. Kept in memory, at most
 * `maxAddresses` at once (the oldest window is forgotten first), so a flood from many
 * addresses costs bounded memory.
 */
export class FailureCounter {
  private readonly windows = new Map<string, { count: number, resetAt: number }>()

  constructor (
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxAddresses = 10_000,
    private readonly now: () => number = Date.now
  ) {}

  /** Seconds until `address` may fail again, or 0 when it is within its budget. */
  blockedFor (address: string): number {
    const entry = this.current(address)
    return entry !== undefined && entry.count >= this.max ? Math.max(1, Math.ceil((entry.resetAt - this.now()) / 1000)) : 0
  }

  record (address: string): void {
    const entry = this.current(address)
    if (entry !== undefined) {
      entry.count++
      return
    }
    if (this.windows.size >= this.maxAddresses) this.windows.delete(this.windows.keys().next().value as string)
    this.windows.set(address, { count: 1, resetAt: this.now() + this.windowMs })
  }

  private current (address: string): { count: number, resetAt: number } | undefined {
    const entry = this.windows.get(address)
    if (entry === undefined || entry.resetAt > this.now()) return entry
    this.windows.delete(address)
    return undefined
  }
}

/**
 * The same budget counted in Redis while the link is usable, so an address that fails on
 * one instance is refused by all; in this process (the FailureCounter) otherwise.
 */
export class SharedFailureCounter {
  private readonly local: FailureCounter

  constructor (
    private readonly link: RedisLink | null,
    private readonly max: number,
    private readonly windowMs: number
  ) {
    this.local = new FailureCounter(max, windowMs)
  }

  async blockedFor (address: string): Promise<number> {
    const counted = await this.inRedis((multi) => multi.get(this.key(address)).pttl(this.key(address)))
    if (counted === null) return this.local.blockedFor(address)
    const [count, ttlMs] = counted.map(Number)
    return count >= this.max ? Math.max(1, Math.ceil(ttlMs / 1000)) : 0
  }

  async record (address: string): Promise<void> {
    // The first failure of a window creates the key with its expiry; INCR keeps the expiry.
    const counted = await this.inRedis((multi) => multi.set(this.key(address), 0, 'PX', this.windowMs, 'NX').incr(this.key(address)))
    if (counted === null) this.local.record(address)
  }

  private key (address: string): string {
    return `${REDIS_KEY_PREFIX}auth-failures:${address}`
  }

  /** The transaction's results, or null when Redis cannot be used (the caller counts locally). */
  private async inRedis (build: (multi: ChainableCommander) => ChainableCommander): Promise<unknown[] | null> {
    if (this.link === null) return null
    if (!this.link.usable) {
      this.link.down(`redis ${this.link.client.status}`)
      return null
    }
    try {
      const replies = await build(this.link.client.multi()).exec()
      const failed = replies?.find(([err]) => err !== null)?.[0]
      if (replies === null || failed != null) throw failed ?? new Error('transaction discarded')
      this.link.up()
      return replies.map(([, value]) => value)
    } catch (err) {
      this.link.commandFailed((err as Error).message)
      return null
    }
  }
}
