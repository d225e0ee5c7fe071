import { xmltvNs } from '../playlist/episode.js'
import type { Entry, Picker } from './types.js'

// Season and episode in what a block airs (SPEC §15): a sequential block's source in episode
// order, and every aired item's xmltv_ns from its numbers when they are known.

/** An entry's place in episode order; an episode without a season sorts before every season. */
const seriesKey = (e: Entry): [number, number] => [e.item.season ?? -1, e.item.episode!]

const arranged = new WeakMap<Entry[], Entry[]>()

/**
 * A source in the order a sequential block airs it: the items with an episode number sorted by
 * (season, episode) among the places such items hold, every item without one left at its own
 * place, ties in source order. [Intro, S01E02, S01E01, Recap] → [Intro, S01E01, S01E02, Recap].
 * Positions are renumbered to the new order (the cursor and origin_position count in it).
 * The same array when nothing moves; made once per source.
 */
export function inEpisodeOrder (entries: Entry[]): Entry[] {
  const known = arranged.get(entries)
  if (known !== undefined) return known
  const places = entries.flatMap((e, i) => e.item.episode != null ? [i] : [])
  const sorted = places.map((i) => entries[i]).sort((a, b) => {
    const [sa, ea] = seriesKey(a)
    const [sb, eb] = seriesKey(b)
    return sa - sb || ea - eb || a.position - b.position
  })
  let result = entries
  if (sorted.some((e, k) => e !== entries[places[k]])) {
    const order = entries.slice()
    places.forEach((place, k) => { order[place] = sorted[k] })
    result = order.map((e, position) => ({ ...e, position }))
  }
  arranged.set(entries, result)
  return result
}

/** A picker whose choices carry the item's own xmltv_ns (S02E05 → `1.4.`) where it has an episode number, else the order's. */
export function withEpisodeNumbers (picker: Picker): Picker {
  return {
    choose (t, fits, room) {
      const choice = picker.choose(t, fits, room)
      if (choice === null) return null
      const own = xmltvNs(choice.entry.item.season, choice.entry.item.episode)
      if (own !== null) choice.episodeNum = own // the same object: a picker may know its choices again in aired()
      return choice
    },
    aired: (choice, t) => picker.aired(choice, t)
  }
}
