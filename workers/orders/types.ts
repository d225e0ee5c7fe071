import type { SequentialState, SourceItem } from '../channels/types.js'
import type { PlayLog } from './play-log.js'

// The interface every order implements (SPEC §11): a picker built once per block for the
// whole build, asked for the next item at an instant and told what aired. One module per
// order (shuffle.ts, sequential.ts, random.ts), registered in index.ts.

/** An item with what the pickers need of it. */
export interface Entry { item: SourceItem, key: string, position: number, ms: number }

export interface Choice {
  entry: Entry
  /** why, in the words the event's `reason` carries */
  reason: string
  /** aired inside its cooldown: nothing else could */
  overridden: boolean
  /** xmltv_ns episode number (sequential) */
  episodeNum: string | null
}

export interface Picker {
  /** The next item for `t` whose length (ms) `fits` accepts, or null when none may (the choice is not yet aired). */
  choose: (t: number, fits: (ms: number) => boolean) => Choice | null
  aired: (choice: Choice, t: number) => void
}

/** What a build gives the picker of one block. */
export interface OrderContext {
  /** this block's seed (the build's seed and the block's key) */
  seed: string
  /** the plays every picker of the build shares */
  plays: PlayLog
  /** the window's start: the last play before it is each item's last play */
  start: number
  cooldownMs: number
  /** SPEC §15: an item's own cooldown (ms) when items of the block differ; else cooldownMs for each */
  cooldownOf?: (entry: Entry) => number
  /** sourceKey() of the block's source */
  source: string
  /** where the block's last item before the build sits in its source */
  state: SequentialState | undefined
  /** told when the carried state no longer applies and the order starts again */
  onRestart: () => void
}

export interface Order {
  /** Whether the block's cooldown limits what this order picks (false: the order itself is the point). */
  keepsCooldown: boolean
  picker: (entries: Entry[], ctx: OrderContext) => Picker
}
