// @ts-check
// The guide as a list (issue 27, phone): a section per channel, its programmes of the day shown
// one under another with their times, the one on air now marked, so a 390-pixel screen reads the
// guide without scrolling sideways (the grid needs a screen's width for a few hours). The guide's
// own day and zone (the viewer's, as the grid's): each channel's running order, in its own zone,
// is a link away.
import { html, useEffect, useState } from '../preact.js'
import { addDays, dayBounds } from '../calendar.js'
import { collapseFiller, readProgrammes } from '../programmes.js'
import { zone } from '../ui.js'
import { ProgrammeList, airsAt, focusNow } from './channel/running-order.js'
import { ApiProblem } from './channel/data.js'

/** @typedef {import('../../../contract/api.js').Channel} Channel */
/** @typedef {import('../programmes.js').Drawn} Drawn */
/** @typedef {import('../api.js').ApiError} ApiError */

/** The on-air mark follows this browser's clock, as the grid's line at now does. */
const TICK_MS = 30_000

/** @param {{ channels: Channel[], day: string, setDay: (day: string) => void }} props */
export function GuideList ({ channels, day, setDay }) {
  // The lists with the day they are of: a new day shows as loading at once, never the last day's.
  const [read, setRead] = useState(/** @type {{ day: string, lists: Map<string, Drawn[]> } | null} */ (null))
  const lists = read?.day === day ? read.lists : null
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS)
    return () => clearInterval(timer)
  }, [])
  useEffect(() => {
    let stopped = false
    const { from, to } = dayBounds(day, zone)
    Promise.all(channels.map(async (c) => /** @type {[string, Drawn[]]} */ ([c.id, collapseFiller(await readProgrammes(c.id, from, to), c.filler_title ?? 'Default filler')])))
      .then((answers) => { if (!stopped) { setRead({ day, lists: new Map(answers) }); setError(null) } }, (err) => { if (!stopped) setError(err) })
    return () => { stopped = true }
  }, [channels, day])
  const onAir = lists !== null && [...lists.values()].some((list) => list.some((p) => airsAt(p, now)))
  return html`<div id="guide-list" aria-busy=${lists === null && !error ? 'true' : 'false'}>
    <div class="toolbar">
      <button type="button" onClick=${() => setDay(addDays(day, -1))}>Previous day</button>
      <button type="button" onClick=${() => setDay(addDays(day, 1))}>Next day</button>
      ${onAir && html`<button type="button" id="guide-go-now" onClick=${() => focusNow('#guide-list')}>Go to now</button>`}
    </div>
    ${error && html`<${ApiProblem} error=${error} what="Reading the guide" />`}
    ${lists === null && !error && html`<p class="state loading" role="status">Loading the programmes…</p>`}
    ${lists !== null && channels.map((c) => html`<section class="guide-channel" id=${`guide-list-${c.id}`} key=${c.id} aria-labelledby=${`guide-list-${c.id}-title`}>
      <h3 id=${`guide-list-${c.id}-title`}>${c.number} · ${c.name}</h3>
      <${ProgrammeList} programmes=${lists.get(c.id) ?? []} timeZone=${zone} now=${now} day=${day} label=${`${c.number} · ${c.name}: programmes`} id=${`guide-list-${c.id}-programmes`} />
      <p><a class="running-link" href=${`#/channels/${c.id}?tab=running`}>Running order, in ${c.timezone}</a></p>
    </section>`)}
  </div>`
}
