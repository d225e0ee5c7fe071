import { hoursAgo } from '../autofill/clock.js'
import { Rotation } from './rotation.js'
import { seededShuffle } from './seeded.js'
import type { Order } from './types.js'

/**
 * shuffle: a seeded permutation, then the least-recent rotation with the block's cooldown
 * (the auto-fill's rotation, SPEC §5), preferring another category than the last item's.
 */
export const shuffle: Order = {
  keepsCooldown: true,
  picker (entries, { seed, plays, start, cooldownMs, cooldownOf }) {
    const order = seededShuffle(entries, seed)
    for (const e of order) plays.of(e.key) // the rotation reads the shared arrays, so this build's plays count
    const rotation = new Rotation(order.map((e) => ({ item: e, key: e.key, category: e.item.category })), plays.map, start, cooldownOf ?? cooldownMs)
    let previousCategory: string | null = null
    return {
      choose (t, fits) {
        const found = rotation.pick(t, { previousCategory, fits: (e) => fits(e.ms, e) })
        if (found.node !== null) {
          return { entry: found.node.item, reason: found.skipped > 0 ? `shuffle: skipped ${found.skipped} in cooldown` : 'shuffle: least recently aired', overridden: false, episodeNum: null }
        }
        const least = found.leastRecent
        // When an item out of cooldown is only too long for the time left, the block pads or leaves a gap: its cooldown does not give.
        if (least === null || rotation.pick(t).node !== null) return null
        const last = plays.lastBefore(least.key, t)
        return { entry: least.item, reason: `shuffle: every item in cooldown; least recent${Number.isFinite(last) ? ` (${hoursAgo(t - last)} ago)` : ''}`, overridden: true, episodeNum: null }
      },
      aired (choice, t) {
        const node = rotation.find(choice.entry.key)
        previousCategory = choice.entry.item.category
        plays.add(choice.entry.key, t)
        if (node !== undefined) rotation.aired(node, t)
      }
    }
  }
}
