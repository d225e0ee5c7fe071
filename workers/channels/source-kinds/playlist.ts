import type { PlaylistItem } from '../../../contract/api.js'
import type { SourceItem } from '../types.js'
import type { SourceKind, SourceOf } from './types.js'

// A stored playlist (SPEC §11), or one group-title of it: read at each build, so a playlist
// replaced in place (PUT /api/playlists/:id) airs its new items.

/** A stored playlist item as a block's source reads it: its group is the category, `weight="3"` weighs random order. */
export const sourceItem = (i: PlaylistItem): SourceItem => ({
  url: i.url,
  title: i.title,
  duration: i.duration,
  category: i.group,
  weight: i.tvg.weight === undefined ? null : Number(i.tvg.weight),
  icon: i.tvg['tvg-logo'] ?? null,
  season: i.season,
  episode: i.episode
})

const hasGroup = (s: SourceOf<'playlist'>): s is SourceOf<'playlist'> & { group: string } => s.group != null && s.group !== ''

export const playlist: SourceKind<SourceOf<'playlist'>> = {
  key: (s) => hasGroup(s) ? `playlist:${s.playlist}#${s.group}` : `playlist:${s.playlist}`,
  check: (p, s, field) => { p.references.push({ field, source: s }) },
  async refused (reader, s) {
    const found = await reader.playlist(s.playlist)
    if (found === null) return `no playlist with id ${s.playlist}`
    if (hasGroup(s) && !found.items.some((i) => i.group === s.group)) return `playlist "${found.name}" has no item in group "${s.group}"`
    return null
  },
  async load (reader, s) {
    const found = await reader.playlist(s.playlist)
    if (found === null) return null
    const items = found.items.map(sourceItem)
    return hasGroup(s) ? items.filter((i) => i.category === s.group) : items
  }
}
