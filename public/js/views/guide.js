// @ts-check
// #/guide: every channel as a row, one day of time as columns, a line at now; prev/next by day.
// Times are the viewer's own (channels may be in different zones); the calendar reads each
// event's UTC instant. On the day clocks go back, the repeated hour is drawn once, so two
// events can share it on screen; each channel's Exports tab lists the exact times.
import { api } from '../api.js'
import { withAllEvents } from '../pages.js'
import { html, render, useEffect, useMemo, useState } from '../preact.js'
import { Calendar } from '../calendar.js'
import { zone } from '../ui.js'
import { ApiProblem } from './channel/data.js'

/** @typedef {import('../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../contract/api.js').ChannelList} ChannelList */
/** @typedef {import('../../../contract/api.js').ChannelEvents} ChannelEvents */
/** @typedef {import('../api.js').ApiError} ApiError */

function Guide () {
  const [channels, setChannels] = useState(/** @type {Channel[] | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  useEffect(() => { api('/api/channels').then((/** @type {ChannelList} */ answer) => setChannels(answer.channels)).catch(setError) }, [])

  const options = useMemo(() => channels && ({
    view: 'resourceTimelineDay',
    nowIndicator: true,
    headerToolbar: { start: 'title', center: '', end: 'today prev,next' },
    slotDuration: '00:30',
    slotWidth: 40,
    scrollTime: `${String(Math.max(new Date().getHours() - 1, 0)).padStart(2, '0')}:00:00`,
    resources: channels.map((c) => ({ id: c.id, title: `${c.number} ${c.name}` })),
    // One read per channel for the day shown (the calendar asks again on prev/next), every page of it.
    eventSources: [{
      /** @param {EventCalendarRange} info @param {(events: object[]) => void} success @param {(err: unknown) => void} failure */
      events: (info, success, failure) => {
        const range = `from=${encodeURIComponent(info.start.toISOString())}&to=${encodeURIComponent(info.end.toISOString())}`
        Promise.all(channels.map((c) => withAllEvents(`/api/channels/${c.id}/events?${range}`).then((/** @type {ChannelEvents} */ answer) => answer.events.map((e) => ({
          id: `${c.id}:${e.id}`, resourceId: c.id, start: new Date(e.start), end: new Date(e.end), title: e.title, classNames: [`origin-${e.origin?.kind ?? 'none'}`]
        }))))).then((lists) => success(lists.flat()), (err) => { setError(err); failure(err) })
      }
    }],
    eventContent: (/** @type {EventCalendarEventInfo} */ info) => info.event.title, // the title alone: a half-hour column has no room for times too
    eventDidMount: (/** @type {EventCalendarEventInfo} */ info) => { info.el.title = info.event.title }
  }), [channels])

  return html`<h2>Guide</h2>
    <p class="meta">Every channel, one day at a time, in ${zone}. <a href="#/channels">Channels</a></p>
    ${error && html`<${ApiProblem} error=${error} what="Reading the guide" />`}
    ${channels === null && !error && html`<p class="state loading" role="status">Loading channels…</p>`}
    ${channels?.length === 0 && html`<div class="state empty"><p>No channels yet. <a href="#/channels">Create one</a>.</p></div>`}
    ${channels !== null && channels.length > 0 && html`<${Calendar} id="guide-grid" label="Guide" options=${options} />`}`
}

/** @param {Element} main */
export function guideView (main) {
  render(html`<${Guide} />`, main)
  return () => render(null, main)
}
