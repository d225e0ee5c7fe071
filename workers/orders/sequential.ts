import { DEFAULT_AT_END } from '../../contract/limits.js'
import { SeriesCursor } from './series-cursor.js'
import type { Order } from './types.js'

const SILENT = { restarted: () => {}, wrapped: () => {} }

/**
 * sequential: episode after episode, carried across builds by the block's id and through what
 * the build keeps (series-cursor.ts); no cooldown (the order is the point). An episode that
 * does not fit waits for the next time: one is never skipped.
 */
export const sequential: Order = {
  keepsCooldown: false,
  picker (entries, { plays, state, kept = [], atEnd = DEFAULT_AT_END, series: hooks = SILENT }) {
    const n = entries.length
    const series = new SeriesCursor(entries, state, kept, atEnd, hooks)
    let chosen = -1
    return {
      choose (t, fits, room) {
        if (n === 0) return null
        const cursor = series.at(t, room)
        if (cursor === null) return null
        const entry = entries[cursor]
        if (!fits(entry.ms, entry)) return null
        chosen = cursor
        return { entry, reason: `sequential: episode ${cursor + 1} of ${n}`, overridden: false, episodeNum: `.${cursor}/${n}.` }
      },
      aired (choice, t) {
        plays.add(choice.entry.key, t)
        series.aired(entries[chosen] === choice.entry ? chosen : entries.indexOf(choice.entry), t)
      }
    }
  }
}
