// The channel builder's inputs and outputs (SPEC §11, design note §2). Plain types: the
// builder is pure (no storage, no clock), so the command gathers these from the store and
// tests write them by hand. Instants are UTC epoch ms; dates are the channel's local days.
// To be reconciled with contract/api.ts's Channels section (the shapes written to the API).

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
export type BlockOrder = 'shuffle' | 'sequential' | 'random'
export type BlockFill = 'pad' | 'gap' | 'cut'

/** One fixed item a block airs over and over (news at 08:00). */
export interface FixedItem { url: string, title: string, duration: number | null }

/** Where a block's items come from: a playlist, one of its groups (category), or one item. */
export type BlockSource = { playlist: string, group?: string | null } | { item: FixedItem }

export interface Breaks {
  /** A break after every this many minutes of content. */
  every_minutes: number
  /** Each break lasts up to this long (its fillers, none cut). */
  max_seconds: number
  /** The playlist the breaks air (idents, trailers, adverts). */
  filler: string
}

/** A template (or override) block: local wall-clock times on some weekdays. */
export interface Block {
  id: string
  days: Weekday[]
  /** HH:MM local; an end at or before the start runs past midnight */
  start: string
  end: string
  /** One guide entry for the whole block instance under this title; else one per item. */
  title?: string | null
  source: BlockSource
  order?: BlockOrder
  /** default: the template's */
  cooldown_hours?: number | null
  fill?: BlockFill
  /** the playlist `pad` fills the block's end from */
  filler?: string | null
  breaks?: Breaks | null
}

export interface Template { cooldown_hours: number, blocks: Block[] }

/** A fixed one-off event of an override: wins over any block. */
export interface OverrideEvent { title: string, start: number, end: number, video_url: string | null }

export interface Override {
  id: string
  /** later overrides win over earlier ones on the same time */
  seq: number
  name: string
  /** local dates, both included */
  from: string
  to: string
  days: Weekday[] | null
  blocks: Block[]
  events: OverrideEvent[]
}

/** An item of a source playlist, as the command reads it. */
export interface SourceItem {
  url: string | null
  title: string
  /** seconds; null = unknown (airs DEFAULT_ITEM_SECONDS) */
  duration: number | null
  category: string | null
  /** random order's weight (M3U `weight="3"`); default 1 */
  weight?: number | null
  icon?: string | null
  /** videoKey of the item; computed when left out */
  key?: string
}

/** A stored event the build keeps as it is and fills around. */
export interface KeptEvent {
  id: string
  title: string
  start: number
  end: number
  video_url: string | null
  /** why it is kept: aired or in the guide already, edited by hand, or a schedule placed on the channel */
  kept: 'frozen' | 'pinned' | 'placed'
}

/** Where the last item a sequential block aired before the build sits in its source. */
export interface SequentialState {
  /** videoKey of the item */
  key: string
  /** its index in the source order */
  position: number
  /** sourceKey of the block's source when it aired */
  source: string
}

export interface BuildInput {
  channel: { id: string, timezone: string, default_filler: string | null }
  template: Template
  /** sorted by seq; fixed events already in UTC ms */
  overrides: Override[]
  /** local dates, both included */
  from: string
  to: string
  seed: string
  /** the build never reads a clock */
  now: number
  /** keep what starts before now + freezeMs (the command reads those as kept events) */
  freezeMs: number
  buildId: string
  /** items by sourceKey(): 'playlist:<id>' and 'playlist:<id>#<group>' */
  sources: Map<string, SourceItem[]>
  kept: KeptEvent[]
  /** the channel's stored plays (sorted starts by videoKey) around the window, minus those being replaced */
  plays: Map<string, number[]>
  /** by block id */
  sequential: Map<string, SequentialState>
}

export type OriginKind = 'item' | 'filler' | 'break' | 'fixed' | 'default'

export interface BuiltEvent {
  title: string
  start: number
  end: number
  video_url: string | null
  video_key: string
  category: string | null
  icon: string | null
  origin: { kind: OriginKind, block?: string, override?: string }
  /** sourceKey of where it came from */
  origin_source: string | null
  /** index in the source order (episode number − 1 for sequential) */
  origin_position: number | null
  reason: string
  /** events with one guide_id are one guide entry */
  guide_id: string
  /** the guide entry's title when it is not the event's (a block's title) */
  guide_title: string | null
  /** offset into the media: a part after a break, or a cut item's rest */
  in_ms: number
  /** xmltv_ns, e.g. `.4/12.` for episode 5 of 12 */
  episode_num: string | null
  build_id: string
}

export interface BuildStats {
  events: number
  blocks: number
  minutes_filled: number
  minutes_padded: number
  minutes_breaks: number
  minutes_default: number
  minutes_empty: number
  cooldown_overrides: number
  items_cut: number
  items_pushed: number
  kept_frozen: number
  kept_pinned: number
  kept_placed: number
}

export type BuildWarningCode = 'EMPTY_SOURCE' | 'SOURCE_MISSING' | 'SOURCE_TOO_SMALL' | 'BLOCK_NOT_FILLED' | 'NO_DEFAULT_FILLER' |
  'ITEM_PUSHED' | 'ITEM_CUT' | 'FIXED_OVERLAP' | 'SEQUENTIAL_RESTARTED' | 'BREAK_FILLER_EMPTY'

export interface BuildWarning { code: BuildWarningCode, message: string, block?: string, date?: string }

export interface BuildResult {
  /** sorted by start, never overlapping */
  events: BuiltEvent[]
  stats: BuildStats
  /** the first MAX_WARNINGS */
  warnings: BuildWarning[]
  warnings_total: number
}
