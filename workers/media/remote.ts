import { PROBE_CONCURRENCY, REMOTE_PROBE_BUDGET_MS, REMOTE_PROBE_MAX_AGE_MS, REMOTE_PROBE_RETRY_MS } from '../../contract/limits.js'
import type { Store } from '../storage/store.js'
import { isLiveUrl, isRemote, probeRemote } from './probe.js'

// Remote items' lengths (SPEC §16): an http(s) playlist item with no duration is probed with
// the short remote timeout, and the answer is kept by URL in remote_probes, trusted for a day
// (REMOTE_PROBE_MAX_AGE_MS; a failure only REMOTE_PROBE_RETRY_MS), so a build or an import
// does not probe the same URL again. Live sources (LIVE_SCHEMES) are answered without a probe.

/** What is known of one remote item. */
export interface RemoteLength {
  /** ms; null: unknown (live, or the probe failed) */
  durationMs: number | null
  /** a live stream: it airs only as a fixed event */
  live: boolean
  /** why it cannot air; null: it can */
  problem: string | null
}

export interface RemoteOptions {
  /** default REMOTE_PROBE_BUDGET_MS */
  budgetMs?: number
  /** one probe's; default REMOTE_PROBE_TIMEOUT_MS */
  timeoutMs?: number
  /** the ffprobe binary; default ffprobePath() */
  ffprobe?: string
}

/** The URLs remoteDurations answers: http(s) (probed) and live schemes (answered as live). */
export const isRemoteItem = (location: string): boolean => isRemote(location) || isLiveUrl(location)

/**
 * Each of `urls`' length, live flag and problem, by URL, from the stored probes younger than a
 * day (failures: REMOTE_PROBE_RETRY_MS), else probed now (PROBE_CONCURRENCY at once) and
 * stored. `atMs` is the service clock's now (a command's ctx.now()). Strings that are no
 * remote item are left out, and so are URLs still unprobed when `budgetMs` ran out (the
 * caller treats them as unknown; the next call probes them: the probes made are stored).
 * It writes to `store` while it runs: the caller awaits it before using the store again.
 */
export async function remoteDurations (store: Store, urls: Iterable<string>, atMs: number, options: RemoteOptions = {}): Promise<Map<string, RemoteLength>> {
  const answers = new Map<string, RemoteLength>()
  const wanted = [...new Set(urls)].filter(isRemoteItem)
  for (const url of wanted.filter(isLiveUrl)) answers.set(url, { durationMs: null, live: true, problem: null })
  const remote = wanted.filter((u) => !isLiveUrl(u))
  if (remote.length === 0) return answers
  const stored = await store.media.remoteProbes(remote)
  const toProbe: string[] = []
  for (const url of remote) {
    const row = stored.get(url)
    const maxAge = row?.problem === null ? REMOTE_PROBE_MAX_AGE_MS : REMOTE_PROBE_RETRY_MS
    if (row !== undefined && atMs - Number(row.probed_ms) < maxAge && Number(row.probed_ms) <= atMs) {
      answers.set(url, { durationMs: row.duration_ms === null ? null : Number(row.duration_ms), live: Number(row.live) === 1, problem: row.problem })
    } else toProbe.push(url)
  }
  const stopAt = Date.now() + (options.budgetMs ?? REMOTE_PROBE_BUDGET_MS)
  // PROBE_CONCURRENCY lanes take the next URL while the budget lasts; the answers are stored
  // one after another (a worker's store runs one write at a time), each as soon as it is known
  let storing = Promise.resolve()
  const lane = async (): Promise<void> => {
    for (let url = toProbe.shift(); url !== undefined && Date.now() < stopAt; url = toProbe.shift()) {
      const p = await probeRemote(url, { timeoutMs: options.timeoutMs, ffprobe: options.ffprobe })
      const answer: RemoteLength = { durationMs: p.durationMs, live: p.live === true, problem: p.problem }
      const row = { url, duration_ms: answer.durationMs, live: answer.live ? 1 : 0, problem: answer.problem, probed_ms: atMs }
      storing = storing.then(async () => store.media.storeRemoteProbe(row))
      storing.catch(() => {}) // awaited below: not an unhandled rejection meanwhile
      answers.set(url, answer)
    }
  }
  await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, lane))
  await storing
  return answers
}
