import type { EditWarnings } from '../../contract/api.js'
import type { Store } from '../storage/store.js'
import type { EditTarget } from '../storage/edits.js'
import { checkStoredSchedule } from '../schedule/checks/stored-warnings.js'
import { detectOverlaps } from '../schedule/checks/overlaps.js'
import { findCooldownViolations } from '../schedule/checks/cooldown.js'

// The overlaps and cooldown replays an edit causes (SPEC §12): the checks run on the whole
// timeline as it is after the edit (for a schedule, against the other schedules too, as a
// read does), and the answer keeps those that name an event the edit added or changed:
// one of a pair that overlaps, a replay, or the play a replay now follows too closely.

const NONE: EditWarnings = { conflicts: [], conflicts_total: 0, cooldown: [], cooldown_total: 0 }

/** `placedOn`: the channel a schedule is placed on (its events are then checked on that channel). */
export async function editWarnings (store: Store, target: EditTarget, touched: ReadonlySet<string>, { cooldownHours, placedOn }: { cooldownHours: number, placedOn: string | null }): Promise<EditWarnings> {
  if (touched.size === 0) return NONE
  let conflicts: EditWarnings['conflicts']
  let cooldown: EditWarnings['cooldown']
  let idAt: (index: number) => string | undefined
  if (target.kind === 'schedule') {
    const events = await store.schedules.listEvents(target.id)
    const { warnings } = await checkStoredSchedule(store.schedules, target.id, events, cooldownHours, { duplicates: [], notes: [] }, Infinity, placedOn)
    conflicts = warnings.conflicts
    cooldown = warnings.cooldown
    idAt = (index) => events[index]?.id
  } else {
    // Per channel (SPEC §11): the channel's own events and those of schedules placed on it.
    const events = await store.channels.channelEvents(target.id)
    conflicts = detectOverlaps(events.map((e, index) => ({ index, id: e.id, title: e.title, start: e.start, end: e.end, channel: null })), Infinity).overlaps
    cooldown = findCooldownViolations(events.map((e, index) => ({ index, title: e.title, start: e.start, video_url: e.video_url })), cooldownHours, { maxListed: Infinity }).violations
    idAt = (index) => events[index]?.id
  }
  const names = (id: string | undefined): boolean => id !== undefined && touched.has(id)
  const caused = conflicts.filter((c) => names(c.event1.event_id) || names(c.event2.event_id))
  const replays = cooldown.filter((c) => names(idAt(c.index)) || (c.previous_index !== null && names(idAt(c.previous_index))))
  return { conflicts: caused, conflicts_total: caused.length, cooldown: replays, cooldown_total: replays.length }
}
