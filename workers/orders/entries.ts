import { DEFAULT_ITEM_SECONDS } from '../autofill/request.js'
import { videoKey } from '../schedule/checks/cooldown.js'
import type { SourceItem } from '../channels/types.js'
import type { Entry } from './types.js'

export const entryMs = (item: SourceItem): number => (item.duration != null && item.duration > 0 ? item.duration : DEFAULT_ITEM_SECONDS) * 1000

/** The source's items as entries, in source order. */
export const entriesOf = (items: SourceItem[]): Entry[] =>
  items.map((item, position) => ({ item, key: item.key ?? videoKey({ title: item.title, video_url: item.url }), position, ms: entryMs(item) }))
