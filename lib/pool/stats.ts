import type { PoolFailure, PoolStats, RecentError } from './types.js'

// What the pool counts for /api/queue-stats, metrics and the dashboard: totals since start,
// peaks, a window of latencies and the last refusals and failures.

const LATENCY_WINDOW = 1024
const RECENT_ERRORS = 20

function percentile (sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

export class PoolCounters {
  readonly totals: PoolStats['totals'] = { spawned: 0, processed: 0, succeeded: 0, errors: 0, refused: 0, failed: 0, timeouts: 0, crashes: 0, rejected: 0, dropped: 0, refused_per_owner: 0 }
  readonly peaks: PoolStats['peaks'] = { active: 0, queued: 0 }
  private readonly latencies: number[] = []
  private latencyCursor = 0
  private readonly recentErrors: RecentError[] = []

  /** Time from a call's arrival to its answer, in a ring of the last LATENCY_WINDOW. */
  recordLatency (ms: number): void {
    if (this.latencies.length < LATENCY_WINDOW) this.latencies.push(ms)
    else this.latencies[this.latencyCursor] = ms
    this.latencyCursor = (this.latencyCursor + 1) % LATENCY_WINDOW
  }

  succeeded (): void {
    this.totals.processed++
    this.totals.succeeded++
  }

  /** Refusals (4xx) are listed with failures (5xx): the dashboard's counts and its list are of the same operations. */
  failed (command: string, requestId: string, failure: PoolFailure, status: number): void {
    this.totals.processed++
    this.totals.errors++
    if (status < 500) this.totals.refused++
    else this.totals.failed++
    if (failure.kind === 'timeout') this.totals.timeouts++
    if (failure.kind === 'crashed') this.totals.crashes++
    this.recentErrors.unshift({ time: new Date().toISOString(), command, status, code: failure.code, message: failure.message, request_id: requestId })
    this.recentErrors.length = Math.min(this.recentErrors.length, RECENT_ERRORS)
  }

  snapshot (): Pick<PoolStats, 'totals' | 'peaks' | 'latency_ms' | 'recent_errors'> {
    const sorted = [...this.latencies].sort((a, b) => a - b)
    const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10)
    return {
      totals: { ...this.totals },
      peaks: { ...this.peaks },
      latency_ms: { samples: sorted.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)) },
      recent_errors: [...this.recentErrors]
    }
  }
}
