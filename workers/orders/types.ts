import type { AtEnd, SequentialState, SourceItem } from '../channels/types.js'
import type { PlayLog } from './play-log.js'

// The interface every order implements (SPEC §11): a picker built once per block for the
// whole build, asked for the next item at an instant and told what aired. One module per
// order (shuffle.ts, sequential.ts, random.ts), registered in index.ts.

/** An item with what the pickers need of it. */
export interface Entry { item: SourceItem, key: string, position: number, ms: number }

/** Whether an entry of `ms` fits where a pick would air; the entry too, since its breaks inside it can depend on its chapter marks (SPEC §15). */
export type Fits = (ms: number, entry: Entry) => boolean

export interface Choice {
  entry: Entry
  /** why, in the words the event's `reason` carries */
  reason: string
  /** aired inside its cooldown: nothing else could */
  overridden: boolean
  /** xmltv_ns episode number (sequential) */
  episodeNum: string | null
}

/** Where a pick would air: the block instance's end, and where an item of `ms` starts (later than the pick's instant when it is pushed after an obstacle). */
export interface PickRoom { blockEnd: number, landsAt: (ms: number) => number }

export interface Picker {
  /** The next item for `t` whose length (ms) `fits` accepts, or null when none may (the choice is not yet aired). */
  choose: (t: number, fits: Fits, room?: PickRoom) => Choice | null
  aired: (choice: Choice, t: number) => void
}

/** An airing of a block's series that the build keeps: it moves the series on when the build passes it. */
export interface KeptAiring extends SequentialState {
  start: number
  /** an airing of this block (else an event of no block, a hand add or a placed schedule's, counted only when its key is an item of the source) */
  own: boolean
}

export interface SeriesHooks {
  /** the series starts again from its first item: `last` (its last aired item's title) is not in the source */
  restarted: (last: string) => void
  /** the series wraps (at_end loop): the first item airs at `t` after `last` */
  wrapped: (last: string, t: number) => void
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
  /** the airings of the block's series that the build keeps, by start (sequential) */
  kept?: readonly KeptAiring[]
  /** what a sequential block does after its last item (default DEFAULT_AT_END) */
  atEnd?: AtEnd
  /** told when the series starts again (its last aired item is gone) or wraps (at_end loop) */
  series?: SeriesHooks
}

export interface Order {
  /** Whether the block's cooldown limits what this order picks (false: the order itself is the point). */
  keepsCooldown: boolean
  picker: (entries: Entry[], ctx: OrderContext) => Picker
}
