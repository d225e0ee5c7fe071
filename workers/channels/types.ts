// The channel builder's inputs and outputs (SPEC §11, design note §2). Plain types: the
// builder is pure (no storage, no clock), so the command gathers these from the store and
// tests write them by hand. Instants are UTC epoch ms; dates are the channel's local days.

import type { Block, BlockSource, Breaks, Template, Weekday, ORIGIN_KINDS } from '../../contract/api.js'
import type { GuideMode, SegmentRole } from '../../contract/programmes.js'
import type { AT_END_MODES, OVERRIDE_REPLACES } from '../../contract/limits.js'

// The API's shapes (what a template and its blocks are) are the contract's; this file holds
// the domain's own: what a build reads (kept events, the sequential state, fixed events in UTC
// ms) and what it makes (BuiltEvent), which the channels repository stores as they are.
export type { Block, BlockSource, Breaks, Template, Weekday }
export type BlockOrder = NonNullable<Block['order']>
export type BlockFill = NonNullable<Block['fill']>
export type OverrideReplace = typeof OVERRIDE_REPLACES[number]
export type AtEnd = typeof AT_END_MODES[number]

/** A fixed one-off event of an override, its instants resolved to UTC ms when stored: wins over any block. */
export interface FixedEvent { title: string, start: number, end: number, video_url: string | null, category: string | null, description: string | null }

export interface Override {
  id: string
  /** later overrides win over earlier ones on the same time */
  seq: number
  name: string
  /** local dates, both included */
  from: string
  to: string
  days: Weekday[] | null
  /** SPEC §15: its blocks replace the template blocks they touch whole, or only the hours they cover */
  replace: OverrideReplace
  blocks: Block[]
  events: FixedEvent[]
}

/** An item of a source playlist, as the command reads it. */
export interface SourceItem {
  url: string | null
  title: string
  /** seconds; null = unknown (a build skips it, UNKNOWN_DURATION, unless the block sets assume_seconds: SPEC §16) */
  duration: number | null
  category: string | null
  /** random order's weight (M3U `weight="3"`); default 1 */
  weight?: number | null
  icon?: string | null
  /** SPEC §15: when known; sequential order follows them */
  season?: number | null
  episode?: number | null
  /** SPEC §16, from a media library: chapter starts after the first (ms), where breaks.at "chapters" puts breaks */
  chapters?: number[]
  /** SPEC §16: the plot a library's .nfo or tags gave; the year a film names */
  description?: string | null
  year?: number | null
  /** SPEC §16: why a library's file cannot air (zero length, unreadable); a build skips it, MEDIA_UNAVAILABLE */
  problem?: string | null
  /** videoKey of the item; computed when left out */
  key?: string
}

/**
 * Why a build keeps a stored event of its window as it is: it started before the window,
 * belongs to a schedule placed on the channel, was pinned by hand, or is frozen (aired, or in
 * the guide already: every event of a guide entry with any event before now + freeze_hours).
 */
export type KeptBecause = 'before' | 'placed' | 'pinned' | 'frozen'

/** A stored event the build keeps as it is and fills around. */
export interface KeptEvent {
  id: string
  title: string
  start: number
  end: number
  video_url: string | null
  kept: KeptBecause
  /**
   * Where it came from, when it was built (null: a hand add or a placed schedule's event), and
   * its videoKey as stored: a kept airing of a sequential block moves its series on (SPEC §15).
   */
  origin?: { kind: OriginKind, block?: string, source?: string, position?: number } | null
  video_key?: string
}

/** Where the last item a sequential block aired before the build sits in its source. */
export interface SequentialState {
  /** videoKey of the item */
  key: string
  /** its index in the source order (null: not recorded) */
  position: number | null
  /** sourceKey of the block's source when it aired (null: not recorded) */
  source: string | null
  /** its title: the item is found by key (URL or path), then by title (SPEC §15); said when it is gone */
  title?: string
}

export interface BuildInput {
  channel: { id: string, timezone: string, default_filler: string | null, default_filler_guide?: GuideMode | null }
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
  /** items by sourceKey(): 'playlist:<id>', 'playlist:<id>#<group>', 'collection:<id>' (source-kinds/) */
  sources: Map<string, SourceItem[]>
  kept: KeptEvent[]
  /** the channel's stored plays (sorted starts by videoKey) around the window, minus those being replaced */
  plays: Map<string, number[]>
  /** by block id */
  sequential: Map<string, SequentialState>
  /** a filler or break playlist's guide mode (SPEC §14), by playlist id; missing: null (the default rule) */
  playlistGuides?: Map<string, GuideMode | null>
  /** SPEC §15: cooldown_hours by playlist id, of the playlists that set one (an item's cooldown resolves through it) */
  playlistCooldowns?: Map<string, number>
}

export type OriginKind = typeof ORIGIN_KINDS[number]

export interface BuiltEvent {
  title: string
  start: number
  end: number
  video_url: string | null
  video_key: string
  category: string | null
  /** a fixed event's, or the item's (SPEC §16: a library's plot), when it gives one */
  description?: string | null
  /** the item's year (SPEC §16), stored as its tags (event-tags.ts) */
  year?: number | null
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
  /**
   * SPEC §14: the programme it is a segment of (an airing of an item with its breaks and the
   * pad after it; a fixed event; a stretch of filler), its role there, and its source's guide
   * mode (null: the default rule)
   */
  programme_id: string
  segment_role: SegmentRole
  guide_mode: GuideMode | null
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
  /** SPEC §16: airings whose length is their block's assume_seconds (their duration unknown) */
  items_assumed: number
}

export type BuildWarningCode = 'EMPTY_SOURCE' | 'SOURCE_MISSING' | 'SOURCE_TOO_SMALL' | 'BLOCK_NOT_FILLED' | 'NO_DEFAULT_FILLER' |
  'ITEM_PUSHED' | 'ITEM_CUT' | 'FIXED_OVERLAP' | 'SEQUENTIAL_RESTARTED' | 'BREAK_FILLER_EMPTY' | 'SERIES_WRAPPED' | 'LEFT_TO_FILLER' |
  'UNKNOWN_DURATION' | 'MEDIA_UNAVAILABLE'

export interface BuildWarning { code: BuildWarningCode, message: string, block?: string, date?: string }

export interface BuildResult {
  /** sorted by start, never overlapping */
  events: BuiltEvent[]
  stats: BuildStats
  /** the first MAX_WARNINGS */
  warnings: BuildWarning[]
  warnings_total: number
}
