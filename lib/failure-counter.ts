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
