// @ts-check
// #/channels/<id>?tab=running (issue 27, phone): a channel's running order, today and tomorrow of
// its own zone, as a list a phone reads top to bottom: each programme's start and end, its title
// and length, its episode, year and description when it has them, a run of default filler as one line; the one on air now marked. "Now" is the
// service's clock (`server_time` of GET /api/channels/:id/now, advanced here), as on the On-air
// page: the browser's may disagree. The list is also the guide's narrow layout (guide-list.js).
import { api } from '../../api.js'
import { html, useEffect, useRef, useState } from '../../preact.js'
import { addDays, dayBounds, wallTime } from '../../calendar.js'
import { collapseFiller, episodeLabel, readProgrammes, spokenLength } from '../../programmes.js'
import { ApiProblem } from './data.js'

/** @typedef {import('../../programmes.js').Drawn} Drawn */
/** @typedef {import('../../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../../contract/on-air.js').ChannelNow} ChannelNow */
/** @typedef {import('../../api.js').ApiError} ApiError */

/** The programmes change only with an edit or a build: read again once a minute. */
const READ_MS = 60_000
/** The on-air mark moves with the clock: redrawn this often. */
const TICK_MS = 10_000

/** "20:05" in `timeZone`. @param {string} iso @param {string} timeZone */
export const hhmm = (iso, timeZone) => wallTime(iso, timeZone).slice(11, 16)

/** @param {Drawn} p @param {number} now */
export const airsAt = (p, now) => Date.parse(p.start) <= now && now < Date.parse(p.end)

const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long', timeZone: 'UTC' })
/**
 * What a programme's times alone do not say: that it began the day before `day` or runs into
 * the next ("began Tuesday", "ends Thursday"); an end at midnight ends on its own day.
 * @param {Drawn} p @param {string} day @param {string} timeZone
 */
function otherDays (p, day, timeZone) {
  const [first, last] = [wallTime(p.start, timeZone).slice(0, 10), wallTime(new Date(Date.parse(p.end) - 1).toISOString(), timeZone).slice(0, 10)]
  const name = (/** @type {string} */ d) => weekday.format(new Date(`${d}T12:00:00Z`))
  return [first < day ? `began ${name(first)}` : '', last > day ? `ends ${name(last)}` : ''].filter(Boolean)
}

/**
 * What a guide says of a programme beyond its times and title: its episode and year, and its
 * description (cut to two lines: a list to read down, not the programme's page).
 * @param {{ programme: Drawn }} props
 */
function About ({ programme: p }) {
  const line = [episodeLabel(p), p.year ? String(p.year) : ''].filter(Boolean).join(' · ')
  return html`${line && html`<span class="running-episode">${line}</span>`}${p.description && html`<span class="running-desc">${p.description}</span>`}`
}

/**
 * A day's programmes as a list: start–end (the zone's wall times), title, length; the one on
 * air at `now` is marked in words and for a screen reader (aria-current), and can be jumped to.
 * @param {{ programmes: Drawn[], timeZone: string, now: number, day: string, label: string, id: string }} props
 */
export function ProgrammeList ({ programmes, timeZone, now, day, label, id }) {
  if (programmes.length === 0) return html`<p class="running-none" id=${id}>Nothing is built for this day.</p>`
  return html`<ol class="running-order" id=${id} aria-label=${label}>
    ${programmes.map((p) => {
      const current = airsAt(p, now)
      const length = spokenLength(Date.parse(p.end) - Date.parse(p.start))
      return html`<li key=${p.id} class=${`running-item kind-${p.kind}${current ? ' now' : ''}`} aria-current=${current ? 'true' : undefined} tabindex=${current ? '-1' : undefined}>
        <span class="running-times"><time datetime=${p.start}>${hhmm(p.start, timeZone)}</time>–<time datetime=${p.end}>${hhmm(p.end, timeZone)}</time></span>
        <span class="running-title">${p.title}</span>
        <span class="running-length">${[length, p.clips ? `${p.clips} clip${p.clips === 1 ? '' : 's'}` : '', p.kind === 'fixed' ? 'fixed or live' : '', ...otherDays(p, day, timeZone)].filter(Boolean).join(', ')}</span>
        <${About} programme=${p} />
        ${current && html`<span class="running-now">On air</span>`}
      </li>`
    })}
  </ol>`
}

/** Scrolls to the programme on air in `scope` and moves the focus there (a long day on a phone). @param {string} scope a selector */
export function focusNow (scope) {
  const item = /** @type {HTMLElement | null} */ (document.querySelector(`${scope} li[aria-current="true"]`))
  item?.scrollIntoView({ block: 'center' })
  item?.focus()
}

/**
 * The service's clock, read from the channel's now and advanced here (performance.now(), which
 * no clock change moves); null until it answers.
 * @param {string} channelId
 */
function useServiceNow (channelId) {
  const [state, setState] = useState(/** @type {{ server: number, at: number } | null} */ (null))
  const [, setTick] = useState(0)
  useEffect(() => {
    let stopped = false
    const read = () => api(`/api/channels/${channelId}/now`).then((/** @type {ChannelNow} */ answer) => {
      if (!stopped) setState({ server: Date.parse(answer.server_time), at: performance.now() })
    }, () => { if (!stopped) setState((s) => s ?? { server: Date.now(), at: performance.now() }) }) // no answer: this browser's clock
    read()
    const reading = setInterval(read, READ_MS)
    const ticking = setInterval(() => setTick((n) => n + 1), TICK_MS)
    return () => { stopped = true; clearInterval(reading); clearInterval(ticking) }
  }, [channelId])
  return state === null ? null : state.server + performance.now() - state.at
}

/** @param {{ channel: Channel }} props */
export function RunningOrderTab ({ channel }) {
  const now = useServiceNow(channel.id)
  const today = now === null ? null : wallTime(new Date(now).toISOString(), channel.timezone).slice(0, 10)
  const [programmes, setProgrammes] = useState(/** @type {Drawn[] | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const filler = channel.filler_title ?? 'Default filler'
  useEffect(() => {
    if (today === null) return
    let stopped = false
    const { from } = dayBounds(today, channel.timezone)
    const { to } = dayBounds(addDays(today, 1), channel.timezone)
    const read = () => readProgrammes(channel.id, from, to).then((list) => {
      if (!stopped) { setProgrammes(collapseFiller(list, filler)); setError(null) }
    }, (err) => { if (!stopped) setError(err) })
    read()
    const timer = setInterval(read, READ_MS)
    return () => { stopped = true; clearInterval(timer) }
  }, [channel.id, channel.timezone, today, filler])
  // The first time the list shows, the programme on air is brought into sight (not focused: the page's focus stays where it was).
  const shown = useRef(false)
  useEffect(() => {
    if (programmes === null || shown.current) return
    shown.current = true
    document.querySelector('#running-order li[aria-current="true"]')?.scrollIntoView({ block: 'center' })
  }, [programmes])

  const tomorrow = today === null ? null : addDays(today, 1)
  const split = tomorrow === null ? 0 : dayBounds(tomorrow, channel.timezone).from.getTime()
  const days = programmes === null || today === null || tomorrow === null
    ? []
    : [{ name: 'Today', day: today, list: programmes.filter((p) => Date.parse(p.start) < split) }, { name: 'Tomorrow', day: tomorrow, list: programmes.filter((p) => Date.parse(p.start) >= split) }]
  const onAir = now !== null && (programmes ?? []).some((p) => airsAt(p, now))
  return html`<section id="running-order" aria-labelledby="running-title" aria-busy=${programmes === null && !error ? 'true' : 'false'}>
    <h3 id="running-title">Running order</h3>
    <p class="running-zone">Today and tomorrow in ${channel.timezone}, the channel's own time. <a href=${`#/channels/${channel.id}?tab=build`}>Build more</a></p>
    ${onAir && html`<div class="toolbar"><button type="button" id="running-go-now" onClick=${() => focusNow('#running-order')}>Go to now</button></div>`}
    ${error && html`<${ApiProblem} error=${error} what="Reading the running order" />`}
    ${programmes === null && !error && html`<p class="state loading" role="status">Loading the running order…</p>`}
    ${now !== null && days.map(({ name, day, list }) => html`<div class="running-day" key=${day}>
      <h4 id=${`running-${name.toLowerCase()}-title`}>${name}, <time datetime=${day}>${fmtDate(day)}</time></h4>
      <${ProgrammeList} programmes=${list} timeZone=${channel.timezone} now=${now} day=${day} label=${`${name}'s programmes`} id=${`running-${name.toLowerCase()}`} />
    </div>`)}
  </section>`
}

const dateLabel = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })
/** "Wednesday 13 January" for a YYYY-MM-DD (a date, no zone). @param {string} day */
export const fmtDate = (day) => dateLabel.format(new Date(`${day}T12:00:00Z`))
