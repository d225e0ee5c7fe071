import { videoKey } from '../../schedule/checks/cooldown.js'
import { mediaUrlProblem } from '../../media-url.js'
import type { SourceItem } from '../types.js'
import type { SourceKind, SourceOf } from './types.js'

// A block's fixed item (SPEC §11: `source: { item: { url, title, duration } }`): the body
// carries it whole, its duration required, so nothing is read from the store.

const itemOf = (s: SourceOf<'item'>): SourceItem[] => [{ url: s.item.url, title: s.item.title, duration: s.item.duration, category: null }]

export const item: SourceKind<SourceOf<'item'>> = {
  key: (s) => `item:${videoKey({ title: s.item.title, video_url: s.item.url })}`,
  check (p, s, field) {
    const problem = mediaUrlProblem(s.item.url)
    if (problem !== null) p.add(`${field}.url`, problem)
  },
  refused: async () => null,
  load: async (_reader, s) => itemOf(s),
  inline: itemOf
}
