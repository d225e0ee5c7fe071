import { DEFAULT_COOLDOWN_HOURS } from '../../contract/limits.js'
import type { SegmentRole } from '../../contract/programmes.js'
import type { Block, OriginKind, Template } from './types.js'
import type { Store } from '../storage/store.js'

// SPEC §15, "cooldown counts programmes": which pieces of a channel's timeline count as an
// airing of their video, and how long each keeps its video from airing again. One rule for
// the builder's pickers, the marks of a channel's events and an edit's warnings.
// - Exempt (no airing, never marked, never what a replay follows): the later parts of an
//   airing (in_ms > 0: after a break, the rest of a pushed or cut item), fixed events, and,
//   unless a source sets `cooldown_hours`, filler, pad, break and default-filler clips and a
//   block's fixed item (`source: { item }`; its block's cooldown_hours is its source's).
// - Counted: an item of a block (its airing's first part), an event added by hand or of a
//   placed schedule. Its cooldown: block cooldown_hours > playlist cooldown_hours > template
//   cooldown_by_category[category] > template cooldown_hours (default 48 h).

const HOUR_MS = 3_600_000

/** What a piece of a channel's timeline says of itself: what tells whether it counts and which cooldown it has. */
export interface Piece {
  origin_kind: OriginKind | null
  origin_block: string | null
  origin_override: string | null
  origin_source: string | null
  segment_role: SegmentRole | null
  in_ms: number
  category: string | null
}

/** What a channel's cooldowns are resolved from. */
export interface CooldownFacts {
  template: Pick<Template, 'cooldown_hours' | 'cooldown_by_category' | 'blocks'>
  overrides: ReadonlyArray<{ id: string, blocks: readonly Block[] }>
  /** cooldown_hours by playlist id, of the playlists that set one */
  playlists: ReadonlyMap<string, number>
  defaultFiller: string | null
}

/** The playlist of a source key (`playlist:<id>` or `playlist:<id>#<group>`); null for an item or none. */
export function playlistOfSource (source: string | null | undefined): string | null {
  if (source == null || !source.startsWith('playlist:')) return null
  const rest = source.slice('playlist:'.length)
  const hash = rest.indexOf('#')
  return hash < 0 ? rest : rest.slice(0, hash)
}

/** An item's cooldown in hours (SPEC §15): block > playlist > template by category > template. */
export function itemCooldownHours (
  facts: Pick<CooldownFacts, 'template' | 'playlists'>,
  block: Pick<Block, 'cooldown_hours'> | undefined,
  playlistId: string | null,
  category: string | null
): number {
  if (block?.cooldown_hours != null) return block.cooldown_hours
  const ofPlaylist = playlistId === null ? undefined : facts.playlists.get(playlistId)
  if (ofPlaylist !== undefined) return ofPlaylist
  const ofCategory = category === null ? undefined : facts.template.cooldown_by_category?.[category]
  if (ofCategory !== undefined) return ofCategory
  return facts.template.cooldown_hours ?? DEFAULT_COOLDOWN_HOURS
}

/** The playlists a block draws filler of a kind from (its pad filler falls back to the channel's default). */
function fillerPlaylists (
  block: Block | undefined,
  kind: OriginKind | null,
  role: SegmentRole | null,
  defaultFiller: string | null
): Array<string | null | undefined> {
  if (kind === 'default') return [defaultFiller]
  if (kind === 'break' || role === 'break') return [block?.breaks?.filler, block?.breaks?.bumper_in, block?.breaks?.bumper_out]
  return [block?.filler ?? defaultFiller]
}

export class CooldownPolicy {
  private readonly blocks = new Map<string, Block>()
  /** The longest cooldown any piece may have (ms): how far around a page its marks read. */
  readonly longestMs: number

  constructor (private readonly facts: CooldownFacts) {
    for (const b of facts.template.blocks) this.blocks.set(`/${b.id}`, b)
    for (const o of facts.overrides) for (const b of o.blocks) this.blocks.set(`${o.id}/${b.id}`, b)
    const hours = [
      facts.template.cooldown_hours ?? DEFAULT_COOLDOWN_HOURS,
      ...Object.values(facts.template.cooldown_by_category ?? {}),
      ...[...this.blocks.values()].map((b) => b.cooldown_hours ?? 0),
      ...facts.playlists.values()
    ]
    this.longestMs = Math.max(0, ...hours) * HOUR_MS
  }

  /** The block a piece was built by (as the template and overrides are now), if it still exists. */
  private blockOf (p: Piece): Block | undefined {
    return p.origin_block === null ? undefined : this.blocks.get(`${p.origin_override ?? ''}/${p.origin_block}`)
  }

  /** How long (ms) the piece keeps its video from airing again; null: exempt, it is no airing. */
  of (p: Piece): number | null {
    if (p.in_ms > 0 || p.origin_kind === 'fixed') return null
    const block = this.blockOf(p)
    const role = p.segment_role
    if (p.origin_kind === 'filler' || p.origin_kind === 'break' || p.origin_kind === 'default' || role === 'break' || role === 'pad') {
      const own = playlistOfSource(p.origin_source)
      for (const playlist of own !== null ? [own] : fillerPlaylists(block, p.origin_kind, role, this.facts.defaultFiller)) {
        const hours = playlist == null ? undefined : this.facts.playlists.get(playlist)
        if (hours !== undefined) return hours * HOUR_MS
      }
      return null
    }
    // A block's fixed item: its source is the block itself.
    if (p.origin_source?.startsWith('item:') === true) return block?.cooldown_hours == null ? null : block.cooldown_hours * HOUR_MS
    return itemCooldownHours(this.facts, block, playlistOfSource(p.origin_source), p.category) * HOUR_MS
  }
}

/**
 * The playlists a channel's cooldowns may name: those its template, overrides and default
 * filler draw from (a playlist no block names any more resolves as if it set none, so an
 * unrelated long cooldown never widens a channel's reads).
 */
export function namedPlaylists (
  template: Pick<Template, 'blocks'>,
  overrides: ReadonlyArray<{ blocks: readonly Block[] }>,
  defaultFiller: string | null
): Set<string> {
  const named = new Set<string>(defaultFiller === null ? [] : [defaultFiller])
  for (const b of [...template.blocks, ...overrides.flatMap((o) => o.blocks)]) {
    if ('playlist' in b.source) named.add(b.source.playlist)
    for (const id of [b.filler, b.breaks?.filler, b.breaks?.bumper_in, b.breaks?.bumper_out]) if (id != null) named.add(id)
  }
  // A filler may name a collection (its id has ':', SPEC §16): no playlist, no cooldown of its own.
  for (const id of named) if (id.includes(':')) named.delete(id)
  return named
}

/** A channel's policy as its template, overrides and playlists are now (the marks' and edits'); null: no such channel. */
export async function channelCooldowns (db: Store, channelId: string): Promise<CooldownPolicy | null> {
  const channel = await db.channels.get(channelId)
  const stored = await db.channels.getTemplate(channelId)
  if (channel === null || stored === null) return null
  const overrides = await db.channels.listOverrides(channelId)
  const named = namedPlaylists(stored.template, overrides, channel.default_filler)
  const playlists = new Map<string, number>()
  for (const p of named.size === 0 ? [] : await db.playlists.listPlaylists()) {
    if (named.has(p.id) && p.cooldown_hours !== null) playlists.set(p.id, p.cooldown_hours)
  }
  return new CooldownPolicy({ template: stored.template, overrides, playlists, defaultFiller: channel.default_filler })
}
