// @ts-check
// #/channels/<id>?tab=events&date=…: a channel's programmes of one local day of its zone, edited
// by hand with the same editor as a schedule's (views/event-editor.js) in its programme mode,
// under /api/channels/:id.
import { withAllEvents } from '../../pages.js'
import { html, useEffect, useMemo, useState } from '../../preact.js'
import { keepInAddress } from '../../ui.js'
import { dayBounds, todayIn } from '../../calendar.js'
import { EventEditor } from '../event-editor.js'
import { readProgrammes } from '../../programmes.js'
import { warningMarks } from '../../timeline.js'

/**
 * A channel's day for the editor as programmes (SPEC §14), each with the warning marks of its
 * segments (the events read alongside carry them, as the schedule's timeline columns do).
 * `stretch`: a part of the day, read again after an edit (the programmes on air in it, whole).
 * @param {string} id @param {Date} from @param {Date} to
 * @returns {import('../event-editor.js').DayLoader}
 */
function channelProgrammes (id, from, to) {
  return async (stretch) => {
    const [f, t] = [stretch?.from ?? from, stretch?.to ?? to]
    /** @type {[import('../../programmes.js').Programme[], import('../../../../contract/api.js').ChannelEvents]} */
    const [programmes, answer] = await Promise.all([readProgrammes(id, f, t), withAllEvents(`/api/channels/${id}/events?from=${f.toISOString()}&to=${t.toISOString()}`)])
    const marks = new Map(answer.events.map((e) => [e.id, warningMarks(e)]))
    return {
      revision: answer.channel.revision,
      events: programmes.map((p) => ({
        ...p,
        category: p.category ?? null,
        video_url: null,
        description: null,
        marks: [...new Set(p.segments.flatMap((s) => marks.get(s.event_id) ?? []))]
      }))
    }
  }
}

/** @param {{ channel: import('../../../../contract/api.js').Channel, date: string | null }} props */
export function EventsTab ({ channel, date }) {
  const [day, setDay] = useState(date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : todayIn(channel.timezone))
  useEffect(() => keepInAddress('date', day), [day])
  const programmes = useMemo(() => ({ fillerLabel: channel.filler_title ?? 'Default filler' }), [channel.filler_title])
  const load = useMemo(() => {
    const { from, to } = dayBounds(day, channel.timezone)
    return channelProgrammes(channel.id, from, to)
  }, [channel.id, day, channel.timezone])
  return html`<section aria-labelledby="events-title">
    <h3 id="events-title">Programmes</h3>
    <p class="meta" id="events-zone">Times are ${channel.timezone} wall times, the channel's own. An edited programme is pinned: builds keep it whole.</p>
    <div class="toolbar"><label for="events-date">Day</label>
      <input type="date" id="events-date" value=${day} onChange=${(/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => { if (e.currentTarget.value) setDay(e.currentTarget.value) }} /></div>
    <${EventEditor} key=${day} base=${`/api/channels/${channel.id}`} day=${day} load=${load} timeZone=${channel.timezone} programmes=${programmes} />
  </section>`
}
