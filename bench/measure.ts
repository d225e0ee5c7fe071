import { spawn } from 'node:child_process'

export interface Timing {
  calls: number
  totalMs: number
  meanMs: number
  p50Ms: number
  p95Ms: number
  perSecond: number
}

export function summarize (samples: number[], wallMs: number): Timing {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]
  return {
    calls: samples.length,
    totalMs: wallMs,
    meanMs: samples.reduce((a, b) => a + b, 0) / samples.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    perSecond: (samples.length / wallMs) * 1000
  }
}

/** Runs `call` `total` times from `callers` concurrent loops; each sample is one call's latency. */
export async function timeCalls (total: number, callers: number, call: () => Promise<unknown>): Promise<Timing> {
  const samples: number[] = []
  let next = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: callers }, async () => {
    while (next < total) {
      next++
      const t0 = performance.now()
      await call()
      samples.push(performance.now() - t0)
    }
  }))
  return summarize(samples, performance.now() - started)
}

/** The baseline every pooled figure is compared with: a bare `node -e 0`. */
export function bareNodeSpawn (): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', () => resolve())
  })
}

/** The middle value (the upper of the two middle ones for an even count). */
export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

export const fmt = (v: number, digits = 1): string => v.toFixed(digits)

export function row (label: string, t: Timing, baseline?: Timing): string {
  const ratio = baseline !== undefined ? `  ${fmt(t.meanMs / baseline.meanMs, 2)}× baseline mean` : ''
  return `${label.padEnd(44)} mean ${fmt(t.meanMs).padStart(7)} ms  p50 ${fmt(t.p50Ms).padStart(7)} ms  p95 ${fmt(t.p95Ms).padStart(7)} ms  ${fmt(t.perSecond).padStart(7)}/s${ratio}`
}
