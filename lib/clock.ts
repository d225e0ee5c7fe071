/**
 * The service's clock: this machine's, moved by an offset a test sets (PUT /api/_test/clock,
 * with SCHEDULEFLOW_TEST_COMMANDS only). Everything time-driven reads it: the on-air ticks, the
 * now plan's offsets, and every worker operation, which the pool gives the offset
 * (TaskHeader.clockOffsetMs), so "days pass" in a test without a sleep.
 */
export class ServiceClock {
  private offset = 0

  now (): number {
    return Date.now() + this.offset
  }

  /** How far this clock is from the machine's, ms. */
  get offsetMs (): number {
    return this.offset
  }

  /** Moves the clock so that it reads `ms` now; it runs on from there. */
  set (ms: number): void {
    this.offset = ms - Date.now()
  }
}
