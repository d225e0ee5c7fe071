// @ts-check
// #/guide?date=YYYY-MM-DD: every channel as a row, one day of time as columns, a line at now;
// a date picker and prev/next by day, the day shown kept in the address. Times are the viewer's
// own (channels may be in different zones); the calendar reads each event's UTC instant. On the
// day clocks go back, the repeated hour is drawn once, so two events can share it on screen;
// each channel's Exports tab lists the exact times.
import { api } from '../api.js'
import { withAllEvents } from '../pages.js'
import { html, render, useEffect, useMemo, useState } from '../preact.js'
import { Calendar } from '../calendar.js'
import { isoDay, keepInAddress, zone } from '../ui.js'
import { ApiProblem } from './channel/data.js'

/** @typedef {import('../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../contract/api.js').ChannelList} ChannelList */
/** @typedef {import('../../../contract/api.js').ChannelEvents} ChannelEvents */
/** @typedef {import('../api.js').ApiError} ApiError */

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** @param {{ date: string | null }} props */
function Guide ({ date }) {
  const [channels, setChannels] = useState(/** @type {Channel[] | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [day, setDay] = useState(date !== null && DAY.test(date) ? date : isoDay(new Date()))
  useEffect(() => { api('/api/channels').then((/** @type {ChannelList} */ answer) => setChannels(answer.channels)).catch(setError) }, [])
  useEffect(() => keepInAddress('date', day), [day])

  // What depends on the channels only, so that a new day hands the calendar its date alone.
  const base = useMemo(() => channels && ({
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
    // The toolbar's prev, next and today move the calendar's day: the picker and the address follow.
    datesSet: (/** @type {EventCalendarRange} */ info) => setDay(isoDay(info.start)),
    eventContent: (/** @type {EventCalendarEventInfo} */ info) => info.event.title, // the title alone: a half-hour column has no room for times too
    eventDidMount: (/** @type {EventCalendarEventInfo} */ info) => { info.el.title = info.event.title }
  }), [channels])
  const options = useMemo(() => base && ({ ...base, date: day }), [base, day])

  return html`<h2>Guide</h2>
    <p class="meta">Every channel, one day at a time, in ${zone}. <a href="#/channels">Channels</a></p>
    <div class="toolbar"><label for="guide-date">Day</label>
      <input type="date" id="guide-date" value=${day} onChange=${(/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => { if (DAY.test(e.currentTarget.value)) setDay(e.currentTarget.value) }} /></div>
    ${error && html`<${ApiProblem} error=${error} what="Reading the guide" />`}
    ${channels === null && !error && html`<p class="state loading" role="status">Loading channels…</p>`}
    ${channels?.length === 0 && html`<div class="state empty"><p>No channels yet. <a href="#/channels">Create one</a>.</p></div>`}
    ${options !== null && channels !== null && channels.length > 0 && html`<${Calendar} id="guide-grid" label="Guide" options=${options} />`}`
}

/** @param {Element} main @param {string[]} _ids @param {URLSearchParams} params */
export function guideView (main, _ids, params) {
  render(html`<${Guide} date=${params.get('date')} />`, main)
  return () => render(null, main)
}
