// @ts-check
// #/ (the panel's home, issue 25): what every channel airs now and next, the rest of its day's
// fixed and live events, how far it is built and its alarms, a card each (SPEC §17).
// `GET /api/now` is polled with If-None-Match: its ETag tags the plan, not the offsets, so a
// poll between programme changes is a 304 that changes nothing, while the progress bars and
// countdowns advance here each second from the answer's `server_time` (the service's clock, not
// this browser's: the two may disagree, and a test moves the service's).
import { api, newIdempotencyKey } from '../api.js'
import { html, render, useEffect, useRef, useState } from '../preact.js'
import { dayBounds, wallTime } from '../calendar.js'
import { readProgrammes, spokenLength } from '../programmes.js'
import { ErrorBox, fmtDuration, plural } from '../ui.js'
import { FirstRun } from './first-run.js'

/** @typedef {import('../../../contract/on-air.js').NowAll} NowAll */
/** @typedef {import('../../../contract/on-air.js').ChannelNow} ChannelNow */
/** @typedef {import('../../../contract/on-air.js').Alarm} Alarm */
/** @typedef {import('../../../contract/on-air.js').AlarmKind} AlarmKind */
/** @typedef {import('../../../contract/programmes.js').Programme} Programme */
/** @typedef {import('../../../contract/api.js').Channel} Channel */
/** @typedef {import('../../../contract/api.js').ChannelList} ChannelList */
/** @typedef {import('../api.js').ApiError} ApiError */

const POLL_MS = 5000
const TICK_MS = 1000
/** The day's fixed events change only with an edit or a build: read once a minute, not every poll. */
const EVENTS_MS = 60_000

/** @type {Record<AlarmKind, string>} */
const ALARM_NAMES = {
  coverage: 'Coverage',
  gap: 'Gap',
  dead_air: 'Dead air',
  missing_media: 'Missing media',
  build_failed: 'Build failed',
  publish_failed: 'Publish failed'
}

/** "20:05" in `timeZone`. @param {string} iso @param {string} timeZone */
const hhmm = (iso, timeZone) => wallTime(iso, timeZone).slice(11, 16)

/** @type {Map<string, Intl.DateTimeFormat>} */
const dayNames = new Map()
/**
 * "Thu 17 Dec 06:00" in `timeZone`: weekday, day, month in that order whatever the locale's
 * order (the words are the locale's), the time on the station's 24-hour clock.
 * @param {string} iso @param {string} timeZone
 */
export function fmtZoned (iso, timeZone) {
  let format = dayNames.get(timeZone)
  if (format === undefined) dayNames.set(timeZone, format = new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'short', day: 'numeric', month: 'short' }))
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]))
  return `${parts.weekday} ${parts.day} ${parts.month} ${hhmm(iso, timeZone)}`
}

/**
 * The last answer of `GET /api/now`, when it came (performance.now(), which no clock change
 * moves) and the ETag it carried; polled while the page is open.
 * @returns {{ answer: NowAll | null, at: number, error: ApiError | null }}
 */
function useNowAll () {
  const [state, setState] = useState(/** @type {{ answer: NowAll | null, at: number, error: ApiError | null }} */ ({ answer: null, at: 0, error: null }))
  useEffect(() => {
    let stopped = false
    /** @type {string | null} */
    let etag = null
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer
    const poll = async () => {
      try {
        /** @type {Response} */
        const res = await api('/api/now', { raw: true, headers: etag === null ? {} : { 'if-none-match': etag } })
        if (res.status === 304) {
          if (!stopped) setState((s) => (s.error === null ? s : { ...s, error: null })) // the plan as it was: nothing to redraw
        } else {
          const answer = /** @type {NowAll} */ (await res.json())
          etag = res.headers.get('etag')
          if (!stopped) setState({ answer, at: performance.now(), error: null })
        }
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, error })) // the last answer stays shown, its clocks running
        // A key refused: the key prompt is up (main.js), and a poll would clear what is typed
        // there. Saving a key draws the page again, which polls again.
        if (error.status === 401 || error.status === 403) return
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS)
    }
    poll()
    return () => { stopped = true; clearTimeout(timer) }
  }, [])
  return state
}

/** The channels (for their zones), read again when the set of channels on air changes. @param {string} ids */
function useChannels (ids) {
  const [channels, setChannels] = useState(/** @type {Map<string, Channel> | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  useEffect(() => {
    let stopped = false
    api('/api/channels').then((/** @type {ChannelList} */ answer) => {
      if (!stopped) { setChannels(new Map(answer.channels.map((c) => [c.id, c]))); setError(null) }
    }, (err) => { if (!stopped) setError(err) })
    return () => { stopped = true }
  }, [ids])
  return { channels, error }
}

/** A re-render each second, for the countdowns. */
function useTick () {
  const [, setTick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), TICK_MS)
    return () => clearInterval(timer)
  }, [])
}

function OnAir () {
  const { answer, at, error } = useNowAll()
  const ids = answer === null ? '' : answer.channels.map((c) => c.channel.id).join(',')
  const { channels, error: channelsError } = useChannels(ids)
  useTick()
  // The service's now: its time when it answered, plus how long ago that was here.
  const serverNow = answer === null ? 0 : Date.parse(answer.server_time) + performance.now() - at
  const clock = useRef(serverNow)
  clock.current = serverNow
  const ready = answer !== null && channels !== null
  return html`<h2>On air</h2>
    <p class="meta">What every channel airs now and next, in each channel's own time zone; updated every ${POLL_MS / 1000} seconds. Pool and service figures are on the <a href="#/system">System</a> page.</p>
    <div id="on-air" aria-busy=${ready ? 'false' : 'true'}>
      ${(error || channelsError) && html`<${ErrorBox} error=${error ?? channelsError} what="Reading what is on air" />`}
      ${!ready && !error && !channelsError && html`<p class="state loading" role="status">Loading what is on air…</p>`}
      ${ready && html`<${FirstRun} answer=${answer} />`}
      ${ready && answer.channels.length > 0 && html`<div class="on-air-cards">
        ${answer.channels.map((c) => html`<${Card} key=${c.channel.id} now=${c} timeZone=${channels.get(c.channel.id)?.timezone ?? 'UTC'} serverNow=${serverNow} clock=${clock} />`)}
      </div>`}
    </div>`
}

/**
 * The programme airing at `t` and the ones after it, from the answer's now and next: when a
 * programme ends between two polls the card moves on by itself (the next poll confirms it).
 * @param {ChannelNow} now @param {number} t
 */
function airingAt (now, t) {
  const known = [...(now.now === null ? [] : [now.now]), ...now.next]
  const current = known.find((p) => Date.parse(p.start) <= t && t < Date.parse(p.end)) ?? null
  return { current, following: known.filter((p) => Date.parse(p.start) >= (current === null ? t : Date.parse(current.end))) }
}

/** @param {{ now: ChannelNow, timeZone: string, serverNow: number, clock: { current: number } }} props */
function Card ({ now, timeZone, serverNow, clock }) {
  const { id, number, name } = now.channel
  const { current, following } = airingAt(now, serverNow)
  const alarms = now.alarms
  return html`<section class=${`on-air-card${alarms.length > 0 ? ' alarmed' : ''}`} id=${`on-air-${id}`} aria-labelledby=${`on-air-${id}-title`}>
    <h3 id=${`on-air-${id}-title`}><a href=${`#/channels/${id}`}>${number} · ${name}</a>${alarms.length > 0 && html` <span class="badge alarm-badge">${plural(alarms.length, 'alarm')}</span>`}</h3>
    <p class="meta">Times in ${timeZone}</p>
    <div class="on-air-part">
      <h4>Now</h4>
      ${current === null
        ? html`<p class="now-title off-air">Nothing on air${following.length > 0 ? ` until ${hhmm(following[0].start, timeZone)}` : ''}</p>`
        : html`<${Airing} programme=${current} t=${serverNow} timeZone=${timeZone} />`}
    </div>
    <div class="on-air-part">
      <h4>Next</h4>
      ${following.length === 0
        ? html`<p class="meta next-none">Nothing more is built.</p>`
        : html`<ol class="on-air-list next">${following.map((p) => html`<li><time datetime=${p.start}>${hhmm(p.start, timeZone)}</time> <span class="next-title">${p.title}</span></li>`)}</ol>`}
      <a class="running-link" href=${`#/channels/${id}?tab=running`} aria-label=${`Running order, today and tomorrow: ${number} · ${name}`}>Running order, today and tomorrow</a>
    </div>
    <${FixedToday} channelId=${id} timeZone=${timeZone} serverNow=${serverNow} clock=${clock} />
    <div class="on-air-part">
      <h4>Coverage</h4>
      <p class="coverage">${coverage(now.built_until, serverNow, timeZone)}</p>
    </div>
    <div class="on-air-part">
      <h4>Alarms</h4>
      ${alarms.length === 0
        ? html`<p class="meta alarms-none">No alarms.</p>`
        : html`<ul class="alarms">${alarms.map((a) => html`<li class="alarm" data-kind=${a.kind}>
            <strong>${ALARM_NAMES[a.kind] ?? a.kind}:</strong> <span class="alarm-message">${a.message}</span>
            <span class="meta"> since <time datetime=${a.since}>${fmtZoned(a.since, timeZone)}</time></span>
            ${a.kind === 'missing_media' && html` <${Rebuild} channelId=${id} details=${a.details} />`}</li>`)}</ul>`}
    </div>
  </section>`
}

/**
 * A missing_media alarm's way out (issue 26): its details name the build that replaces the file
 * (`rebuild: { path, body: { from, to } }`, null when only a placed schedule airs it), one click
 * here; else the channel's Build tab. Only this channel's build is ever called from an alarm.
 * @param {{ channelId: string, details: Record<string, any> | undefined }} props
 */
function Rebuild ({ channelId, details }) {
  const [state, setState] = useState(/** @type {'' | 'building' | string | ApiError} */ (''))
  const rebuild = details?.rebuild
  const day = /^\d{4}-\d{2}-\d{2}$/
  const usable = rebuild?.path === `/api/channels/${channelId}/build` && day.test(rebuild?.body?.from) && day.test(rebuild?.body?.to)
  if (!usable) return html`<a class="alarm-rebuild" href=${`#/channels/${channelId}?tab=build`}>Open the channel's build</a>`
  const { from, to } = rebuild.body
  async function run () {
    setState('building')
    try {
      const answer = await api(rebuild.path, { method: 'POST', body: { from, to }, headers: { 'idempotency-key': newIdempotencyKey() } })
      setState(`Rebuilt ${from === to ? from : `${from} to ${to}`}: ${plural(answer.stats?.events ?? 0, 'event')}. The alarm clears at the next check.`)
    } catch (err) { setState(err) }
  }
  return html`<button type="button" class="link alarm-rebuild" disabled=${state === 'building'} onClick=${run}>${state === 'building' ? 'Rebuilding…' : `Rebuild ${from === to ? from : `${from} to ${to}`} without it`}</button>
    <span role="status" class="meta">${typeof state === 'string' && state !== 'building' ? ` ${state}` : ''}</span>
    ${state instanceof Error && html`<${ErrorBox} error=${state} what="The rebuild" />`}`
}

/** The programme on air: title, times, a progress bar and the time left. @param {{ programme: Programme, t: number, timeZone: string }} props */
function Airing ({ programme: p, t, timeZone }) {
  const [start, end] = [Date.parse(p.start), Date.parse(p.end)]
  const [length, done] = [end - start, Math.min(Math.max(t - start, 0), end - start)]
  const left = Math.ceil((length - done) / 1000)
  return html`<p class="now-title">${p.title}</p>
    <p class="meta"><time datetime=${p.start}>${hhmm(p.start, timeZone)}</time>–<time datetime=${p.end}>${hhmm(p.end, timeZone)}</time> · ${spokenLength(length)}</p>
    <div class="progress" role="progressbar" aria-label=${`${p.title}: time aired`}
      aria-valuemin="0" aria-valuemax=${String(Math.round(length / 1000))} aria-valuenow=${String(Math.round(done / 1000))}
      aria-valuetext=${`${spokenLength(done)} of ${spokenLength(length)}`}>
      <span class="progress-done" style=${{ width: `${length > 0 ? ((done / length) * 100).toFixed(2) : 0}%` }}></span>
    </div>
    <p class="countdown"><span class="countdown-left" role="timer">${fmtDuration(left)}</span> left</p>`
}

/** "Built until Thu 17 Dec 06:00 (2 days 4 hours ahead)". @param {string | null} builtUntil @param {number} t @param {string} timeZone */
function coverage (builtUntil, t, timeZone) {
  if (builtUntil === null) return 'Nothing built.'
  const ahead = Date.parse(builtUntil) - t
  return `Built until ${fmtZoned(builtUntil, timeZone)} (${ahead > 0 ? `${aheadText(ahead)} ahead` : 'already passed'})`
}

/** "2 days 4 hours", "3 hours 20 minutes": how far ahead, to the two units that matter. @param {number} ms */
function aheadText (ms) {
  const [days, hours, minutes] = [Math.floor(ms / 86_400_000), Math.floor(ms / 3_600_000) % 24, Math.floor(ms / 60_000) % 60]
  /** @type {[number, string][]} */
  const parts = days > 0 ? [[days, 'day'], [hours, 'hour']] : [[hours, 'hour'], [minutes, 'minute']]
  return parts.filter(([n]) => n > 0).map(([n, unit]) => plural(n, unit)).join(' ') || 'under a minute'
}

/**
 * The fixed and live events left in the channel's local day (programmes of kind fixed), read
 * from the programmes endpoint once a minute and when the local day turns.
 * @param {{ channelId: string, timeZone: string, serverNow: number, clock: { current: number } }} props
 */
function FixedToday ({ channelId, timeZone, serverNow, clock }) {
  const [fixed, setFixed] = useState(/** @type {Programme[] | null} */ (null))
  const [error, setError] = useState(/** @type {ApiError | null} */ (null))
  const day = wallTime(new Date(serverNow).toISOString(), timeZone).slice(0, 10)
  useEffect(() => {
    let stopped = false
    const read = () => readProgrammes(channelId, new Date(clock.current), dayBounds(day, timeZone).to).then((programmes) => {
      if (!stopped) { setFixed(programmes.filter((p) => p.kind === 'fixed')); setError(null) }
    }, (err) => { if (!stopped) setError(err) })
    read()
    const timer = setInterval(read, EVENTS_MS)
    return () => { stopped = true; clearInterval(timer) }
  }, [channelId, timeZone, day])
  const left = (fixed ?? []).filter((p) => Date.parse(p.end) > serverNow)
  return html`<div class="on-air-part">
    <h4>Fixed and live today</h4>
    ${error && html`<p class="meta">Could not read them: ${error.message}</p>`}
    ${fixed === null && !error && html`<p class="meta">Loading…</p>`}
    ${fixed !== null && left.length === 0 && html`<p class="meta fixed-none">No more fixed or live events today.</p>`}
    ${left.length > 0 && html`<ol class="on-air-list fixed">${left.map((p) => html`<li><time datetime=${p.start}>${hhmm(p.start, timeZone)}</time>–<time datetime=${p.end}>${hhmm(p.end, timeZone)}</time> <span class="fixed-title">${p.title}</span>${Date.parse(p.start) <= serverNow ? ' (on air)' : ''}</li>`)}</ol>`}
  </div>`
}

/** @param {Element} main */
export function onAirView (main) {
  render(html`<${OnAir} />`, main)
  return () => render(null, main)
}
