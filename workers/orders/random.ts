import { lowerBound } from '../sorted.js'
import type { PlayLog } from './play-log.js'
import { seededRandom } from './seeded.js'
import type { Choice, Entry, Fits, Order } from './types.js'

/** How many draws a pick makes before it looks for the least recent item instead. */
const DRAWS = 16
/** How many entries that look goes through: bounded work, as the rotation's SCAN_WINDOW. */
const RANDOM_SCAN = 256

/** An item's weight: its own when a positive number, else 1. */
const weightOf = (e: Entry): number => typeof e.item.weight === 'number' && e.item.weight > 0 && Number.isFinite(e.item.weight) ? e.item.weight : 1

/**
 * When every draw was in cooldown or too long: the least recently aired entry that fits among
 * the RANDOM_SCAN from `from`, one out of cooldown first. Null when none fits, or when one out
 * of cooldown is only too long (as for shuffle: pad or gap, not a broken cooldown).
 */
function leastRecentFitting (
  entries: Entry[], from: number, t: number, fits: Fits, plays: PlayLog, cooldownOf: (e: Entry) => number
): Choice | null {
  let best: Entry | null = null
  let bestLast = Infinity
  let free = false
  let tooLongFree = false
  for (let k = 0; k < Math.min(entries.length, RANDOM_SCAN); k++) {
    const e = entries[(from + k) % entries.length]
    const isFree = plays.conflict(e.key, t, cooldownOf(e)) === null
    if (!fits(e.ms, e)) { tooLongFree ||= isFree; continue }
    const last = plays.lastBefore(e.key, t)
    if ((isFree && !free) || (isFree === free && last < bestLast)) { best = e; bestLast = last; free = isFree }
  }
  if (best === null || (!free && tooLongFree)) return null
  return { entry: best, reason: free ? `random: least recently aired out of cooldown after ${DRAWS} draws` : 'random: every item in cooldown; least recent', overridden: !free, episodeNum: null }
}

/** random: with replacement, weighted by `weight` (default 1); an item in cooldown or too long is drawn again, up to DRAWS times. */
export const random: Order = {
  keepsCooldown: true,
  picker (entries, { seed, plays, cooldownMs, cooldownOf = () => cooldownMs }) {
    const weights = entries.map(weightOf)
    const cumulative: number[] = []
    let total = 0
    for (const w of weights) cumulative.push(total += w)
    const next = seededRandom(seed)
    const draw = (): number => Math.min(entries.length - 1, lowerBound(cumulative, next() * total + Number.EPSILON))
    const spoken = (i: number): string => `random: weight ${weights[i]} of ${total}`
    return {
      choose (t, fits) {
        if (entries.length === 0) return null
        for (let attempt = 0; attempt < DRAWS; attempt++) {
          const i = draw()
          const e = entries[i]
          if (!fits(e.ms, e) || plays.conflict(e.key, t, cooldownOf(e)) !== null) continue
          return { entry: e, reason: attempt > 0 ? `${spoken(i)} (drawn again ${attempt}×: cooldown or length)` : spoken(i), overridden: false, episodeNum: null }
        }
        return leastRecentFitting(entries, draw(), t, fits, plays, cooldownOf)
      },
      aired (choice, t) { plays.add(choice.entry.key, t) }
    }
  }
}
