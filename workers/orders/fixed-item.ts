import type { PlayLog } from './play-log.js'
import type { Entry, Picker } from './types.js'

/** A block of one fixed item (its source is an item, it has no order): that item every time, its cooldown does not apply. */
export function fixedItemPicker (entry: Entry, plays: PlayLog): Picker {
  return {
    choose: (_t, fits) => fits(entry.ms, entry) ? { entry, reason: 'fixed item of the block', overridden: false, episodeNum: null } : null,
    aired: (choice, t) => { plays.add(choice.entry.key, t) }
  }
}
