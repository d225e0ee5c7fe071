import { DEFAULT_BLOCK_ORDER } from '../../contract/limits.js'
import type { Block, BlockOrder } from '../channels/types.js'
import { inEpisodeOrder, withEpisodeNumbers } from './episodes.js'
import { fixedItemPicker } from './fixed-item.js'
import { random } from './random.js'
import { sequential } from './sequential.js'
import { shuffle } from './shuffle.js'
import type { Entry, Order, OrderContext, Picker } from './types.js'

// The orders a block airs its source in (SPEC §11), one module each behind one interface
// (types.ts). Keyed by the contract's enum, so an order added to BLOCK_ORDERS without a
// module here does not compile. Adding one: README, "Adding an order".

export const ORDERS: Record<BlockOrder, Order> = { shuffle, sequential, random }

/** The order of a block (the contract's default when it names none). */
export const orderOf = (block: Block): Order => ORDERS[block.order ?? DEFAULT_BLOCK_ORDER]

/**
 * The picker of a block over its source's entries: a block of one item airs it, else its order
 * picks (sequential in episode order, SPEC §15); an item's own season and episode name its episode.
 */
export function pickerFor (block: Block, entries: Entry[], ctx: OrderContext): Picker {
  if ('item' in block.source) return fixedItemPicker(entries[0], ctx.plays)
  const order = orderOf(block)
  return withEpisodeNumbers(order.picker(order === sequential ? inEpisodeOrder(entries) : entries, ctx))
}

export type { Choice, Entry, Fits, Order, OrderContext, Picker } from './types.js'
export { entriesOf, entryMs } from './entries.js'
export { PlayLog } from './play-log.js'
