// @ts-check
// #/channels/<id>?tab=events&date=…: a channel's aired events of one day, edited by hand with
// the same editor as a schedule's (views/event-editor.js), under /api/channels/:id.
import { withAllEvents } from '../../pages.js'
import { html, useEffect, useMemo, useState } from '../../preact.js'
import { keepInAddress } from '../../ui.js'
import { dayBounds, todayIn } from '../../calendar.js'
import { EventEditor } from '../event-editor.js'
import { warningMarks } from '../../timeline.js'

/**
 * A channel's day for the editor: its events (built, and those of schedules placed on it).
 * @param {string} id @param {Date} from @param {Date} to
 * @returns {import('../event-editor.js').DayLoader}
 */
function channelDay (id, from, to) {
  // Each event carries its mark bits (overlap, cooldown), as the schedule's timeline columns do.
  // `stretch`: a part of the day, read again after an edit (the events on air in it).
  return async (stretch) => {
    // Every page of the range: a dense channel's day fits one, but nothing is left out if not.
    /** @type {import('../../../../contract/api.js').ChannelEvents} */
    const answer = await withAllEvents(`/api/channels/${id}/events?from=${(stretch?.from ?? from).toISOString()}&to=${(stretch?.to ?? to).toISOString()}`)
    return { revision: answer.channel.revision, events: answer.events.map((e) => ({ ...e, marks: warningMarks(e) })) }
  }
}

/** @param {{ channel: import('../../../../contract/api.js').Channel, date: string | null }} props */
export function EventsTab ({ channel, date }) {
  const [day, setDay] = useState(date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayIn(channel.timezone))
  useEffect(() => keepInAddress('date', day), [day])
  const load = useMemo(() => {
    const { from, to } = dayBounds(day, channel.timezone)
    return channelDay(channel.id, from, to)
  }, [channel.id, day, channel.timezone])
  return html`<section aria-labelledby="events-title">
    <h3 id="events-title">Events</h3>
    <p class="meta" id="events-zone">Times are ${channel.timezone} wall times, the channel's own. An edited event is pinned: builds leave it as it is.</p>
    <div class="toolbar"><label for="events-date">Day</label>
      <input type="date" id="events-date" value=${day} onChange=${(/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => { if (e.currentTarget.value) setDay(e.currentTarget.value) }} /></div>
    <${EventEditor} key=${day} base=${`/api/channels/${channel.id}`} day=${day} load=${load} timeZone=${channel.timezone} />
  </section>`
}
