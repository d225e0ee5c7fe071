import type { BuiltEvent } from './types.js'

// What a guide (XMLTV, the panel's grid) shows: one entry per guide_id, not one per event. A
// film split by breaks, with the padding after it, is one programme; a block with a `title`
// is one programme for the whole block instance.

export type GuideSource = Pick<BuiltEvent, 'title' | 'start' | 'end' | 'category' | 'icon' | 'episode_num' | 'guide_id' | 'guide_title' | 'origin'>

export interface GuideEntry {
  guide_id: string
  title: string
  start: number
  end: number
  category: string | null
  icon: string | null
  episode_num: string | null
  /** indexes of the events it covers, in `events` */
  events: number[]
}

/** The guide entries of events sorted by start; events of one guide_id are one entry from its first start to its last end. */
export function guideEntries (events: GuideSource[]): GuideEntry[] {
  const entries: GuideEntry[] = []
  const byId = new Map<string, GuideEntry>()
  events.forEach((e, i) => {
    let entry = byId.get(e.guide_id)
    if (entry === undefined) {
      entry = {
        guide_id: e.guide_id,
        title: e.guide_title ?? e.title,
        start: e.start,
        end: e.end,
        category: e.category,
        icon: e.icon,
        episode_num: e.episode_num,
        events: []
      }
      byId.set(e.guide_id, entry)
      entries.push(entry)
    } else if (e.guide_title === null && entry.events.every((j) => events[j].origin.kind !== 'item') && e.origin.kind === 'item') {
      // An entry opened by a break or filler is named after the first item in it.
      Object.assign(entry, { title: e.title, category: e.category, icon: e.icon, episode_num: e.episode_num })
    }
    entry.start = Math.min(entry.start, e.start)
    entry.end = Math.max(entry.end, e.end)
    entry.events.push(i)
  })
  return entries
}
