import { spokenLength } from '../autofill/clock.js'
import { lowerBound } from '../sorted.js'
import type { Choice, Entry, Fits, PlayLog } from '../orders/index.js'

// before_fixed: "best_fit" (SPEC §15). When the item a block's order chose does not fit before
// a fixed (or kept) event that cuts into the block, the default (`pad`) pushes it after the
// event and pads up to it, which can leave most of an hour of promos where a shorter
// programme would fit. best_fit airs instead the longest item of the block's source that is
// out of its cooldown and fits the time left (with room for the breaks inside it), and asks
// again after it: a greedy first-fit-decreasing, so what is left to pad is shorter than every
// item of the source out of cooldown. The item the order chose is not aired: the order offers
// it again after the event. A sequential block never takes it (airing another episode would
// break its order), nor a block of one fixed item (it has nothing else).

/** How many fitting items one pick looks at for one out of cooldown: bounded work, as the orders' scans. */
export const BEST_FIT_SCAN = 256

export class BestFit {
  /** one entry per video, shortest first */
  private readonly entries: Entry[]
  private readonly lengths: number[]

  constructor (entries: Entry[], private readonly plays: PlayLog, private readonly cooldownMs: number) {
    const byKey = new Map<string, Entry>()
    for (const e of entries) if (!byKey.has(e.key)) byKey.set(e.key, e)
    this.entries = [...byKey.values()].sort((a, b) => a.ms - b.ms || a.position - b.position)
    this.lengths = this.entries.map((e) => e.ms)
  }

  /**
   * The longest entry that runs at most `room`, that `fits` accepts (its breaks counted) and
   * that is out of its cooldown at `t`; null when none (the block pads the rest). `before`
   * names the event, for the reason.
   */
  choose (t: number, room: number, fits: Fits, before: string): Choice | null {
    let above = lowerBound(this.lengths, room)
    while (above < this.lengths.length && this.lengths[above] <= room) above++
    for (let i = above - 1, looked = 0; i >= 0 && looked < BEST_FIT_SCAN; i--, looked++) {
      const e = this.entries[i]
      if (!fits(e.ms, e) || this.plays.conflict(e.key, t, this.cooldownMs) !== null) continue
      return { entry: e, reason: `best fit before ${before}: the longest item out of cooldown that fits the ${spokenLength(room)} left`, overridden: false, episodeNum: null }
    }
    return null
  }
}
