// @ts-check
// #/guide?date=YYYY-MM-DD: every channel as a row, one day of time as columns, a line at now;
// a date picker and prev/next by day, the day shown kept in the address. A row shows the
// channel's programmes (SPEC §14): one box per programme (a film with breaks is one box, its
// breaks drawn inside it), filler runs as one strip, colours by category with a legend. Times are the viewer's
// own (channels may be in different zones); the calendar reads each event's UTC instant. On the
// day clocks go back, the repeated hour is drawn once, so two events can share it on screen;
// each channel's Exports tab lists the exact times.
import { api } from '../api.js'
import { html, render, useEffect, useMemo, useRef, useState } from '../preact.js'
import { Legend, boxContent, collapseFiller, colourClass, describe, readProgrammes } from '../programmes.js'
import { Calendar } from '../calendar.js'
import { isoDay, keepInAddress, zone } from '../ui.js'
import { ApiProblem } from './channel/data.js'
import { GuideList } from './guide-list.js'
import { GuideNextStep } from './first-run.js'

/** @typedef {import('../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../contract/api.js').ChannelList} ChannelList */
/** @typedef {import('../api.js').ApiError} ApiError */

const DAY = /^\d{4}-\d{2}-\d{2}$/
/** How the guide opens: a list on a phone (style.css's narrow width), where a grid of hours does not fit; the grid elsewhere. */
const LAYOUTS = /** @type {const} */ ([['grid', 'Grid'], ['list', 'List']])
const firstLayout = () => (window.matchMedia('(max-width: 40rem)').matches ? 'list' : 'grid')

/** @param {{ date: string | null }} props */
function Guide ({ date }) {
  const [channels, setChannels] = useState(/** @type {Channel[] | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [day, setDay] = useState(date !== null && DAY.test(date) ? date : isoDay(new Date()))
  const [layout, setLayout] = useState(/** @type {'grid' | 'list'} */ (firstLayout()))
  useEffect(() => { api('/api/channels').then((/** @type {ChannelList} */ answer) => setChannels(answer.channels)).catch(setError) }, [])
  useEffect(() => keepInAddress('date', day), [day])
  // The boxes of the day shown, by calendar id: what each box draws, and the legend.
  const [drawn, setDrawn] = useState(/** @type {Map<string, import('../programmes.js').Drawn>} */ (new Map()))
  const drawnRef = useRef(drawn)

  // What depends on the channels only, so that a new day hands the calendar its date alone.
  const base = useMemo(() => channels && ({
    view: 'resourceTimelineDay',
    nowIndicator: true,
    headerToolbar: { start: 'title', center: '', end: 'today prev,next' },
    slotDuration: '00:30',
    slotWidth: 56, // a half hour wide enough for a short title's first words
    scrollTime: `${String(Math.max(new Date().getHours() - 1, 0)).padStart(2, '0')}:00:00`,
    resources: channels.map((c) => ({ id: c.id, title: `${c.number} ${c.name}` })),
    // One read per channel for the day shown (the calendar asks again on prev/next), every page of it.
    eventSources: [{
      /** @param {EventCalendarRange} info @param {(events: object[]) => void} success @param {(err: unknown) => void} failure */
      events: (info, success, failure) => {
        Promise.all(channels.map(async (c) => collapseFiller(await readProgrammes(c.id, info.start, info.end), c.filler_title ?? 'Default filler')
          .map((p) => ({ ...p, id: `${c.id}:${p.id}`, channel: c.id })))).then((lists) => {
          const boxes = new Map(lists.flat().map((p) => [p.id, p]))
          drawnRef.current = boxes
          setDrawn(boxes)
          success([...boxes.values()].map((p) => ({ id: p.id, resourceId: p.channel, start: new Date(p.start), end: new Date(p.end), title: p.title, classNames: ['programme', colourClass(p)] })))
        }, (err) => { setError(err); failure(err) })
      }
    }],
    // The toolbar's prev, next and today move the calendar's day: the picker and the address follow.
    datesSet: (/** @type {EventCalendarRange} */ info) => setDay(isoDay(info.start)),
    // The title first (a half-hour column has room for little more), breaks as bands across the box.
    eventContent: (/** @type {EventCalendarEventInfo} */ info) => { const p = drawnRef.current.get(info.event.id); return p ? boxContent(p, 'x', zone) : info.event.title },
    eventDidMount: (/** @type {EventCalendarEventInfo} */ info) => {
      const p = drawnRef.current.get(info.event.id)
      info.el.title = p ? describe(p, zone) : info.event.title
      info.el.setAttribute('aria-label', info.el.title)
    }
  }), [channels])
  const options = useMemo(() => base && ({ ...base, date: day }), [base, day])

  return html`<h2>Guide</h2>
    <p class="meta">Every channel, one day at a time, in ${zone}. <a href="#/channels">Channels</a></p>
    <div class="toolbar"><label for="guide-date">Day</label>
      <input type="date" id="guide-date" value=${day} onChange=${(/** @type {Event & { currentTarget: HTMLInputElement }} */ e) => { if (DAY.test(e.currentTarget.value)) setDay(e.currentTarget.value) }} />
      <span class="layout-choice" role="group" aria-label="Show the guide as">
        ${LAYOUTS.map(([name, label]) => html`<button type="button" id=${`guide-as-${name}`} aria-pressed=${layout === name ? 'true' : 'false'} onClick=${() => setLayout(name)}>${label}</button>`)}
      </span></div>
    ${error && html`<${ApiProblem} error=${error} what="Reading the guide" />`}
    ${channels === null && !error && html`<p class="state loading" role="status">Loading channels…</p>`}
    ${channels?.length === 0 && html`<div class="state empty" id="guide-empty"><p>No channels yet. <a href="#/channels">Create a channel</a>, lay out its week and build it: its programmes show here.</p></div>`}
    ${channels !== null && html`<${GuideNextStep} channels=${channels} />`}
    ${layout === 'grid' && channels !== null && channels.length > 0 && html`<${Legend} drawn=${[...drawn.values()]} id="guide-legend" />`}
    ${layout === 'grid' && options !== null && channels !== null && channels.length > 0 && html`<${Calendar} id="guide-grid" label="Guide" options=${options} />`}
    ${layout === 'list' && channels !== null && channels.length > 0 && html`<${GuideList} channels=${channels} day=${day} setDay=${setDay} />`}`
}

/** @param {Element} main @param {string[]} _ids @param {URLSearchParams} params */
export function guideView (main, _ids, params) {
  render(html`<${Guide} date=${params.get('date')} />`, main)
  return () => render(null, main)
}
