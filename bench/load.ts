import autocannon from 'autocannon'
import { fmt } from './measure.js'

// HTTP load with autocannon, the way guide clients and panels poll: N connections for a few
// seconds. autocannon reports p97.5 but not p95, so each response time is kept and p95 is
// read from them.

export interface LoadFigure {
  rps: number
  p50: number
  p95: number
  statuses: Record<string, number>
  non2xx: number
}

async function once (url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<LoadFigure> {
  const times: number[] = []
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers }, (err, result) => err ? reject(err) : resolve(result))
    instance.on('response', (_client, _status, _bytes, ms) => { times.push(ms) })
  })
  times.sort((a, b) => a - b)
  const at = (p: number): number => times.length === 0 ? NaN : times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]
  return { rps: r.requests.average, p50: at(0.5), p95: at(0.95), non2xx: r.non2xx, statuses: { '2xx': r['2xx'], '3xx': r['3xx'], '4xx': r['4xx'], '5xx': r['5xx'] } }
}

/** One second of warm-up, then `seconds` measured. */
export async function load (url: string, connections: number, { seconds = 3, headers = {} as Record<string, string> } = {}): Promise<LoadFigure> {
  await once(url, connections, 1, headers)
  return once(url, connections, seconds, headers)
}

export const loadLine = (label: string, f: LoadFigure): string =>
  `${label.padEnd(52)} ${fmt(f.rps, 0).padStart(7)} requests/s  p50 ${fmt(f.p50, 1)} ms  p95 ${fmt(f.p95, 1)} ms  ${Object.entries(f.statuses).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(' ')}`

/** The round of median throughput, with the median of each latency figure over the rounds. */
export function medianFigure (rounds: LoadFigure[]): LoadFigure {
  const median = (pick: (f: LoadFigure) => number): number => rounds.map(pick).sort((a, b) => a - b)[Math.floor(rounds.length / 2)]
  const middle = [...rounds].sort((a, b) => a.rps - b.rps)[Math.floor(rounds.length / 2)]
  return { ...middle, p50: median((f) => f.p50), p95: median((f) => f.p95) }
}
