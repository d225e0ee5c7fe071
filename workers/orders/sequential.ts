import type { SequentialState } from '../channels/types.js'
import type { Entry, Order } from './types.js'

/** Where the block starts in its source: after the item it last aired, wrapping; 0 when none, or when the source changed. */
function firstCursor (entries: Entry[], state: SequentialState | undefined, source: string, onRestart: () => void): number {
  if (state === undefined || entries.length === 0) return 0
  if (state.source !== source) { onRestart(); return 0 }
  const at = entries.findIndex((e) => e.key === state.key)
  return (at >= 0 ? at + 1 : (state.position ?? -1) + 1) % entries.length
}

/**
 * sequential: episode after episode, carried across builds by the block's id; no cooldown
 * (the order is the point). An episode that does not fit waits for the next time: one is never skipped.
 */
export const sequential: Order = {
  keepsCooldown: false,
  picker (entries, { plays, state, source, onRestart }) {
    let cursor = firstCursor(entries, state, source, onRestart)
    const n = entries.length
    return {
      choose (_t, fits) {
        if (n === 0) return null
        const entry = entries[cursor]
        if (!fits(entry.ms)) return null
        return { entry, reason: `sequential: episode ${cursor + 1} of ${n}`, overridden: false, episodeNum: `.${cursor}/${n}.` }
      },
      aired (choice, t) {
        plays.add(choice.entry.key, t)
        cursor = (choice.entry.position + 1) % n
      }
    }
  }
}
