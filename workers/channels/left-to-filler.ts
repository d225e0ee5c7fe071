import { LEFT_TO_FILLER_MINUTES } from '../../contract/limits.js'
import { lowerBound } from '../sorted.js'
import type { Displaced, FreeInterval } from './plan.js'
import type { LocalDay } from './wall-time.js'
import type { BuildWarning } from './types.js'

// LEFT_TO_FILLER (SPEC §15): an override whose blocks replace a template block whole
// (`replace: "blocks"`) can leave part of the replaced block to the default filler (an
// override block 13:00–19:00 over a template block 11:00–19:00 leaves 11:00–13:00). That time
// was a block's before the override came, so a build says so, in local times, once per
// stretch, rather than airing hours of promos with only a count of filler minutes as a trace.

const MINUTE_MS = 60_000

interface Hit { start: number, end: number, d: Displaced }

/** Overlapping or touching hits joined into runs, each with the hits it holds. */
function runsOf (hits: Hit[]): Array<{ start: number, end: number, hits: Hit[] }> {
  const runs: Array<{ start: number, end: number, hits: Hit[] }> = []
  for (const h of hits) {
    const last = runs.at(-1)
    if (last === undefined || h.start > last.end) { runs.push({ start: h.start, end: h.end, hits: [h] }); continue }
    last.end = Math.max(last.end, h.end)
    last.hits.push(h)
  }
  return runs
}

/** What covered the time: `the template's block "films"`, `override "Summer"'s block "beach"`. */
const coveredBy = ({ segment }: Displaced): string =>
  segment.override === null ? `the template's block "${segment.block.id}"` : `override "${segment.override.name}"'s block "${segment.block.id}"`

const listed = (words: string[]): string => words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`

/**
 * The warnings for the empty `stretches` (what the default filler airs, or nothing) that
 * displaced block instances covered, each run longer than LEFT_TO_FILLER_MINUTES said once.
 */
export function leftToFiller (
  stretches: FreeInterval[], displaced: Displaced[], days: LocalDay[], clock: (ms: number) => string, hasFiller: boolean
): BuildWarning[] {
  if (displaced.length === 0) return []
  const sorted = [...displaced].sort((a, b) => a.start - b.start)
  const starts = sorted.map((d) => d.start)
  const longest = Math.max(...sorted.map((d) => d.end - d.start))
  const warnings: BuildWarning[] = []
  for (const stretch of stretches) {
    const hits: Hit[] = []
    for (let i = lowerBound(starts, stretch.start - longest); i < sorted.length && sorted[i].start < stretch.end; i++) {
      const d = sorted[i]
      const start = Math.max(d.start, stretch.start)
      const end = Math.min(d.end, stretch.end)
      if (start < end) hits.push({ start, end, d })
    }
    hits.sort((a, b) => a.start - b.start)
    for (const run of runsOf(hits)) {
      if (run.end - run.start <= LEFT_TO_FILLER_MINUTES * MINUTE_MS) continue
      const date = days.find((d) => d.start <= run.start && run.start < d.end)?.date ?? days[0].date
      const overrides = [...new Set(run.hits.map((h) => `override "${h.d.by.name}"`))]
      const blocks = [...new Set(run.hits.map((h) => coveredBy(h.d)))]
      warnings.push({
        code: 'LEFT_TO_FILLER',
        block: run.hits[0].d.segment.block.id,
        date,
        message: `${listed(overrides)} ${overrides.length > 1 ? 'leave' : 'leaves'} ${clock(run.start)}–${clock(run.end)} on ${date} to the default filler${hasFiller ? '' : ' (the channel has none: nothing airs)'}: ${listed(blocks)} covered it`
      })
    }
  }
  return warnings
}
